package dev.bsm.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs a main class of this jar in a fresh JVM and times the whole process. */
public final class Forks {
    /** The flags bsm's environment handling needs (docs/session-manager.md, "The AWS CLI and other child
     * processes"). */
    public static final List<String> ADD_OPENS = List.of("--add-opens", "java.base/java.util=ALL-UNNAMED",
            "--add-opens", "java.base/java.lang=ALL-UNNAMED");

    /**
     * {@link #ADD_OPENS}, and {@code @WithAwsSession(localstack = true)} on moto_server whatever the machine has
     * (no LocalStack even where Docker runs), so the suite benchmarks measure one emulator everywhere.
     */
    public static final List<String> ADD_OPENS_ON_MOTO = List.of("--add-opens", "java.base/java.util=ALL-UNNAMED",
            "--add-opens", "java.base/java.lang=ALL-UNNAMED", "-Dbsm.localstack.enabled=false");

    private Forks() {
    }

    /** What a fresh JVM printed and how long the whole process took, from start() to exit. */
    public record Run(long wallNanos, int exitCode, String output) {
        public double wallMillis() {
            return wallNanos / 1e6;
        }

        /** @return the value of {@code key=value} on the line that starts with {@code RESULT} */
        public String result(String key) {
            for (String line : output.split("\n")) {
                if (line.startsWith("RESULT ")) {
                    for (String pair : line.substring(7).trim().split(" ")) {
                        int eq = pair.indexOf('=');
                        if (eq > 0 && pair.substring(0, eq).equals(key)) {
                            return pair.substring(eq + 1);
                        }
                    }
                }
            }
            throw new IllegalStateException("No " + key + " in the output:\n" + output);
        }
    }

    /** @return the same java executable as this JVM's */
    public static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /**
     * Runs {@code java [jvmArgs] -cp <this classpath> mainClass args...}; stdout and stderr together.
     */
    public static Run run(List<String> jvmArgs, String mainClass, String... args) {
        return runOn(System.getProperty("java.class.path"), jvmArgs, mainClass, args);
    }

    /** Like {@link #run} with another class path. */
    public static Run runOn(String classPath, List<String> jvmArgs, String mainClass, String... args) {
        List<String> command = new ArrayList<>();
        command.add(java());
        command.addAll(jvmArgs);
        command.add("-cp");
        command.add(classPath);
        command.add(mainClass);
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        try {
            long start = System.nanoTime();
            Process process = builder.start();
            process.getOutputStream().close();
            byte[] output = process.getInputStream().readAllBytes();
            int exit = process.waitFor();
            long wall = System.nanoTime() - start;
            return new Run(wall, exit, new String(output, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Like {@link #run} but fails on a non-zero exit code, showing the output. */
    public static Run runChecked(List<String> jvmArgs, String mainClass, String... args) {
        return runCheckedOn(System.getProperty("java.class.path"), jvmArgs, mainClass, args);
    }

    /** Like {@link #runChecked} with another class path. */
    public static Run runCheckedOn(String classPath, List<String> jvmArgs, String mainClass, String... args) {
        Run run = runOn(classPath, jvmArgs, mainClass, args);
        if (run.exitCode() != 0) {
            throw new IllegalStateException(mainClass + " " + String.join(" ", args) + " exited with "
                    + run.exitCode() + ":\n" + run.output());
        }
        return run;
    }
}
