package dev.bsm.testkit;

import dev.bsm.testkit.internal.OwnedFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.attribute.UserPrincipal;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Names one process for good: its pid, when it started and its PID namespace, as bsm writes them into a log
 * directory (the JVM that owns it, each server it started), so that a later run can tell that exact process from
 * any other that has the pid since, or has it in another namespace.
 *
 * @param pid the process id, in {@code pidNamespace}
 * @param start when the process started
 * @param pidNamespace the target of {@code /proc/self/ns/pid} for the process that wrote the stamp, or empty where
 *     there is none
 */
record ProcessStamp(long pid, Instant start, String pidNamespace) {

    private static final Pattern FORMAT = Pattern.compile("pid=(\\d{1,18})\nstart=(\\S{1,64})\npidns=(\\S{0,64})\n");
    private static final int MAX_BYTES = 256;

    /** @return the stamp of a running process of this namespace; empty where its start time is not known */
    static Optional<ProcessStamp> of(ProcessHandle process) {
        return process.info().startInstant()
                .map(start -> new ProcessStamp(process.pid(), start, currentPidNamespace()));
    }

    /** @return the stamp's text, as {@link #read} parses it */
    String text() {
        return "pid=" + pid + "\nstart=" + start + "\npidns=" + pidNamespace + "\n";
    }

    /**
     * @return the process the stamp names, if it still runs in this JVM's PID namespace (the same start time, a
     *         PID namespace that is known and this one)
     */
    Optional<ProcessHandle> running() {
        if (pidNamespace.isEmpty() || !pidNamespace.equals(currentPidNamespace())) {
            return Optional.empty();
        }
        return ProcessHandle.of(pid).filter(process -> process.info().startInstant()
                .map(start::equals).orElse(false));
    }

    /** @return whether the stamp names this JVM */
    boolean isCurrentJvm() {
        return of(ProcessHandle.current()).map(this::equals).orElse(false);
    }

    /**
     * Reads a stamp from a file of an open directory: a regular file of the user's, not followed if a link.
     *
     * @return the stamp, or empty if the file is missing, not the user's, not a regular file or not a stamp
     */
    static Optional<ProcessStamp> read(SecureDirectoryStream<Path> directory, Path name, UserPrincipal user) {
        try {
            return OwnedFiles.read(directory, name, user, MAX_BYTES).flatMap(bytes -> parse(
                    new String(bytes, StandardCharsets.UTF_8)));
        } catch (IOException | UnsupportedOperationException e) {
            return Optional.empty();
        }
    }

    /** @return the stamp that {@link #text()} wrote, or empty if the text is not one */
    static Optional<ProcessStamp> parse(String text) {
        Matcher stamp = FORMAT.matcher(text);
        try {
            return stamp.matches()
                    ? Optional.of(new ProcessStamp(Long.parseLong(stamp.group(1)), Instant.parse(stamp.group(2)),
                            stamp.group(3)))
                    : Optional.empty();
        } catch (DateTimeException e) {
            return Optional.empty();
        }
    }

    /** @return the target of {@code /proc/self/ns/pid}, such as {@code pid:[4026531836]}; empty where there is none */
    static String currentPidNamespace() {
        return currentNamespace("pid");
    }

    /**
     * @param kind a namespace kind of Linux, such as {@code pid} or {@code net}
     * @return the target of {@code /proc/self/ns/<kind>}, such as {@code net:[4026531840]}; empty where there is none
     */
    static String currentNamespace(String kind) {
        try {
            return Files.readSymbolicLink(Path.of("/proc/self/ns", kind)).toString();
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }
}
