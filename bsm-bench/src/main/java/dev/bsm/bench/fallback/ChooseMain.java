package dev.bsm.bench.fallback;

import dev.bsm.testkit.EmulatorChoice;
import dev.bsm.testkit.Emulators;
import java.util.Optional;

/**
 * Benchmark 6, one fresh JVM: times {@code Emulators.choose(Optional.empty())}, the choice behind
 * {@code @WithAwsSession(localstack = true)}, and prints {@code RESULT chooseMs=... localstack=...} with the
 * LocalStack step's sentence, so the runner can check which path ran.
 */
public final class ChooseMain {
    private ChooseMain() {
    }

    public static void main(String[] args) {
        long start = System.nanoTime();
        EmulatorChoice choice = Emulators.choose(Optional.empty());
        long nanos = System.nanoTime() - start;
        String localstack = choice.attempts().get(1);
        System.out.println("SUMMARY " + choice.summary());
        System.out.printf("RESULT chooseMs=%.1f localstack=%s%n", nanos / 1e6,
                localstack.startsWith("LocalStack skipped") ? "skipped"
                        : localstack.startsWith("LocalStack not used: Docker is not available") ? "no-docker"
                        : "other");
        System.exit(0); // the shared emulator, if any, is stopped by its shutdown hook
    }
}
