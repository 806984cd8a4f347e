package dev.bsm.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.api.parallel.Resources;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.function.ThrowingConsumer;

/**
 * Every bad input gives its documented typed exception, whose message names the problem, shows no secret, and
 * leaves nothing half-done: environment, system properties and the working directory are as before.
 */
@ResourceLock(GlobalState.ENVIRONMENT_LOCK)
@ResourceLock(Resources.SYSTEM_PROPERTIES)
class BadInputTests {
    static final String SECRET = Canary.SECRET;
    private static final String ROLE = "arn:aws:iam::111122223333:role/deployer";

    @TempDir
    static Path dir;

    private GlobalState before;
    private List<Path> filesBefore;

    /** A manager whose network calls would fail differently (closed port): bad input must fail first. */
    private static BotoSesManager manager() {
        return BotoSesManager.builder().credentials("AKIDBADINPUT", SECRET).region("us-east-1")
                .endpointOverride(URI.create("http://127.0.0.1:9")).build();
    }

    private static ThrowingConsumer<Path> snapshotFile(String content) {
        return file -> Files.writeString(file, content);
    }

    static Stream<Arguments> badInputs() {
        String valid = "{\"aws_access_key_id\": \"AK\", \"aws_secret_access_key\": \"" + SECRET + "\"}";
        return Stream.of(
                // role ARNs
                bad("role ARN: a name", InvalidConfigurationException.class, "Invalid role ARN",
                        () -> manager().assumeRole("deployer")),
                bad("role ARN: short account", InvalidConfigurationException.class, "12-digit account id",
                        () -> manager().assumeRole("arn:aws:iam::1111:role/x")),
                bad("role ARN: a user", InvalidConfigurationException.class, "Invalid role ARN",
                        () -> manager().assumeRole("arn:aws:iam::111122223333:user/x")),
                bad("role ARN: sts service", InvalidConfigurationException.class, "Invalid role ARN",
                        () -> manager().assumeRole("arn:aws:sts::111122223333:role/x")),
                bad("role ARN: null", InvalidConfigurationException.class, "Invalid role ARN",
                        () -> manager().assumeRole(null)),
                // durations and other role options
                bad("duration: too short", InvalidConfigurationException.class, "900 (PT15M) to 43200",
                        () -> manager().assumeRole(ROLE, o -> o.duration(Duration.ofMinutes(1)))),
                bad("duration: too long", InvalidConfigurationException.class, "900 (PT15M) to 43200",
                        () -> manager().assumeRole(ROLE, o -> o.duration(Duration.ofHours(13)))),
                bad("duration: negative", InvalidConfigurationException.class, "duration",
                        () -> manager().assumeRole(ROLE, o -> o.duration(Duration.ofSeconds(-900)))),
                bad("duration: fractional", InvalidConfigurationException.class, "whole seconds",
                        () -> manager().assumeRole(ROLE, o -> o.duration(Duration.ofMillis(1_000_500)))),
                bad("session name with a space", InvalidConfigurationException.class, "role session name",
                        () -> manager().assumeRole(ROLE, o -> o.roleSessionName("my session"))),
                bad("MFA code that is not six digits", InvalidConfigurationException.class, "six digits",
                        () -> manager().assumeRole(ROLE, o -> o.mfaSerialNumber("serial").mfaTokenCode(() -> "12"))),
                // account ids
                bad("account id: 11 digits", InvalidConfigurationException.class, "exactly 12 digits",
                        () -> BotoSesManager.builder().accountId("11112222333")),
                bad("account id: a secret given by mistake", InvalidConfigurationException.class,
                        "exactly 12 digits", () -> BotoSesManager.builder().accountId(SECRET)),
                // regions
                bad("region: upper case", InvalidConfigurationException.class, "such as us-east-1",
                        () -> BotoSesManager.builder().region("US-EAST-1")),
                bad("region: blank", InvalidConfigurationException.class, "such as us-east-1",
                        () -> BotoSesManager.builder().region(" ")),
                bad("region: spaces", InvalidConfigurationException.class, "such as us-east-1",
                        () -> BotoSesManager.builder().region("us east 1")),
                bad("region: a secret given by mistake", InvalidConfigurationException.class, "such as us-east-1",
                        () -> BotoSesManager.builder().region(SECRET)),
                bad("region: of an assumed role", InvalidConfigurationException.class, "region",
                        () -> manager().assumeRole(ROLE, o -> o.region("Mars"))),
                // profiles
                bad("profile: blank", InvalidConfigurationException.class, "Invalid profile name",
                        () -> BotoSesManager.builder().profileName("")),
                bad("profile: brackets", InvalidConfigurationException.class, "Invalid profile name",
                        () -> BotoSesManager.builder().profileName("[dev]")),
                bad("profile: unknown", UnknownProfileException.class, "not found in",
                        () -> BotoSesManager.builder().profileName("bsm-no-such-profile-4711").build()),
                bad("CLI variable: '=' in the name", InvalidConfigurationException.class, "contains '='",
                        () -> manager().awscliVariables().with("A=B", Optional.of(SECRET))),
                bad("CLI variable: NUL in the value", InvalidConfigurationException.class, "NUL character",
                        () -> manager().awscliVariables().with("BSM_X", Optional.of(SECRET + "\0"))),
                bad("credentials: NUL in the secret", InvalidConfigurationException.class,
                        "secretAccessKey contains a NUL character",
                        () -> BotoSesManager.builder().credentials("AK", SECRET + "\0tail")),
                bad("credentials: lone surrogate in the secret", InvalidConfigurationException.class,
                        "secretAccessKey contains a lone UTF-16 surrogate",
                        () -> BotoSesManager.builder().credentials("AK", SECRET + "\ud800", "TOKEN")),
                bad("credentials: NUL in the session token", InvalidConfigurationException.class,
                        "sessionToken contains a NUL character",
                        () -> BotoSesManager.builder().credentials("AK", SECRET, "TOKEN\0" + SECRET)),
                bad("credentials: NUL in the access key id", InvalidConfigurationException.class,
                        "accessKeyId contains a NUL character",
                        () -> BotoSesManager.builder().credentials("AK\0", SECRET)),
                bad("two credentials sources", InvalidConfigurationException.class, "Choose one credentials source",
                        () -> BotoSesManager.builder().credentials("AK", SECRET).profileName("dev").build()),
                // endpoints
                bad("endpoint: no scheme", InvalidConfigurationException.class, "absolute http or https URI",
                        () -> BotoSesManager.builder().endpointOverride(URI.create("localhost:4566"))),
                bad("endpoint: ftp", InvalidConfigurationException.class, "absolute http or https URI",
                        () -> BotoSesManager.builder().endpointOverride(URI.create("ftp://host"))),
                bad("endpoint: relative", InvalidConfigurationException.class, "absolute http or https URI",
                        () -> BotoSesManager.builder().endpointOverride(URI.create("/path"))),
                bad("endpoint: credentials in it", InvalidConfigurationException.class, "no user info",
                        () -> BotoSesManager.builder().endpointOverride(URI.create("http://AK:" + SECRET + "@host"))),
                // client types
                bad("client type: not a client", InvalidConfigurationException.class, "not an AWS SDK client type",
                        () -> manager().client(String.class)),
                // snapshots
                badFile("snapshot: empty", "", "the file is empty"),
                badFile("snapshot: truncated", valid.substring(0, valid.length() - 5), "not valid JSON"),
                badFile("snapshot: an array", "[\"" + SECRET + "\"]", "found an array"),
                badFile("snapshot: wrongly typed", "{\"aws_access_key_id\": [1], \"aws_secret_access_key\": \"" + SECRET
                        + "\"}", "must be a string, found an array"),
                badFile("snapshot: missing key", "{\"aws_access_key_id\": \"AK\"}", "'aws_secret_access_key' is missing"),
                badFile("snapshot: unknown key", valid.replace("}", ", \"endpoint_url\": \"x\"}"),
                        "is not a snapshot key"),
                badFile("snapshot: NUL in the secret", valid.replace(SECRET, SECRET + "\\u0000"),
                        "'aws_secret_access_key' contains a NUL character"),
                badFile("snapshot: a secret as a key", valid.replace("}", ", \"" + SECRET + "\": \"x\"}"),
                        "key 3 of 3 is not a snapshot key"),
                badFile("snapshot: a secret as the region",
                        valid.replace("{", "{\"region_name\": \"" + SECRET + "\", "), "'region_name': Invalid region"),
                badFile("snapshot: blank secret", "{\"aws_access_key_id\": \"AK\", \"aws_secret_access_key\": \" \"}",
                        "is missing or empty"),
                badFile("snapshot: blank session token", "{\"aws_access_key_id\": \"AK\", \"aws_secret_access_key\": \""
                        + SECRET + "\", \"aws_session_token\": \"  \"}", "'aws_session_token' is blank"),
                bad("snapshot: huge", InvalidSnapshotException.class, "a snapshot is at most", () ->
                        BotoSesManager.fromSnapshotFile(Files.write(dir.resolve("huge.json"),
                                ("{\"aws_access_key_id\": \"" + "A".repeat(70_000) + "\"}").getBytes(StandardCharsets.UTF_8)))),
                bad("snapshot: not UTF-8", InvalidSnapshotException.class, "not UTF-8", () ->
                        BotoSesManager.fromSnapshotFile(Files.write(dir.resolve("latin1.json"),
                                ("{\"aws_secret_access_key\": \"" + SECRET + "\u00ff\"}").getBytes(StandardCharsets.ISO_8859_1)))),
                bad("snapshot: a directory", InvalidSnapshotException.class, "is a directory",
                        () -> BotoSesManager.fromSnapshotFile(dir)),
                bad("snapshot: missing file", InvalidSnapshotException.class, "does not exist",
                        () -> BotoSesManager.fromSnapshotFile(dir.resolve("nope.json"))),
                bad("snapshot map: null", InvalidSnapshotException.class, "is null",
                        () -> BotoSesManager.fromSnapshot(null)),
                bad("snapshot map: wrong type", InvalidSnapshotException.class, "must be a string, found a number",
                        () -> BotoSesManager.fromSnapshot(Map.of("aws_access_key_id", 7, "aws_secret_access_key", SECRET))),
                bad("temp snapshot into a missing directory", InvalidSnapshotException.class, "directory does not exist",
                        () -> manager().tempSnapshot(dir.resolve("no/such/dir/s.json"))));
    }

