package dev.bsm.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Reading a snapshot: only a regular file (a symbolic link to one is fine), never more than
 * {@link SnapshotCodec#MAX_BYTES} + 1 bytes of it, values every environment can carry, and no message that repeats
 * the file's content.
 */
class SnapshotReadingTests {
    private static final String SECRET = Canary.SECRET;
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

    /** Asserts the message and toString repeat no run of six characters of the content. */
    private static void assertQuotesNoContent(ThrowingCallable call, Class<? extends BsmException> type,
            String content) {
        assertThatThrownBy(call).isInstanceOf(type).satisfies(e -> {
            for (int i = 0; i + 6 <= content.length(); i++) {
                assertThat(String.valueOf(e)).doesNotContain(content.substring(i, i + 6));
            }
        });
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
        Fifos.withoutWriter(dir, "no-writer.json", fifo -> assertRefusedInTime(fifo, "not a regular file"));
    }

    @Test
    @DisabledOnOs(OS.WINDOWS)
    void aFifoCarryingMegabytesIsRefused() throws Exception {
        Path fifo = Fifos.mkfifo(dir, "five-megabytes.json");
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

    // ------------------------------------------------------------------------------- no content in messages (6)

    @Test
    void anUnknownKeyIsNamedByItsPositionNotItsText() throws IOException {
        Path file = write("secret-as-key.json", snapshot("SKKEY").replace("}", ", \"" + SECRET + "\": \"x\"}"));
        assertQuotesNoContent(() -> BotoSesManager.fromSnapshotFile(file), InvalidSnapshotException.class, SECRET);
        assertThatThrownBy(() -> BotoSesManager.fromSnapshotFile(file)).hasMessageContaining("key 3 of 3");
    }

    @Test
    void anUnknownKeyOfAMapIsNamedByItsPositionNotItsText() {
        Map<String, String> snapshot = new LinkedHashMap<>();
        snapshot.put(SECRET, "AK");
        assertQuotesNoContent(() -> BotoSesManager.fromSnapshot(snapshot), InvalidSnapshotException.class, SECRET);
    }

    @Test
    void aMisspelledKeyIsPointedAtTheKeyItResembles() throws IOException {
        Path file = write("typo.json", "{\"aws_access_key_id\": \"AK\", \"aws_secret_acess_key\": \"SK\"}");
        assertThatThrownBy(() -> BotoSesManager.fromSnapshotFile(file))
                .isInstanceOf(InvalidSnapshotException.class)
                .hasMessageContaining("key 2 of 2")
                .hasMessageContaining("misspelled 'aws_secret_access_key'")
                .hasMessageNotContaining("acess");
    }

    @Test
    void aBadRegionInASnapshotIsNotRepeated() throws IOException {
        Path file = write("region.json", snapshot("SKREGION").replace("{", "{\"region_name\": \"" + SECRET + "\", "));
        assertQuotesNoContent(() -> BotoSesManager.fromSnapshotFile(file), InvalidSnapshotException.class, SECRET);
        assertThatThrownBy(() -> BotoSesManager.fromSnapshotFile(file))
                .hasMessageContaining("'region_name': Invalid region")
                .hasMessageContaining("upper case");
    }

    // ------------------------------------------------------------------------- values an environment can carry (7)

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"\\u0000", "\\ud800"})
    void aSecretNoEnvironmentCanCarryIsRefusedWhenTheFileIsRead(String escape) throws IOException {
        Path file = write("uncarriable.json", snapshot(SECRET + escape + "tail"));
        assertThatThrownBy(() -> BotoSesManager.fromSnapshotFile(file))
                .isInstanceOf(InvalidSnapshotException.class)
                .hasMessageContaining("'aws_secret_access_key' contains")
                .hasMessageContaining("no environment variable can carry")
                .hasMessageNotContaining(SECRET);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"aws_access_key_id", "aws_secret_access_key", "aws_session_token"})
    void aNulInAnyValueOfAMapIsRefused(String key) {
        Map<String, String> snapshot = new LinkedHashMap<>(Map.of("aws_access_key_id", "AK",
                "aws_secret_access_key", SECRET, "aws_session_token", "TOKEN"));
        snapshot.put(key, snapshot.get(key) + "\0");
        assertThatThrownBy(() -> BotoSesManager.fromSnapshot(snapshot))
                .isInstanceOf(InvalidSnapshotException.class)
                .hasMessageContaining("'" + key + "' contains a NUL character")
                .hasMessageNotContaining(SECRET);
    }
}
