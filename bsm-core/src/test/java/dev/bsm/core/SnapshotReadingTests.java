package dev.bsm.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reading a snapshot: only a regular file (a symbolic link to one is fine), and never more than
 * {@link SnapshotCodec#MAX_BYTES} + 1 bytes of it.
 */
class SnapshotReadingTests {
    /** Long enough for any real read; a read that blocks fails here instead of hanging the build. */
    private static final Duration HANG = Duration.ofSeconds(10);
    /** A regular file whose size says 0 while it holds far more than a snapshot (Linux). */
    private static final Path PSEUDO_FILE = Path.of("/proc/kallsyms");

    @TempDir
    Path dir;

    private static String snapshot(String secret) {
        return "{\"aws_access_key_id\": \"AKREAD\", \"aws_secret_access_key\": \"" + secret + "\"}";
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content);
    }

    private static void assertRefusedInTime(Path file, String problem) {
        assertThatThrownBy(() -> assertTimeoutPreemptively(HANG, () -> BotoSesManager.fromSnapshotFile(file)))
                .isInstanceOf(InvalidSnapshotException.class)
                .hasMessageContaining(problem);
    }

    private Path mkfifo(String name) throws Exception {
        Path fifo = dir.resolve(name);
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
        assertThat(mkfifo.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(mkfifo.exitValue()).isZero();
        return fifo;
    }

    /** Opening a FIFO read-write never blocks (Linux) and lets a reader blocked in open(2) go on to end of file. */
    private static void releaseBlockedReaders(Path fifo) throws IOException {
        FileChannel.open(fifo, StandardOpenOption.READ, StandardOpenOption.WRITE).close();
    }

    static boolean pseudoFileClaimsZeroBytesButHoldsMore() {
        try (InputStream in = Files.newInputStream(PSEUDO_FILE)) {
            return Files.isRegularFile(PSEUDO_FILE) && Files.size(PSEUDO_FILE) == 0
                    && in.readNBytes(SnapshotCodec.MAX_BYTES + 1).length > SnapshotCodec.MAX_BYTES;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    // ------------------------------------------------------------------------------- only regular files (5)

    @Test
    @DisabledOnOs(OS.WINDOWS)
    void aDeviceIsRefusedBeforeAnythingIsRead() {
        assertRefusedInTime(Path.of("/dev/zero"), "not a regular file");
    }

    @Test
    @DisabledOnOs(OS.WINDOWS)
    void aSymbolicLinkToADeviceIsRefusedToo() throws IOException {
        Path link = Files.createSymbolicLink(dir.resolve("zero.json"), Path.of("/dev/zero"));
        assertRefusedInTime(link, "not a regular file");
    }

    @Test
    @DisabledOnOs(OS.WINDOWS)
    void aSymbolicLinkToARegularFileIsRead() throws IOException {
        Path real = write("real.json", snapshot("SKLINK"));
        Path link = Files.createSymbolicLink(dir.resolve("link.json"), real);
        try (BotoSesManager restored = BotoSesManager.fromSnapshotFile(link)) {
            assertThat(restored.toSnapshot()).containsEntry("aws_access_key_id", "AKREAD");
        }
    }

    @Test
    @DisabledOnOs(OS.WINDOWS)
    void aFifoWithoutAWriterIsRefusedInsteadOfBlocking() throws Exception {
        Path fifo = mkfifo("no-writer.json");
        try {
            assertRefusedInTime(fifo, "not a regular file");
        } finally {
            releaseBlockedReaders(fifo);
        }
    }

    @Test
    @DisabledOnOs(OS.WINDOWS)
    void aFifoCarryingMegabytesIsRefused() throws Exception {
        Path fifo = mkfifo("five-megabytes.json");
        // A valid snapshot followed by 5 MB of spaces, which JSON allows: only the size can refuse it.
        Process writer = new ProcessBuilder("sh", "-c",
                "{ printf '%s' \"$0\"; head -c 5242880 /dev/zero | tr '\\0' ' '; } > \"$1\"",
                snapshot("SKFIFO"), fifo.toString()).start();
        try {
            assertRefusedInTime(fifo, "not a regular file");
        } finally {
            writer.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    @EnabledIf("pseudoFileClaimsZeroBytesButHoldsMore")
    void aFileIsReadOnlyUpToTheLimitWhateverItsSizeSays() {
        assertRefusedInTime(PSEUDO_FILE, "a snapshot is at most " + SnapshotCodec.MAX_BYTES + " bytes");
    }
}
