package dev.bsm.testkit;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.UserPrincipal;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
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
            PosixFileAttributes attributes = directory.getFileAttributeView(name, PosixFileAttributeView.class,
                    LinkOption.NOFOLLOW_LINKS).readAttributes();
            if (!attributes.isRegularFile() || !attributes.owner().equals(user) || attributes.size() > MAX_BYTES) {
                return Optional.empty();
            }
            ByteBuffer bytes = ByteBuffer.allocate(MAX_BYTES + 1);
            try (SeekableByteChannel channel = directory.newByteChannel(name,
                    Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS))) {
                while (bytes.hasRemaining() && channel.read(bytes) > 0) {
                    // read all of it, at most MAX_BYTES + 1
                }
            }
            Matcher stamp = FORMAT.matcher(new String(bytes.array(), 0, bytes.position(), StandardCharsets.UTF_8));
            return stamp.matches()
                    ? Optional.of(new ProcessStamp(Long.parseLong(stamp.group(1)), Instant.parse(stamp.group(2)),
                            stamp.group(3)))
                    : Optional.empty();
        } catch (IOException | DateTimeException | UnsupportedOperationException e) {
            return Optional.empty();
        }
    }

    /** @return the target of {@code /proc/self/ns/pid}, such as {@code pid:[4026531836]}; empty where there is none */
    static String currentPidNamespace() {
        try {
            return Files.readSymbolicLink(Path.of("/proc/self/ns/pid")).toString();
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }
}
