package dev.bsm.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.api.parallel.Resources;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SnapshotTests {
    private static final String SECRET = Canary.SECRET;
    private static final String TOKEN = "FwoGZXIvYXdzEXAMPLETOKEN";

    @TempDir
    Path dir;

    @Test
    void snapshotHasPythonsKeysInPythonsOrder() {
        try (BotoSesManager bsm = BotoSesManager.builder().credentials("AKIDEXAMPLE", SECRET, TOKEN)
                .region("us-west-2").build()) {
            assertThat(bsm.toSnapshot()).containsExactly(
                    Map.entry("region_name", "us-west-2"),
                    Map.entry("aws_access_key_id", "AKIDEXAMPLE"),
                    Map.entry("aws_secret_access_key", SECRET),
                    Map.entry("aws_session_token", TOKEN));
        }
    }

    @Test
    void snapshotToStringShowsKeysOnly() {
        try (BotoSesManager bsm = BotoSesManager.builder().credentials("AKIDEXAMPLE", SECRET, TOKEN)
                .region("us-west-2").build()) {
            assertThat(bsm.toSnapshot().toString()).contains("aws_secret_access_key")
                    .doesNotContain(SECRET).doesNotContain(TOKEN);
        }
    }

    @Test
    @ResourceLock(Resources.SYSTEM_PROPERTIES)
    @ResourceLock(GlobalState.ENVIRONMENT_LOCK)
    void withoutARegionTheSnapshotHasANullRegionFirstAsPythonWrites(@TempDir Path home) throws IOException {
        // No region anywhere: an empty profile file, no aws.region, no instance metadata.
        System.setProperty("aws.configFile", Files.writeString(home.resolve("config"), "").toString());
        System.setProperty("aws.disableEc2Metadata", "true");
        Path file = home.resolve("snap.json");
        try (AwsCliEnvironment noRegion = AwsCliEnvironment.open(new AwsCliVariables(Map.of(
                "AWS_REGION", Optional.empty(), "AWS_DEFAULT_REGION", Optional.empty())));
                BotoSesManager bsm = BotoSesManager.builder().credentials("AK", "SK").build();
                TempSnapshot ignored = bsm.tempSnapshot(file)) {
            assertThat(Files.readString(file))
                    .isEqualTo("{\"region_name\": null, \"aws_access_key_id\": \"AK\", \"aws_secret_access_key\": \"SK\"}");
            assertThatThrownBy(bsm::awsRegion).isInstanceOf(NoRegionException.class)
                    .hasMessageContaining("aws.region").hasMessageContaining("AWS_REGION");
        } finally {
            System.clearProperty("aws.configFile");
            System.clearProperty("aws.disableEc2Metadata");
        }
    }

    @Test
    void aSecondOpenSnapshotAtTheSamePathIsRefused() throws IOException {
        Path file = dir.resolve("snap.json");
        Files.writeString(file, "user's own file");
        try (BotoSesManager one = BotoSesManager.builder().credentials("AK1", "SK1").region("us-east-1").build();
                BotoSesManager two = BotoSesManager.builder().credentials("AK2", "SK2").region("us-east-1").build()) {
            TempSnapshot first = one.tempSnapshot(file);
            assertThatThrownBy(() -> two.tempSnapshot(dir.resolve("./snap.json")))
                    .isInstanceOf(InvalidSnapshotException.class).hasMessageContaining("already holds this path");
            first.close();
            try (TempSnapshot second = two.tempSnapshot(file)) {
                assertThat(Files.readString(file)).contains("AK2");
            }
        }
        assertThat(Files.readString(file)).isEqualTo("user's own file");
    }

    private static void killedWhileOpen(Path file) throws Exception {
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), KilledWhileOpen.class.getName(), file.toString())
                .redirectErrorStream(true).start();
        child.getInputStream().readAllBytes();
        assertThat(child.waitFor()).isEqualTo(9);
        assertThat(Files.readString(file)).as("the killed JVM's snapshot is left").contains("AKIDKILLED");
    }

    @Test
    void whatAKilledJvmLeftIsCleanedUpByTheNextSnapshotAtThatPath() throws Exception {
        Path file = dir.resolve("snap.json");
        Files.writeString(file, "user's own file");
        killedWhileOpen(file);
        try (BotoSesManager bsm = BotoSesManager.builder().credentials("AK", "SK").region("us-east-1").build();
                TempSnapshot snapshot = bsm.tempSnapshot(file)) {
            assertThat(Files.readString(file)).contains("\"AK\"");
        }
        assertThat(Files.readString(file)).isEqualTo("user's own file");
        assertThat(dir.toFile().list()).containsExactly("snap.json");

        Path fresh = dir.resolve("fresh.json");
        killedWhileOpen(fresh);
        try (BotoSesManager bsm = BotoSesManager.builder().credentials("AK", "SK").region("us-east-1").build();
                TempSnapshot snapshot = bsm.tempSnapshot(fresh)) {
            assertThat(Files.readString(fresh)).doesNotContain("AKIDKILLED");
        }
        assertThat(fresh).doesNotExist();
        assertThat(dir.toFile().list()).containsExactly("snap.json");
    }

    @Test
    void aFileSomeoneElsePutAtThePathIsLeftAlone() throws IOException {
        Path file = dir.resolve("snap.json");
        try (BotoSesManager bsm = BotoSesManager.builder().credentials("AK", "SK").region("us-east-1").build()) {
            try (TempSnapshot snapshot = bsm.tempSnapshot(file)) {
                Files.delete(file);
                Files.writeString(file, "another process's file");
            }
        }
        assertThat(Files.readString(file)).isEqualTo("another process's file");
    }

    @Test
    void snapshotOmitsTheTokenWhenThereIsNone() {
        try (BotoSesManager bsm = BotoSesManager.builder().credentials("AK", "SK").region("eu-west-1").build()) {
            assertThat(bsm.toSnapshot()).containsOnlyKeys("region_name", "aws_access_key_id", "aws_secret_access_key");
        }
    }

    @Test
    void fileIsByteForByteWhatPythonsJsonDumpsWrites() throws IOException {
        // Python: json.dumps({"region_name": "us-west-2", "aws_access_key_id": "AK", ...})
        String python = "{\"region_name\": \"us-west-2\", \"aws_access_key_id\": \"AK\", "
                + "\"aws_secret_access_key\": \"SK\", \"aws_session_token\": \"TOK\"}";
        Path file = dir.resolve("snap.json");
        try (BotoSesManager bsm = BotoSesManager.builder().credentials("AK", "SK", "TOK").region("us-west-2").build();
                TempSnapshot snapshot = bsm.tempSnapshot(file)) {
            assertThat(snapshot.path()).isEqualTo(file.toAbsolutePath());
            assertThat(Files.readString(file)).isEqualTo(python);
        }
    }

    @Test
    void nonAsciiIsEscapedAsPythonDoes() {
        Map<String, String> snapshot = new LinkedHashMap<>();
        snapshot.put("aws_access_key_id", "caf\u00e9");
        snapshot.put("aws_secret_access_key", "a\"b\\c\n\u007f\u0001");
        // Python: json.dumps({"aws_access_key_id": "caf\u00e9", "aws_secret_access_key": "a\"b\\c\n\x7f\x01"})
        assertThat(SnapshotCodec.toJson(snapshot)).isEqualTo("{\"aws_access_key_id\": \"caf\\u00e9\", "
                + "\"aws_secret_access_key\": \"a\\\"b\\\\c\\n\\u007f\\u0001\"}");
    }

    @Test
    void fileIsOwnerOnlyAndRemovedOnClose() throws IOException {
        Path file = dir.resolve("snap.json");
        try (BotoSesManager bsm = BotoSesManager.builder().credentials("AK", "SK").region("us-east-1").build()) {
            try (TempSnapshot snapshot = bsm.tempSnapshot(file)) {
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(snapshot.path())))
                        .isEqualTo("rw-------");
            }
            assertThat(file).doesNotExist();
            assertThat(dir).isEmptyDirectory();
        }
    }

    @Test
    void aFileThatWasThereBeforeIsPutBack() throws IOException {
        Path file = dir.resolve("snap.json");
        Files.writeString(file, "user's own file");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
        try (BotoSesManager bsm = BotoSesManager.builder().credentials("AK", "SK").region("us-east-1").build()) {
            try (TempSnapshot snapshot = bsm.tempSnapshot(file)) {
                assertThat(Files.readString(file)).contains("aws_access_key_id");
            }
        }
        assertThat(Files.readString(file)).isEqualTo("user's own file");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-r-----");
        assertThat(dir.toFile().list()).containsExactly("snap.json");
    }

    @Test
    @ResourceLock(GlobalState.ENVIRONMENT_LOCK)
    void theDefaultPathIsNamedByBsmSnapshotFileElseTheHomeDirectory() {
        Path file = dir.resolve("from-env.json");
        assertThat(BotoSesManager.defaultSnapshotPath()).isEqualTo(
                Path.of(System.getProperty("user.home"), ".bsm-snapshot.json"));
        try (AwsCliEnvironment ignored = AwsCliEnvironment.open(new AwsCliVariables(
                Map.of(BotoSesManager.SNAPSHOT_FILE_VARIABLE, Optional.of(file.toString()))));
                BotoSesManager bsm = BotoSesManager.builder().credentials("AK", "SK").region("us-east-1").build();
                TempSnapshot snapshot = bsm.tempSnapshot();
                BotoSesManager restored = BotoSesManager.fromSnapshotFile()) {
            assertThat(snapshot.path()).isEqualTo(file);
            assertThat(restored.toSnapshot()).isEqualTo(bsm.toSnapshot());
        }
        assertThat(file).doesNotExist();
    }

    @Test
    void roundTripsThroughAFile() {
        Path file = dir.resolve("snap.json");
        try (BotoSesManager bsm = BotoSesManager.builder().credentials("AK", "SK", "TOK").region("ap-south-1").build();
                TempSnapshot ignored = bsm.tempSnapshot(file);
                BotoSesManager restored = BotoSesManager.fromSnapshotFile(file)) {
            assertThat(restored.toSnapshot()).isEqualTo(bsm.toSnapshot());
            assertThat(restored.awsRegion()).isEqualTo("ap-south-1");
        }
    }

    @Test
    void readsWhatPythonWritesIncludingANullRegion() throws IOException {
        Path file = dir.resolve("python.json");
        Files.writeString(file, "{\"region_name\": null, \"aws_access_key_id\": \"AK\", \"aws_secret_access_key\": \"SK\"}");
        try (BotoSesManager restored = BotoSesManager.fromSnapshotFile(file)) {
            assertThat(restored.toSnapshot()).containsEntry("aws_access_key_id", "AK").doesNotContainKey("aws_session_token");
        }
    }

    @Test
    void fromSnapshotTreatsAnEmptyTokenAsNone() {
        Map<String, Object> snapshot = new HashMap<>();
        snapshot.put("aws_access_key_id", "AK");
        snapshot.put("aws_secret_access_key", "SK");
        snapshot.put("aws_session_token", "");
        snapshot.put("region_name", "us-east-1");
        try (BotoSesManager restored = BotoSesManager.fromSnapshot(snapshot)) {
            assertThat(restored.toSnapshot()).doesNotContainKey("aws_session_token");
        }
    }

    static Stream<Arguments> badSnapshots() {
        return Stream.of(
                arguments("empty file", "", "the file is empty"),
                arguments("truncated", "{\"aws_access_key_id\": \"AK\", \"aws_secret_access_key\": \"" + SECRET,
                        "not valid JSON at line 1"),
                arguments("not an object", "[\"" + SECRET + "\"]", "expected a JSON object, found an array"),
                arguments("missing secret", "{\"aws_access_key_id\": \"AK\"}",
                        "'aws_secret_access_key' is missing or empty"),
                arguments("unknown key", "{\"aws_access_key_id\": \"AK\", \"aws_secret_access_key\": \"" + SECRET
                        + "\", \"profile\": \"x\"}", "key 3 of 3 is not a snapshot key"),
                arguments("wrong type", "{\"aws_access_key_id\": 12, \"aws_secret_access_key\": \"" + SECRET + "\"}",
                        "'aws_access_key_id' must be a string, found a number"),
                arguments("bad region", "{\"region_name\": \"Mars 1\", \"aws_access_key_id\": \"AK\", "
                        + "\"aws_secret_access_key\": \"" + SECRET + "\"}", "'region_name': Invalid region"),
                arguments("trailing garbage", "{\"aws_access_key_id\": \"AK\", \"aws_secret_access_key\": \"SK\"} "
                        + SECRET, "not valid JSON"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badSnapshots")
    void badSnapshotFilesNameTheFileAndProblemButNoSecret(String label, String content, String problem)
            throws IOException {
        Path file = dir.resolve("bad.json");
        Files.writeString(file, content);
        assertThatThrownBy(() -> BotoSesManager.fromSnapshotFile(file))
                .isInstanceOf(InvalidSnapshotException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining(problem)
                .hasMessageNotContaining(SECRET)
                .satisfies(e -> assertThat(((InvalidSnapshotException) e).path()).contains(file))
                .satisfies(e -> assertThat(e.getCause()).isNull());
    }

    @Test
    void missingDirectoryHugeAndNonUtf8FilesAreRejected() throws IOException {
        assertThatThrownBy(() -> BotoSesManager.fromSnapshotFile(dir.resolve("absent.json")))
                .isInstanceOf(InvalidSnapshotException.class).hasMessageContaining("does not exist");
        assertThatThrownBy(() -> BotoSesManager.fromSnapshotFile(dir))
                .isInstanceOf(InvalidSnapshotException.class).hasMessageContaining("is a directory");
        Path huge = Files.write(dir.resolve("huge.json"), new byte[SnapshotCodec.MAX_BYTES + 1]);
        assertThatThrownBy(() -> BotoSesManager.fromSnapshotFile(huge))
                .isInstanceOf(InvalidSnapshotException.class).hasMessageContaining("at most 65536 bytes");
        Path latin1 = Files.write(dir.resolve("latin1.json"),
                "{\"aws_access_key_id\": \"caf\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1));
        assertThatThrownBy(() -> BotoSesManager.fromSnapshotFile(latin1))
                .isInstanceOf(InvalidSnapshotException.class).hasMessageContaining("not UTF-8");
    }

    @Test
    void writingIntoAMissingDirectoryFailsBeforeAnythingIsWritten() {
        try (BotoSesManager bsm = BotoSesManager.builder().credentials("AK", "SK").region("us-east-1").build()) {
            assertThatThrownBy(() -> bsm.tempSnapshot(dir.resolve("no/such/dir/snap.json")))
                    .isInstanceOf(InvalidSnapshotException.class).hasMessageContaining("directory does not exist");
            assertThatThrownBy(() -> bsm.tempSnapshot(dir))
                    .isInstanceOf(InvalidSnapshotException.class).hasMessageContaining("is a directory");
        }
        assertThat(dir).isEmptyDirectory();
    }
}
