package dev.bsm.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.api.parallel.Resources;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

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

    /** What a build tool's argLine can pass: a system property, used only where the variable is not set. */
    @Test
    @ResourceLock(GlobalState.ENVIRONMENT_LOCK)
    @ResourceLock(Resources.SYSTEM_PROPERTIES)
    void withoutTheVariableTheSystemPropertyNamesTheFile() {
        Path fromProperty = dir.resolve("from-property.json");
        Path fromEnv = dir.resolve("from-env.json");
        System.setProperty(BotoSesManager.SNAPSHOT_FILE_PROPERTY, fromProperty.toString());
        try (BotoSesManager bsm = BotoSesManager.builder().credentials("AK", "SK").region("eu-west-1").build()) {
            try (TempSnapshot snapshot = bsm.tempSnapshot();
                    BotoSesManager restored = BotoSesManager.fromSnapshotFile()) {
                assertThat(snapshot.path()).isEqualTo(fromProperty);
                assertThat(restored.toSnapshot()).isEqualTo(bsm.toSnapshot());
            }
            try (AwsCliEnvironment ignored = AwsCliEnvironment.open(new AwsCliVariables(
                    Map.of(BotoSesManager.SNAPSHOT_FILE_VARIABLE, Optional.of(fromEnv.toString()))))) {
                assertThat(BotoSesManager.defaultSnapshotPath()).as("the variable wins").isEqualTo(fromEnv);
            }
            System.setProperty(BotoSesManager.SNAPSHOT_FILE_PROPERTY, " ");
            assertThat(BotoSesManager.defaultSnapshotPath()).as("a blank property counts as unset")
                    .isEqualTo(Path.of(System.getProperty("user.home"), ".bsm-snapshot.json"));
        } finally {
            System.clearProperty(BotoSesManager.SNAPSHOT_FILE_PROPERTY);
        }
        assertThat(fromProperty).doesNotExist();
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

    private static BotoSesManager manager() {
        return BotoSesManager.builder().credentials("AK", "SK").region("us-east-1").build();
    }

    /** Opens and closes a snapshot at the path, as the next run does. */
    private static void snapshotOpenedAndClosed(Path file) throws IOException {
        try (BotoSesManager bsm = manager(); TempSnapshot snapshot = bsm.tempSnapshot(file)) {
            assertThat(Files.readString(file)).contains("\"AK\"");
        }
    }

    /**
     * No file in the directory still holds the killed JVM's credentials (checked without printing them). Lock files
     * are never opened: closing a channel on one releases the lock this JVM may hold on it (they are empty).
     */
    private static void noSecretLeftIn(Path directory) throws IOException {
        try (Stream<Path> entries = Files.list(directory)) {
            for (Path entry : entries.filter(p -> !p.getFileName().toString().endsWith(".bsm-lock")).toList()) {
                String content = Files.readString(entry);
                assertThat(content.contains("AKIDKILLED") || content.contains(SECRET))
                        .as(entry + " holds the killed JVM's credentials").isFalse();
            }
        }
    }

    static Stream<Arguments> plantedByAnotherUser() {
        return Stream.of(
                arguments("a nothing-was-here marker", ".snap.json.bsm-aside-PID-planted.none", ""),
                arguments("a moved-aside file", ".snap.json.bsm-aside-PID-planted", "another user's file"),
                arguments("a record that says the user's file is a dead JVM's snapshot",
                        ".snap.json.bsm-record-PID-planted", "bsm-snapshot-record 1\noriginal -\nsha256 SHA\n"
                                + "size 15\nstart -\ntoken planted\n"));
    }

    /** In a directory like /tmp, another user plants what looks like a dead JVM's leftovers beside the path. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("plantedByAnotherUser")
    void whatAnotherUserPlantsBesideThePathNeverTouchesTheUsersFile(String label, String name, String content)
            throws Exception {
        UserPrincipal attacker = OtherUser.require();
        Path shared = OtherUser.sharedDirectory(dir);
        Path file = Files.writeString(shared.resolve("snap.json"), "user's own file");
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        Path planted = OtherUser.owns(attacker, Files.writeString(shared.resolve(
                name.replace("PID", Long.toString(OtherUser.deadPid()))), content.replace("SHA", sha)));
        snapshotOpenedAndClosed(file);
        assertThat(Files.readString(file)).isEqualTo("user's own file");
        assertThat(planted).as("another user's file is not ours to remove").hasContent(content.replace("SHA", sha));
    }

    @Test
    void aSecondSnapshotAtTheSameFileThroughASymlinkedDirectoryIsRefused() throws IOException {
        Path real = Files.createDirectory(dir.resolve("real"));
        Path link = Files.createSymbolicLink(dir.resolve("link"), real);
        Path file = Files.writeString(real.resolve("snap.json"), "user's own file");
        TempSnapshot[] second = new TempSnapshot[1];
        try (BotoSesManager one = manager(); BotoSesManager two = manager()) {
            TempSnapshot first = one.tempSnapshot(file);
            try {
                assertThatThrownBy(() -> second[0] = two.tempSnapshot(link.resolve("snap.json")))
                        .isInstanceOf(InvalidSnapshotException.class).hasMessageContaining("already holds this path");
            } finally {
                first.close(); // the first closes first
                if (second[0] != null) {
                    second[0].close();
                }
            }
        }
        assertThat(Files.readString(file)).isEqualTo("user's own file");
        assertThat(real.toFile().list()).containsExactly("snap.json");
    }

    @Test
    void aSnapshotThatAnotherJvmHasOpenAtTheSamePathIsRefused() throws Exception {
        Path file = Files.writeString(dir.resolve("snap.json"), "user's own file");
        Process holder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), KilledWhileOpen.class.getName(), file.toString(), "hold")
                .redirectErrorStream(true).start();
        TempSnapshot[] second = new TempSnapshot[1];
        try (BotoSesManager bsm = manager()) {
            BufferedReader output = new BufferedReader(new InputStreamReader(holder.getInputStream(),
                    StandardCharsets.UTF_8));
            String line;
            do {
                line = output.readLine();
            } while (line != null && !line.equals("open"));
            assertThat(line).as("the other JVM has its snapshot open").isEqualTo("open");
            assertThatThrownBy(() -> second[0] = bsm.tempSnapshot(file))
                    .isInstanceOf(InvalidSnapshotException.class).hasMessageContaining("already holds this path")
                    .hasMessageContaining(file.toString());
        } finally {
            holder.getOutputStream().close(); // the other JVM closes its snapshot first
            assertThat(holder.waitFor(60, TimeUnit.SECONDS)).isTrue();
            if (second[0] != null) {
                second[0].close();
            }
        }
        assertThat(holder.exitValue()).isZero();
        assertThat(Files.readString(file)).isEqualTo("user's own file");
        assertThat(dir.toFile().list()).containsExactly("snap.json");
    }

    @Test
    void jvmsRacingForOneFileNeverHoldItAtOnceAndLeaveTheUsersFile() throws Exception {
        Path file = Files.writeString(dir.resolve("snap.json"), "user's own file");
        List<Process> racers = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Process racer = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), KilledWhileOpen.class.getName(), file.toString(),
                    "race", "300").redirectErrorStream(true).start();
            racers.add(racer);
            BufferedReader output = new BufferedReader(new InputStreamReader(racer.getInputStream(),
                    StandardCharsets.UTF_8));
            assertThat(output.readLine()).isEqualTo("ready");
        }
        for (Process racer : racers) {
            racer.getOutputStream().write("go\n".getBytes(StandardCharsets.UTF_8));
            racer.getOutputStream().flush();
        }
        List<String> results = new ArrayList<>();
        results.add(SnapshotRace.run(file, "AKIDTHISJVM", 300)); // this JVM races too
        for (Process racer : racers) {
            String output = new String(racer.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            assertThat(racer.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(racer.exitValue()).as(output).isZero();
            results.add(output.substring(output.lastIndexOf('\n') + 1));
        }
        assertThat(results).as("each held the file, and only ever with its own snapshot in it")
                .allSatisfy(result -> assertThat(result).matches("held=[1-9]\\d* refused=\\d+ foreign=0"));
        assertThat(results).as("they raced: some were refused")
                .anySatisfy(result -> assertThat(result).doesNotContain(" refused=0 "));
        assertThat(file).hasContent("user's own file");
        assertThat(dir.toFile().list()).containsExactly("snap.json");
    }

    @Test
    void aFileTheUserWroteAfterACrashWinsOverTheFileMovedAsideBeforeIt() throws Exception {
        Path file = Files.writeString(dir.resolve("snap.json"), "user's own file");
        killedWhileOpen(file);
        Files.writeString(file, "user's new file"); // over the killed JVM's snapshot, in place
        snapshotOpenedAndClosed(file);
        assertThat(Files.readString(file)).isEqualTo("user's new file");
        // The file from before the crash is the user's too: kept beside it, under a name that says what it is.
        try (Stream<Path> entries = Files.list(dir)) {
            assertThat(entries.filter(p -> !p.equals(file)).toList()).singleElement().satisfies(recovered -> {
                assertThat(recovered.getFileName().toString()).startsWith("snap.json.bsm-recovered-");
                assertThat(recovered).hasContent("user's own file");
            });
        }
        noSecretLeftIn(dir);
    }

    @Test
    void whatAKilledJvmLeftAtAPathWithGlobCharactersInItsNameIsCleanedUpToo() throws Exception {
        Path file = Files.writeString(dir.resolve("snap[1]{a,b}*.json"), "user's own file");
        killedWhileOpen(file);
        snapshotOpenedAndClosed(file);
        assertThat(file).hasContent("user's own file");
        assertThat(dir.toFile().list()).containsExactly("snap[1]{a,b}*.json");
    }

    @Test
    void aFileTheUserWroteAfterACrashIsNeverDeletedByTheNextSnapshot() throws Exception {
        Path file = dir.resolve("fresh.json");
        killedWhileOpen(file);
        Files.delete(file);
        Files.writeString(file, "user's new file");
        snapshotOpenedAndClosed(file);
        assertThat(Files.readString(file)).isEqualTo("user's new file");
        assertThat(dir.toFile().list()).containsExactly("fresh.json");
    }

    @Test
    void aMalformedRecordIsLeftAloneAndDoesNotBlockThePath() throws Exception {
        Path file = Files.writeString(dir.resolve("snap.json"), "user's own file");
        Path record = Files.writeString(dir.resolve(".snap.json.bsm-record-" + OtherUser.deadPid() + "-t"),
                "bsm-snapshot-record 1\noriginal -\nsha256 " + "0".repeat(64) + "\nsize x\nstart -\ntoken t\n");
        snapshotOpenedAndClosed(file);
        assertThat(file).hasContent("user's own file");
        assertThat(record).as("not one bsm can read: left as it is").exists();
    }

    @Test
    void aLockFileThatIsASymbolicLinkIsNeverFollowed() throws IOException {
        Path file = Files.writeString(dir.resolve("snap.json"), "user's own file");
        Path elsewhere = dir.resolve("elsewhere");
        Files.createSymbolicLink(dir.resolve(".snap.json.bsm-lock"), elsewhere);
        try (BotoSesManager bsm = manager()) {
            assertThatThrownBy(() -> bsm.tempSnapshot(file)).isInstanceOf(InvalidSnapshotException.class)
                    .hasMessageContaining(file.toString()).hasMessageContaining("lock file")
                    .hasMessageContaining("remove it");
        }
        assertThat(elsewhere).doesNotExist();
        assertThat(file).hasContent("user's own file");
    }

    @Test
    void aLockFileThatIsAFifoIsRefusedWithoutWaitingForAWriter() throws Exception {
        assumeTrue(System.getProperty("os.name").startsWith("Linux"), "mkfifo is run on Linux only");
        Path file = Files.writeString(dir.resolve("snap.json"), "user's own file");
        assertThat(OtherUser.run("mkfifo", dir.resolve(".snap.json.bsm-lock").toString())).isEmpty();
        try (BotoSesManager bsm = manager()) {
            assertTimeoutPreemptively(Duration.ofSeconds(30), () -> assertThatThrownBy(() -> bsm.tempSnapshot(file))
                    .isInstanceOf(InvalidSnapshotException.class).hasMessageContaining("not a plain file of yours"));
        }
        assertThat(file).hasContent("user's own file");
    }

    @Test
    void aLockFileOfAnotherUserIsRefused() throws Exception {
        UserPrincipal attacker = OtherUser.require();
        Path shared = OtherUser.sharedDirectory(dir);
        Path file = Files.writeString(shared.resolve("snap.json"), "user's own file");
        Path lock = OtherUser.owns(attacker, Files.createFile(shared.resolve(".snap.json.bsm-lock"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-rw-rw-"))));
        Files.setPosixFilePermissions(lock, PosixFilePermissions.fromString("rw-rw-rw-"));
        try (BotoSesManager bsm = manager()) {
            assertThatThrownBy(() -> bsm.tempSnapshot(file)).isInstanceOf(InvalidSnapshotException.class)
                    .hasMessageContaining("another user's");
        }
        assertThat(lock).as("not ours to remove").exists();
        assertThat(file).hasContent("user's own file");
    }

    @Test
    void aPidReusedByAnotherProcessIsNotTakenForTheJvmThatDied() throws Exception {
        Path file = Files.writeString(dir.resolve("snap.json"), "user's own file");
        killedWhileOpen(file);
        // What the killed JVM left, renamed to a pid that runs now (this JVM's): its start time tells them apart.
        try (Stream<Path> entries = Files.list(dir)) {
            for (Path left : entries.filter(p -> p.getFileName().toString().startsWith(".snap.json.bsm-")).toList()) {
                Files.move(left, left.resolveSibling(left.getFileName().toString()
                        .replaceFirst("-\\d+-", "-" + ProcessHandle.current().pid() + "-")));
            }
        }
        snapshotOpenedAndClosed(file);
        assertThat(file).hasContent("user's own file");
        assertThat(dir.toFile().list()).containsExactly("snap.json");
    }

    @Test
    void aFileAnotherProcessPutAtThePathWhileOpenIsKeptAndTheOneFromBeforeIsPutBesideIt() throws IOException {
        Path file = Files.writeString(dir.resolve("snap.json"), "user's own file");
        try (BotoSesManager bsm = manager(); TempSnapshot snapshot = bsm.tempSnapshot(file)) {
            Files.delete(file);
            Files.writeString(file, "another process's file");
        }
        assertThat(file).hasContent("another process's file");
        try (Stream<Path> entries = Files.list(dir)) {
            assertThat(entries.filter(p -> !p.equals(file)).toList()).singleElement().satisfies(recovered -> {
                assertThat(recovered.getFileName().toString()).startsWith("snap.json.bsm-recovered-");
                assertThat(recovered).hasContent("user's own file");
            });
        }
    }

    /** {@return what a child JVM that tries to open a snapshot at the path says, once its input is closed} */
    private static String anotherJvmTries(Path file) throws Exception {
        Process other = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), KilledWhileOpen.class.getName(), file.toString(), "hold")
                .redirectErrorStream(true).start();
        other.getOutputStream().close(); // if it opens, it closes at once
        String output = new String(other.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(other.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return output;
    }

    private static Path lockFileOf(Path file) {
        return file.resolveSibling("." + file.getFileName() + ".bsm-lock");
    }

    /** A snapshot's lock is lost while it is open: the holding JVM reads its own lock file, or someone removes it. */
    @ParameterizedTest(name = "the lock file {0}")
    @ValueSource(strings = {"read by the JVM holding it", "removed"})
    void aSnapshotWhoseLockIsLostStillHoldsThePath(String lost) throws Exception {
        Path file = Files.writeString(dir.resolve("snap.json"), "user's own file");
        Path lock = lockFileOf(file);
        try (BotoSesManager bsm = manager(); TempSnapshot snapshot = bsm.tempSnapshot(file)) {
            if (lost.startsWith("read")) {
                Files.readAllBytes(lock); // closing this channel releases the JVM's lock on the file
            } else {
                Files.delete(lock); // a careless rm, a cleaner of /tmp
            }
            assertThat(anotherJvmTries(file)).as("the other JVM is refused").doesNotContain("open\n")
                    .contains("already holds this path").contains("lock file");
        }
        assertThat(file).hasContent("user's own file");
        assertThat(dir.toFile().list()).containsExactly("snap.json");
    }

    @Test
    void aLockFileThatReplacedTheLockedOneIsNotRemovedOnClose() throws Exception {
        Path file = Files.writeString(dir.resolve("snap.json"), "user's own file");
        Path lock = lockFileOf(file);
        try (BotoSesManager bsm = manager(); TempSnapshot snapshot = bsm.tempSnapshot(file)) {
            Files.delete(lock);
            Files.createFile(lock); // another snapshot's lock file now, not the one this snapshot locked
        }
        assertThat(lock).as("not the lock file the snapshot locked: not its to remove").exists();
        Files.delete(lock);
        assertThat(file).hasContent("user's own file");
        assertThat(dir.toFile().list()).containsExactly("snap.json");
    }

    @Test
    void aUsersFileLikeTheSnapshotSurvivesAJvmKilledBeforeMovingItAside() throws Exception {
        byte[] same = "{\"region_name\": \"us-east-1\", \"aws_access_key_id\": \"AKIDSAME\"}".getBytes(
                StandardCharsets.UTF_8);
        Path file = Files.write(dir.resolve("saved.json"), same);
        Path real = dir.toRealPath().resolve("saved.json");
        // What a JVM killed right after writing its record leaves: a record whose snapshot holds the user's bytes.
        Path record = SnapshotRecord.create(real, same, Optional.of(SnapshotRecord.fileKey(real))).file();
        Files.move(record, record.resolveSibling(record.getFileName().toString()
                .replaceFirst("-\\d+-", "-" + OtherUser.deadPid() + "-")));
        snapshotOpenedAndClosed(file);
        assertThat(file).as("the user's file, never moved aside").exists().hasBinaryContent(same);
        assertThat(dir.toFile().list()).containsExactly("saved.json");
    }

    @Test
    void namesPlantedForTheRecoveredFileDoNotBlockThePath() throws Exception {
        Path file = Files.writeString(dir.resolve("snap.json"), "user's own file");
        killedWhileOpen(file);
        Files.writeString(file, "user's new file");
        String record;
        try (Stream<Path> entries = Files.list(dir)) {
            record = entries.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".snap.json.bsm-record-"))
                    .findFirst().orElseThrow();
        }
        // Each name the recovered file could get in the next two minutes, if its name were derived from the record.
        String token8 = record.replaceFirst("^.*record-\\d+-", "").substring(0, 8);
        java.time.format.DateTimeFormatter time = java.time.format.DateTimeFormatter
                .ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(java.time.ZoneOffset.UTC);
        java.time.Instant now = java.time.Instant.now();
        List<Path> planted = new ArrayList<>();
        for (int s = -5; s <= 120; s++) {
            planted.add(Files.writeString(dir.resolve("snap.json.bsm-recovered-" + time.format(now.plusSeconds(s))
                    + "-" + token8), "planted"));
        }
        snapshotOpenedAndClosed(file);
        assertThat(file).hasContent("user's new file");
        assertThat(planted).allSatisfy(p -> assertThat(p).hasContent("planted"));
        try (Stream<Path> entries = Files.list(dir)) {
            assertThat(entries.filter(p -> !p.equals(file) && !planted.contains(p)).toList()).singleElement()
                    .satisfies(recovered -> assertThat(recovered).hasContent("user's own file"));
        }
        noSecretLeftIn(dir);
    }

    @Test
    void aFileNameOfTwoHundredCharactersIsSnapshottedAndPutBackAfterACrashToo() throws Exception {
        Path file = Files.writeString(dir.resolve("x".repeat(195) + ".json"), "user's own file");
        snapshotOpenedAndClosed(file);
        assertThat(file).hasContent("user's own file");
        assertThat(dir.toFile().list()).containsExactly(file.getFileName().toString());
        killedWhileOpen(file);
        snapshotOpenedAndClosed(file);
        assertThat(file).hasContent("user's own file");
        assertThat(dir.toFile().list()).containsExactly(file.getFileName().toString());
    }
}
