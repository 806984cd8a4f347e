package dev.bsm.core;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.api.parallel.Resources;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A profile chain that cannot work at an endpoint override fails with a typed error naming the profile and the
 * fix, before any call (the endpoint is a port nothing listens on, never reached).
 */
@ResourceLock(Resources.SYSTEM_PROPERTIES)
class ProfileChainTests {
    private static final String ROLE = "role_arn = arn:aws:iam::111122223333:role/r\n";
    private static final Path DEV_ZERO = Path.of("/dev/zero");
    /** Long enough for any real check; a read that never ends fails here instead of hanging the build. */
    private static final Duration HANG = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private void failsNaming(String config, String profile, String... fragments) throws IOException {
        failsWith(InvalidConfigurationException.class, config, profile, fragments);
    }

    private void failsWith(Class<? extends BsmException> type, String config, String profile, String... fragments)
            throws IOException {
        System.setProperty("aws.configFile", Files.writeString(dir.resolve("config"), config).toString());
        System.setProperty("aws.sharedCredentialsFile", Files.writeString(dir.resolve("credentials"), "").toString());
        try (BotoSesManager bsm = BotoSesManager.builder().profileName(profile).region("us-east-1")
                .endpointOverride(URI.create("http://127.0.0.1:9")).build()) {
            assertThatThrownBy(() -> assertTimeoutPreemptively(HANG, bsm::expiration))
                    .isInstanceOf(type).hasMessageContainingAll(fragments);
        } finally {
            System.clearProperty("aws.configFile");
            System.clearProperty("aws.sharedCredentialsFile");
        }
    }

    @Test
    void aCircleOfSourceProfilesIsNamed() throws IOException {
        failsNaming("[profile a]\n" + ROLE + "source_profile = b\n[profile b]\n" + ROLE + "source_profile = a\n",
                "a", "[a, b]", "circle");
    }

    @Test
    void aMissingSourceProfileIsNamedWithItsReferrer() throws IOException {
        failsNaming("[profile a]\n" + ROLE + "source_profile = gone\n", "a", "'a' names source_profile 'gone'",
                "neither AWS file");
    }

    @Test
    void bothSourcesAtOnceAreRefused() throws IOException {
        failsNaming("[profile a]\n" + ROLE + "source_profile = b\ncredential_source = Environment\n[profile b]\n",
                "a", "'a'", "both source_profile and credential_source");
    }

    @ParameterizedTest
    @CsvSource({"Ec2Metadata", "env"})
    void anUnknownCredentialSourceListsTheKnownOnes(String source) throws IOException {
        failsNaming("[profile a]\n" + ROLE + "credential_source = " + source + "\n", "a", source,
                "Environment, Ec2InstanceMetadata or EcsContainer");
    }

    @Test
    void aMalformedRoleArnIsRefusedBeforeAnyCall() throws IOException {
        failsNaming("[profile a]\nrole_arn = not-an-arn\ncredential_source = Environment\n", "a", "not-an-arn");
    }

    /** Role profiles c0 to c{count - 1}, each naming the next as source_profile, the last naming {@code last}. */
    private static String roles(int count, String last) {
        return IntStream.range(0, count).mapToObj(i -> "[profile c" + i + "]\n" + ROLE + "source_profile = "
                + (i + 1 < count ? "c" + (i + 1) : last) + "\n").collect(Collectors.joining());
    }

    /** A chain of {@code hops} source_profile hops from c0, ending at c{hops} with keys. */
    private static String chain(int hops) {
        return roles(hops, "c" + hops) + "[profile c" + hops + "]\naws_access_key_id = AKIDCHAIN\n"
                + "aws_secret_access_key = " + Canary.SECRET + "\n";
    }

    @Test
    void aSourceProfileChainOneHopOverTheLimitIsRefused() throws IOException {
        int hops = ProfileChain.MAX_SOURCE_PROFILES + 1;
        failsNaming(chain(hops), "c0", "AWS profile 'c0'", "longer than " + ProfileChain.MAX_SOURCE_PROFILES
                + " hops", "'c0' -> 'c1' -> ... -> 'c" + (hops - 1) + "' -> 'c" + hops + "'",
                "end the chain at a profile with credentials");
    }

    @Test
    void aChainOfTenThousandSourceProfilesIsRefusedNotAStackOverflow() throws IOException {
        failsNaming(chain(10_000), "c0", "AWS profile 'c0'", "longer than " + ProfileChain.MAX_SOURCE_PROFILES
                + " hops", "end the chain at a profile with credentials");
    }

    @Test
    void aCircleAsLongAsTheLimitIsStillNamedACircle() throws IOException {
        int last = ProfileChain.MAX_SOURCE_PROFILES - 1;
        failsNaming(roles(ProfileChain.MAX_SOURCE_PROFILES, "c0"), "c0", "[c0, c1, c2", "c" + last + "]", "circle",
                "end the chain at a profile with credentials");
    }

    private void tokenFileRefused(Path tokenFile, String problem) throws IOException {
        failsNaming("[profile pod]\n" + ROLE + "web_identity_token_file = " + tokenFile + "\n", "pod",
                "AWS profile 'pod'", "web_identity_token_file " + tokenFile + " " + problem,
                "point web_identity_token_file at the regular file holding the token");
    }

    @Test
    void aDeviceAsTheWebIdentityTokenFileIsRefusedBeforeAnythingIsRead() throws IOException {
        assumeTrue(Files.exists(DEV_ZERO), "no " + DEV_ZERO + " on this system to stand for an endless device");
        tokenFileRefused(DEV_ZERO, "is not a regular file");
    }

    @Test
    @DisabledOnOs(value = OS.WINDOWS, disabledReason = "symbolic links need privileges there")
    void aSymbolicLinkToADeviceAsTheWebIdentityTokenFileIsRefused() throws IOException {
        assumeTrue(Files.exists(DEV_ZERO), "no " + DEV_ZERO + " on this system to stand for an endless device");
        tokenFileRefused(Files.createSymbolicLink(dir.resolve("token"), DEV_ZERO), "is not a regular file");
    }

    @Test
    @DisabledOnOs(value = OS.WINDOWS, disabledReason = "no mkfifo there")
    void aFifoWithoutAWriterAsTheWebIdentityTokenFileIsRefusedInsteadOfBlocking() throws Exception {
        Fifos.withoutWriter(dir, "token", fifo -> tokenFileRefused(fifo, "is not a regular file"));
    }

    @Test
    void aDirectoryAsTheWebIdentityTokenFileIsRefused() throws IOException {
        tokenFileRefused(Files.createDirectory(dir.resolve("tokens")), "is a directory");
    }

    @Test
    void aWebIdentityTokenFileOverTheLimitIsRefused() throws IOException {
        Path token = dir.resolve("token");
        try (RandomAccessFile file = new RandomAccessFile(token.toFile(), "rw")) {
            file.setLength(WebIdentityTokenFile.MAX_BYTES + 1); // sparse: no disk is used
        }
        tokenFileRefused(token, "has " + (WebIdentityTokenFile.MAX_BYTES + 1) + " bytes, more than the "
                + WebIdentityTokenFile.MAX_BYTES);
    }

    @Test
    void aMissingWebIdentityTokenFileIsLeftToTheSdkAsBefore() throws IOException {
        Path token = dir.resolve("not-yet-projected");
        // The SDK reads the file on the first refresh; its NoSuchFileException reaches bsm's no-credentials message.
        failsWith(NoCredentialsException.class, "[profile pod]\n" + ROLE + "web_identity_token_file = " + token
                + "\n", "pod", "profile pod", token.toString());
    }
}
