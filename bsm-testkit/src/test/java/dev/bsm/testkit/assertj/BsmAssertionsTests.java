package dev.bsm.testkit.assertj;

import static dev.bsm.testkit.assertj.BsmAssertions.assertThat;
import static dev.bsm.testkit.assertj.BsmAssertions.assertThatSnapshot;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.bsm.core.BotoSesManager;
import dev.bsm.core.TempSnapshot;
import dev.bsm.testkit.MotoServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * {@link BsmAssertions}: every assertion passes and fails, with messages that explain and never show a secret. The
 * identity assertions run against the real {@code moto_server}.
 *
 * <p>This file imports both {@code BsmAssertions.assertThat} and AssertJ's {@code Assertions.assertThat}
 * statically: that it compiles shows that the two do not clash.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class BsmAssertionsTests {

    private static final String SECRET = "s3cr3t-Key-NEVER-shown";
    private static final String TOKEN = "T0ken-NEVER-shown";

    private static BotoSesManager base;
    private static BotoSesManager deployer;

    @BeforeAll
    static void assumeRole() {
        if (MotoServer.unavailableReason().isPresent() && !Boolean.getBoolean("bsm.requireEmulator")) {
            return; // the moto tests skip themselves; the others need no server
        }
        base = MotoServer.shared().session();
        deployer = base.assumeRole("arn:aws:iam::" + base.awsAccountId() + ":role/deployer",
                o -> o.roleSessionName("assertions").duration(Duration.ofHours(1)));
    }

    @AfterAll
    static void close() {
        if (deployer != null) {
            deployer.close();
        }
    }

    // ------------------------------------------------------------------------------------------ identity

    @Test
    void hasAccountId() {
        assumeMotoAvailable();
        String account = MotoServer.shared().accountId();
        assertThat(deployer).hasAccountId(account);

        assertThatThrownBy(() -> assertThat(deployer).hasAccountId("999999999999"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("to have account id:\n  \"999999999999\"")
                .hasMessageContaining("but it has:\n  \"" + account + "\"")
                .hasMessageContaining(deployer.principalArn())
                .satisfies(this::showsNoSecretOfTheDeployer);
    }

    @Test
    void hasPrincipalArn() {
        assumeMotoAvailable();
        assertThat(deployer).hasPrincipalArn(deployer.principalArn());

        assertThatThrownBy(() -> assertThat(deployer).hasPrincipalArn(base.principalArn()))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("to have principal ARN:\n  \"" + base.principalArn() + "\"")
                .hasMessageContaining("but it has:\n  \"" + deployer.principalArn() + "\"")
                .satisfies(this::showsNoSecretOfTheDeployer);
    }

    @Test
    void isAssumedRole() {
        assumeMotoAvailable();
        assertThat(deployer).isAssumedRole("deployer");

        assertThatThrownBy(() -> assertThat(deployer).isAssumedRole("auditor"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("to be a session of assumed role:\n  \"auditor\"")
                .hasMessageContaining("but it is a session of role:\n  \"deployer\"")
                .hasMessageContaining(deployer.principalArn())
                .satisfies(this::showsNoSecretOfTheDeployer);
        assertThatThrownBy(() -> assertThat(base).isAssumedRole("deployer"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("but its principal is not an assumed role:\n  \"" + base.principalArn() + "\"");
        assertThatThrownBy(() -> assertThat(deployer).isAssumedRole(
                "arn:aws:iam::" + base.awsAccountId() + ":role/deployer"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("role name without path");
        assertThatThrownBy(() -> assertThat(deployer).isAssumedRole("team/deployer"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void chainedAndDescribed() {
        assumeMotoAvailable();
        assertThat(deployer)
                .hasAccountId(base.awsAccountId())
                .isAssumedRole("deployer")
                .hasRegion(base.awsRegion())
                .isNotExpired()
                .expiresWithin(Duration.ofHours(1).plusMinutes(1));

        assertThatThrownBy(() -> assertThat(deployer).as("the deployer").hasRegion("eu-west-1"))
                .isInstanceOf(AssertionError.class)
                .hasMessageStartingWith("[the deployer] ");
    }

    // ------------------------------------------------------------------------------------------ region, expiry

    @Test
    void hasRegion() {
        try (BotoSesManager bsm = session(Instant.now().plusSeconds(3600))) {
            assertThat(bsm).hasRegion("eu-west-1");

            assertThatThrownBy(() -> assertThat(bsm).hasRegion("us-east-1"))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("to have region:\n  \"us-east-1\"\nbut it has:\n  \"eu-west-1\"")
                    .hasMessageContaining(bsm.toString())
                    .satisfies(BsmAssertionsTests::showsNoSecret);
        }
    }

    @Test
    void isNotExpired() {
        try (BotoSesManager fresh = session(Instant.now().plusSeconds(600));
                BotoSesManager longTerm = BotoSesManager.builder().credentials("AKIDLONGTERM", SECRET)
                        .region("eu-west-1").build();
                BotoSesManager expired = session(Instant.parse("2020-01-02T03:04:05Z"))) {
            assertThat(fresh).isNotExpired();
            assertThat(longTerm).as("long-term keys never expire").isNotExpired();

            assertThatThrownBy(() -> assertThat(expired).isNotExpired())
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("to have credentials that have not expired")
                    .hasMessageContaining("but they expired at:\n  2020-01-02T03:04:05Z")
                    .hasMessageContaining(" ago (now ")
                    .satisfies(BsmAssertionsTests::showsNoSecret);
        }
    }

    @Test
    void expiresWithin() {
        Instant inTenMinutes = Instant.now().plus(Duration.ofMinutes(10));
        try (BotoSesManager soon = session(inTenMinutes);
                BotoSesManager longTerm = BotoSesManager.builder().credentials("AKIDLONGTERM", SECRET)
                        .region("eu-west-1").build();
                BotoSesManager expired = session(Instant.parse("2020-01-02T03:04:05Z"))) {
            assertThat(soon).expiresWithin(Duration.ofMinutes(11)).expiresWithin(Duration.ofHours(1));

            assertThatThrownBy(() -> assertThat(soon).expiresWithin(Duration.ofMinutes(5)))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("to have credentials that expire within PT5M")
                    .hasMessageContaining("but they expire at:\n  " + inTenMinutes)
                    .hasMessageContaining("\nin PT9M5") // 9 min 5x s, truncated to seconds
                    .satisfies(BsmAssertionsTests::showsNoSecret);
            assertThatThrownBy(() -> assertThat(longTerm).expiresWithin(Duration.ofHours(1)))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("but they have no expiry (long-term credentials never expire)")
                    .satisfies(BsmAssertionsTests::showsNoSecret);
            assertThatThrownBy(() -> assertThat(expired).expiresWithin(Duration.ofHours(1)))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("but they already expired at:\n  2020-01-02T03:04:05Z");
            assertThatThrownBy(() -> assertThat(soon).expiresWithin(Duration.ZERO))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void nullActual() {
        assertThatThrownBy(() -> assertThat((BotoSesManager) null).hasRegion("us-east-1"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Expecting actual not to be null");
        assertThatThrownBy(() -> assertThatSnapshot(null).isOwnerOnly())
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Expecting actual not to be null");
    }

    // ------------------------------------------------------------------------------------------ snapshot files

    @Test
    void isOwnerOnly(@TempDir Path dir) throws IOException {
        assumePosix(dir);
        try (BotoSesManager bsm = session(Instant.now().plusSeconds(3600));
                TempSnapshot snapshot = bsm.tempSnapshot(dir.resolve("session.json"))) {
            assertThatSnapshot(snapshot.path()).isOwnerOnly();
        }

        Path wide = Files.writeString(dir.resolve("100% wide.json"), "{}");
        Files.setPosixFilePermissions(wide, PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> assertThatSnapshot(wide).isOwnerOnly())
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Expecting snapshot file:\n  " + wide)
                .hasMessageContaining("to be owner-only")
                .hasMessageContaining("but its permissions are:\n  rw-r--r--")
                .hasMessageContaining("GROUP_READ, OTHERS_READ")
                .hasMessageContaining("Write it with BotoSesManager.tempSnapshot(path)");

        Path missing = dir.resolve("missing.json");
        assertThatThrownBy(() -> assertThatSnapshot(missing).isOwnerOnly())
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining(missing + "\nto be owner-only")
                .hasMessageContaining("but it does not exist");
        assertThatThrownBy(() -> assertThatSnapshot(dir).isOwnerOnly())
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("but it is not a regular file");
    }

    @Test
    void holdsSessionOf(@TempDir Path dir) {
        Instant expiry = Instant.now().plusSeconds(3600);
        try (BotoSesManager bsm = session(expiry);
                TempSnapshot snapshot = bsm.tempSnapshot(dir.resolve("session.json"))) {
            assertThatSnapshot(snapshot.path()).holdsSessionOf(bsm);

            try (BotoSesManager otherRegion = session(expiry, "AKIDSESSION", SECRET, TOKEN, "us-west-2")) {
                assertThatThrownBy(() -> assertThatSnapshot(snapshot.path()).holdsSessionOf(otherRegion))
                        .isInstanceOf(AssertionError.class)
                        .hasMessageContaining("Expecting snapshot file:\n  " + snapshot.path())
                        .hasMessageContaining("to hold the session of:\n  " + otherRegion)
                        .hasMessageContaining("but this field differs:\n"
                                + "  - region_name: expected \"us-west-2\" but the file has \"eu-west-1\"")
                        .hasMessageContaining("write it again with tempSnapshot(path) of this session")
                        .satisfies(BsmAssertionsTests::showsNoSecret);
            }
            try (BotoSesManager otherKeys = session(expiry, "AKIDOTHER", "other-secret-NEVER", "other-token-NEVER",
                    "eu-west-1")) {
                assertThatThrownBy(() -> assertThatSnapshot(snapshot.path()).holdsSessionOf(otherKeys))
                        .isInstanceOf(AssertionError.class)
                        .hasMessageContaining("but these fields differ:\n"
                                + "  - aws_access_key_id: expected \"AKIDOTHER\" but the file has \"AKIDSESSION\"\n"
                                + "  - aws_secret_access_key: the file has a different secret access key (values not"
                                + " shown)\n"
                                + "  - aws_session_token: the file has a different session token (values not shown)")
                        .satisfies(BsmAssertionsTests::showsNoSecret)
                        .hasMessageNotContaining("other-secret-NEVER")
                        .hasMessageNotContaining("other-token-NEVER");
            }
            try (BotoSesManager sameKeyNewSecret = session(expiry, "AKIDSESSION", "rotated-secret-NEVER", TOKEN,
                    "eu-west-1")) {
                assertThatThrownBy(() -> assertThatSnapshot(snapshot.path()).holdsSessionOf(sameKeyNewSecret))
                        .isInstanceOf(AssertionError.class)
                        .hasMessageContaining("but this field differs:\n  - aws_secret_access_key: the file has a"
                                + " different secret access key (values not shown)")
                        .satisfies(BsmAssertionsTests::showsNoSecret)
                        .hasMessageNotContaining("rotated-secret-NEVER");
            }
            try (BotoSesManager longTerm = BotoSesManager.builder().credentials("AKIDSESSION", SECRET)
                    .region("eu-west-1").build()) {
                assertThatThrownBy(() -> assertThatSnapshot(snapshot.path()).holdsSessionOf(longTerm))
                        .isInstanceOf(AssertionError.class)
                        .hasMessageContaining("  - aws_session_token: expected none but the file has a session token"
                                + " (not shown)")
                        .satisfies(BsmAssertionsTests::showsNoSecret);
                try (TempSnapshot noToken = longTerm.tempSnapshot(dir.resolve("long-term.json"))) {
                    assertThatThrownBy(() -> assertThatSnapshot(noToken.path()).holdsSessionOf(bsm))
                            .isInstanceOf(AssertionError.class)
                            .hasMessageContaining("  - aws_session_token: expected a session token but the file has"
                                    + " none")
                            .satisfies(BsmAssertionsTests::showsNoSecret);
                }
            }
        }
    }

    @Test
    void holdsSessionOfAnInvalidOrMissingFile(@TempDir Path dir) throws IOException {
        try (BotoSesManager bsm = session(Instant.now().plusSeconds(3600))) {
            Path broken = Files.writeString(dir.resolve("broken.json"),
                    "{\"aws_access_key_id\": \"AKIDSESSION\", \"aws_secret_access_key\": \"" + SECRET + "\"");
            assertThatThrownBy(() -> assertThatSnapshot(broken).holdsSessionOf(bsm))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("but it is not a valid snapshot: Invalid bsm snapshot file " + broken)
                    .hasMessageContaining("not valid JSON")
                    .hasMessageContaining("Write it with BotoSesManager.tempSnapshot(path)")
                    .satisfies(BsmAssertionsTests::showsNoSecret);

            Path missing = dir.resolve("missing.json");
            assertThatThrownBy(() -> assertThatSnapshot(missing).holdsSessionOf(bsm))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("but it does not exist");
        }
    }

    @Test
    void assertJsOwnPathAssertionsStillWorkNextToTheseImports(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("plain.txt"), "hello");
        assertThat(file).exists().hasContent("hello");       // AssertJ's assertThat(Path)
        assertThat(List.of(file)).containsExactly(file);    // and every other AssertJ assertThat
    }

    // ------------------------------------------------------------------------------------------ plain AssertJ

    @Test
    void plainAssertJOnSnapshotsAndCliVariablesShowsKeysAndNoSecret() {
        try (BotoSesManager one = session(Instant.now().plus(Duration.ofHours(1)));
                BotoSesManager other = session(Instant.now().plus(Duration.ofHours(1)), "AKIDSESSION",
                        SECRET + "-other", TOKEN, "eu-west-1")) {
            // bsm-core's SecretHidingRepresentation, registered for AssertJ in bsm-core's jar
            Throwable snapshots = catchThrowable(() -> assertThat(one.toSnapshot()).isEqualTo(other.toSnapshot()));
            Throwable variables = catchThrowable(() -> assertThat(one.awscliVariables().variables())
                    .containsEntry("AWS_SECRET_ACCESS_KEY", Optional.of("wrong")));
            Throwable extracted = catchThrowable(() -> assertThat(one.toSnapshot())
                    .extractingByKey("aws_session_token").isNull());

            for (Throwable error : List.of(snapshots, variables, extracted)) {
                showsNoSecret(error);
                assertThat(error).hasMessageContaining("<hidden:");
            }
            assertThat(snapshots).hasMessageContaining("aws_secret_access_key=<hidden:");
        }
    }

    // ------------------------------------------------------------------------------------------ helpers

    private static BotoSesManager session(Instant expiry) {
        return session(expiry, "AKIDSESSION", SECRET, TOKEN, "eu-west-1");
    }

    private static BotoSesManager session(Instant expiry, String keyId, String secret, String token, String region) {
        return BotoSesManager.builder()
                .credentialsProvider(StaticCredentialsProvider.create(AwsSessionCredentials.builder()
                        .accessKeyId(keyId).secretAccessKey(secret).sessionToken(token).expirationTime(expiry)
                        .build()))
                .region(region)
                .build();
    }

    private static void showsNoSecret(Throwable error) {
        assertThat(error).hasMessageNotContaining(SECRET).hasMessageNotContaining(TOKEN);
    }

    private void showsNoSecretOfTheDeployer(Throwable error) {
        assertThat(error)
                .hasMessageNotContaining(deployer.toSnapshot().get("aws_secret_access_key"))
                .hasMessageNotContaining(deployer.toSnapshot().get("aws_session_token"));
    }

    /**
     * Skips the test without moto_server. With -Dbsm.requireEmulator=true, {@link #assumeRole()} has already failed
     * the class instead.
     */
    private static void assumeMotoAvailable() {
        assumeTrue(deployer != null, () -> "moto_server is unavailable: "
                + MotoServer.unavailableReason().orElse("(no reason given)"));
    }

    private static void assumePosix(Path dir) {
        assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"), "needs POSIX permissions");
    }
}
