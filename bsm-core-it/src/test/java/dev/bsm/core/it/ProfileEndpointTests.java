package dev.bsm.core.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bsm.core.BotoSesManager;
import dev.bsm.core.CredentialsNetworkException;
import dev.bsm.testkit.MotoServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.api.parallel.Resources;

/**
 * A profile manager with an endpoint override sends every call there, the profile's own STS calls (role_arn with
 * source_profile, credential_source or web_identity_token_file) included; a network failure on the way to the
 * profile's credentials says so and names the host.
 */
@ResourceLock(Resources.SYSTEM_PROPERTIES)
class ProfileEndpointTests {
    private final CallCounter counter = new CallCounter();
    @TempDir
    Path dir;

    private static String base() {
        return "[profile base]\naws_access_key_id = AKIDBASEPROFILE\naws_secret_access_key = " + Moto.CANARY_SECRET
                + "\n";
    }

    private static String role(String profile, String name, String source) {
        return "[profile " + profile + "]\nrole_arn = arn:aws:iam::" + Moto.server().accountId() + ":role/" + name
                + "\n" + source + "\nrole_session_name = " + name + "-session\n"
                // The SDK's own STS client takes its region from here; without one it goes to sts.amazonaws.com.
                + "region = us-east-1\n";
    }

    private BotoSesManager onMoto(String profile) {
        MotoServer moto = Moto.server();
        return BotoSesManager.builder().profileName(profile).region(moto.region()).endpointOverride(moto.endpoint())
                .overrideConfiguration(c -> c.addExecutionInterceptor(counter)).build();
    }

    private static String assumedRole(String name) {
        return "arn:aws:sts::" + Moto.server().accountId() + ":assumed-role/" + name + "/" + name + "-session";
    }

    @Test
    void aRoleProfilesAssumeRoleGoesToTheEndpointThroughTheManagersConfiguration() {
        try (ProfileFiles files = ProfileFiles.in(dir).config(base() + role("deployer", "deployer",
                "source_profile = base")); BotoSesManager bsm = onMoto("deployer")) {
            assertThat(bsm.principalArn()).isEqualTo(assumedRole("deployer"));
            assertThat(bsm.expiration()).as("STS's expiry").isPresent();
            assertThat(counter.count("AssumeRole")).isEqualTo(1);
        }
    }

    @Test
    void eachRoleOfAChainIsAssumedAtTheEndpoint() {
        try (ProfileFiles files = ProfileFiles.in(dir).config(base()
                + role("deployer", "deployer", "source_profile = base")
                + role("auditor", "auditor", "source_profile = deployer"));
                BotoSesManager bsm = onMoto("auditor")) {
            assertThat(bsm.principalArn()).isEqualTo(assumedRole("auditor"));
            assertThat(counter.bodies("AssumeRole")).hasSize(2)
                    .anySatisfy(body -> assertThat(body).contains("role%2Fdeployer"))
                    .anySatisfy(body -> assertThat(body).contains("role%2Fauditor"));
        }
    }

    @Test
    void aChainAtTheLimitOf64SourceProfileHopsIsAssumedHopByHop() {
        // 64 is ProfileChain.MAX_SOURCE_PROFILES: one hop more is refused (bsm-core's ProfileChainTests).
        int hops = 64;
        String chain = IntStream.rangeClosed(1, hops).mapToObj(i -> role("hop" + i, "hop" + i,
                "source_profile = " + (i == 1 ? "base" : "hop" + (i - 1)))).collect(Collectors.joining());
        try (ProfileFiles files = ProfileFiles.in(dir).config(base() + chain);
                BotoSesManager bsm = onMoto("hop" + hops)) {
            assertThat(bsm.principalArn()).isEqualTo(assumedRole("hop" + hops));
            assertThat(counter.count("AssumeRole")).isEqualTo(hops);
        }
    }

    @Test
    void aRoleFromTheEnvironmentsCredentialsIsAssumedAtTheEndpoint() {
        try (ProfileFiles files = ProfileFiles.in(dir).config(role("ci", "ci", "credential_source = Environment"))
                .set("aws.accessKeyId", "AKIDFROMPROPERTIES").set("aws.secretAccessKey", Moto.CANARY_SECRET);
                BotoSesManager bsm = onMoto("ci")) {
            assertThat(bsm.principalArn()).isEqualTo(assumedRole("ci"));
            assertThat(counter.count("AssumeRole")).isEqualTo(1);
        }
    }