    private static Arguments bad(String label, Class<? extends BsmException> type, String problem, Action action) {
        return arguments(label, type, problem, action);
    }

    private static Arguments badFile(String label, String content, String problem) {
        return bad(label, InvalidSnapshotException.class, problem, () -> {
            Path file = dir.resolve(label.replaceAll("\\W", "-") + ".json");
            snapshotFile(content).accept(file);
            BotoSesManager.fromSnapshotFile(file);
        });
    }

    /** The call with the bad input. */
    interface Action {
        void run() throws Throwable;
    }

    @BeforeEach
    void capture() throws Exception {
        before = GlobalState.capture();
        try (Stream<Path> files = Files.list(Path.of("."))) {
            filesBefore = files.sorted().toList();
        }
    }

    @AfterEach
    void nothingHalfDone() throws Exception {
        assertThat(GlobalState.capture().differencesFrom(before)).as("environment or properties changed").isEmpty();
        try (Stream<Path> files = Files.list(Path.of("."))) {
            assertThat(files.sorted().toList()).as("files in the working directory").isEqualTo(filesBefore);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInputs")
    void badInputGivesATypedExceptionNamingTheProblemWithoutSecrets(String label, Class<? extends BsmException> type,
            String problem, Action action) {
        assertThatThrownBy(action::run)
                .isInstanceOf(type)
                .hasMessageContaining(problem)
                .hasMessageNotContaining(SECRET)
                .satisfies(e -> assertThat(String.valueOf(e)).doesNotContain(SECRET));
    }

    @org.junit.jupiter.api.Test
    void thereAreAtLeastThirtyBadInputs() {
        assertThat(badInputs().count()).isGreaterThanOrEqualTo(30);
    }
}
