package dev.bsm.testkit;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link Emulators#choose(Optional)} picked, and why: one sentence per option it considered, in order.
 *
 * <p>An immutable value; its emulator may be shared by the whole JVM (LocalStack, moto), so closing it is always
 * safe but only releases what it owns.
 */
public final class EmulatorChoice {

    private final Optional<Emulator> emulator;
    private final List<String> attempts;

    EmulatorChoice(Optional<Emulator> emulator, List<String> attempts) {
        this.emulator = Objects.requireNonNull(emulator, "emulator");
        this.attempts = List.copyOf(attempts);
    }

    /** {@return the chosen emulator, or empty when none is available here} */
    public Optional<Emulator> emulator() {
        return emulator;
    }

    /**
     * {@return one human sentence per option considered, in the order tried, for example
     * {@code "LocalStack not used: Docker is not available: ..."}; the last one names the choice, if any}
     */
    public List<String> attempts() {
        return attempts;
    }

    /**
     * {@return one paragraph for reports and skip messages: the emulator chosen (or that there is none) followed by
     * the numbered {@link #attempts()}}
     */
    public String summary() {
        StringBuilder text = new StringBuilder(emulator
                .map(chosen -> "AWS emulator: " + chosen.description() + ". Why:")
                .orElse("No AWS emulator is available. Tried:"));
        for (int i = 0; i < attempts.size(); i++) {
            text.append(' ').append(i + 1).append(") ").append(attempts.get(i));
            String last = attempts.get(i);
            if (!last.endsWith(".")) {
                text.append('.');
            }
        }
        return text.toString();
    }

    /** @return the same as {@link #summary()} */
    @Override
    public String toString() {
        return summary();
    }
}