    @Test
    void aWebIdentityRoleIsAssumedAtTheEndpoint() throws IOException {
        Path token = Files.writeString(dir.resolve("token"), "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ0ZXN0In0.");
        try (ProfileFiles files = ProfileFiles.in(dir).config(role("pod", "pod",
                "web_identity_token_file = " + token)); BotoSesManager bsm = onMoto("pod")) {
            assertThat(bsm.principalArn()).isEqualTo(assumedRole("pod"));
            assertThat(counter.count("AssumeRoleWithWebIdentity")).isEqualTo(1);
        }
    }

    @Test
    @DisabledOnOs(value = OS.WINDOWS, disabledReason = "symbolic links need privileges there")
    void aWebIdentityTokenFileReachedThroughSymbolicLinksIsAssumedAtTheEndpoint() throws IOException {
        // Kubernetes' layout: token -> ..data/token, ..data -> a timestamped directory holding the real file.
        Path projected = Files.createDirectory(dir.resolve("..2026_12_01_18_00_00.000000001"));
        Files.writeString(projected.resolve("token"), "eyJhbGciOiJub25lIn0.eyJzdWIiOiJwb2QifQ.");
        Files.createSymbolicLink(dir.resolve("..data"), projected.getFileName());
        Path token = Files.createSymbolicLink(dir.resolve("token"), Path.of("..data", "token"));
        try (ProfileFiles files = ProfileFiles.in(dir).config(role("pod", "pod",
                "web_identity_token_file = " + token)); BotoSesManager bsm = onMoto("pod")) {
            assertThat(bsm.principalArn()).isEqualTo(assumedRole("pod"));
            assertThat(counter.count("AssumeRoleWithWebIdentity")).isEqualTo(1);
        }
    }

    @Test
    void aClosedEndpointOnTheWayToARoleIsANetworkFailureNamingTheHost() {
        int port = closedPort();
        try (ProfileFiles files = ProfileFiles.in(dir)) {
            String process = files.script("credentials.sh", "{\"Version\": 1, \"AccessKeyId\": \"AKIDPROCESS\","
                    + " \"SecretAccessKey\": \"" + Moto.CANARY_SECRET + "\"}");
            files.config("[profile tool]\ncredential_process = " + process + "\n"
                    + role("deployer", "deployer", "source_profile = tool"));
            try (BotoSesManager bsm = BotoSesManager.builder().profileName("deployer").region("us-east-1")
                    .endpointOverride(URI.create("http://127.0.0.1:" + port)).build()) {
                assertThatThrownBy(bsm::expiration).isInstanceOf(CredentialsNetworkException.class)
                        .hasMessageContaining("profile deployer")
                        .hasMessageContaining("network failure")
                        .hasMessageContaining("127.0.0.1:" + port)
                        .hasMessageNotContaining("No AWS credentials found")
                        .hasMessageNotContaining(Moto.CANARY_SECRET);
                // A client's call needs the same credentials, and says the same.
                assertThatThrownBy(bsm::awsAccountId).isInstanceOf(CredentialsNetworkException.class)
                        .hasMessageContaining("127.0.0.1:" + port);
            }
        }
    }

    @Test
    void withoutAnEndpointTheSdksOwnStsCallFailingOnTheNetworkNamesItsHost() {
        int port = closedPort();
        // The SDK's own STS client for the profile's role, redirected by the SDK's setting to a closed port.
        try (ProfileFiles files = ProfileFiles.in(dir).config(base() + role("deployer", "deployer",
                "source_profile = base")).set("aws.endpointUrlSts", "http://127.0.0.1:" + port);
                BotoSesManager bsm = BotoSesManager.builder().profileName("deployer").region("us-east-1").build()) {
            assertThatThrownBy(bsm::expiration).isInstanceOf(CredentialsNetworkException.class)
                    .hasMessageContaining("profile deployer")
                    .hasMessageContaining("network failure")
                    .hasMessageContaining("127.0.0.1:" + port)
                    .hasMessageNotContaining(Moto.CANARY_SECRET);
        }
    }

    /** A loopback port nothing listens on: bound once, then released. */
    static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
