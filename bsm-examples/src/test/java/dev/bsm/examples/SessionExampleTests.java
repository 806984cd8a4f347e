package dev.bsm.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bsm.core.BotoSesManager;
import dev.bsm.core.InvalidConfigurationException;
import dev.bsm.core.NoRegionException;
import dev.bsm.core.UnknownProfileException;
import dev.bsm.testkit.MotoServer;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.api.parallel.Resources;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.sts.StsClient;

/** Creating managers, clients, identity, expiry, caches and errors. */
class SessionExampleTests {

    @Test
    @ResourceLock(Resources.SYSTEM_PROPERTIES)
    void waysToCreateAManager(@TempDir Path home) throws IOException {
        MotoServer moto = EmbeddedEmulator.fresh();
        Path config = Files.writeString(home.resolve("config"),
                "[default]\nregion = us-east-2\n[profile dev]\nregion = eu-west-1\n");
        Path credentials = Files.writeString(home.resolve("credentials"),
                "[dev]\naws_access_key_id = AKIDDEV\naws_secret_access_key = dev-secret\n");
        System.setProperty("aws.configFile", config.toString());
        System.setProperty("aws.sharedCredentialsFile", credentials.toString());
        try {
            // tag::create[]
            BotoSesManager fromDefaultChains = BotoSesManager.create();     // like boto3.Session()
            BotoSesManager fromProfile = BotoSesManager.builder().profileName("dev").build();
            BotoSesManager fromKeys = BotoSesManager.builder()
                    .credentials("AKIDEXAMPLE", "secret-key")                // or (key, secret, token)
                    .region("us-east-1")
                    .build();
            BotoSesManager forLocalStack = BotoSesManager.builder()
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                    .region("us-east-1")
                    .endpointOverride(URI.create("http://localhost:4566"))  // applied to every client
                    .overrideConfiguration(o -> o.apiCallTimeout(Duration.ofSeconds(30)))
                    .build();
            // end::create[]
            assertThat(fromDefaultChains.awsRegion()).isEqualTo("us-east-2");
            assertThat(fromProfile.awsRegion()).isEqualTo("eu-west-1");
            assertThat(fromProfile.toSnapshot()).containsEntry("aws_access_key_id", "AKIDDEV");
            assertThat(fromKeys.awsRegion()).isEqualTo("us-east-1");
            assertThat(forLocalStack.client(S3Client.class).serviceClientConfiguration().endpointOverride())
                    .contains(URI.create("http://localhost:4566"));
            for (BotoSesManager bsm : new BotoSesManager[] {fromDefaultChains, fromProfile, fromKeys, forLocalStack}) {
                bsm.close();
            }
            assertThat(moto.endpoint()).isNotNull();
        } finally {
            System.clearProperty("aws.configFile");
            System.clearProperty("aws.sharedCredentialsFile");
        }
    }

    @Test
    void cachedClientsOfEveryKind() {
        MotoServer moto = EmbeddedEmulator.fresh();
        try (BotoSesManager bsm = EmbeddedEmulator.session(moto)) {
            // tag::clients[]
            S3Client s3 = bsm.client(S3Client.class);              // any sync client of the SDK
            S3AsyncClient s3Async = bsm.client(S3AsyncClient.class); // async clients share one event loop
            S3Presigner presigner = bsm.client(S3Presigner.class);  // presigners too
            assert bsm.client(S3Client.class) == s3;                 // one instance per type, also across threads
            // end::clients[]
            assertThat(bsm.client(S3Client.class)).isSameAs(s3);
            assertThat(s3Async).isSameAs(bsm.client(S3AsyncClient.class));
            assertThat(presigner).isSameAs(bsm.client(S3Presigner.class));
        }
    }

    @Test
    void identity() {
        MotoServer moto = EmbeddedEmulator.fresh();
        try (BotoSesManager bsm = EmbeddedEmulator.session(moto)) {
            bsm.client(IamClient.class).createAccountAlias(r -> r.accountAlias("my-team"));
            // tag::identity[]
            String account = bsm.awsAccountId();          // one STS GetCallerIdentity for all three
            String arn = bsm.principalArn();
            String userId = bsm.awsAccountUserId();
            String masked = bsm.maskedAwsAccountId();     // "12********12": safe for logs
            bsm.awsAccountAlias().ifPresent(alias -> System.out.println("alias " + alias)); // empty if none
            System.out.println(bsm.whoAmI(true));
            // User Id = AKIA***MPLE
            // AWS Account Id = 12********12
            // Principal Arn = arn:aws:sts::12********12:user/moto
            // AWS Account Alias = my-team
            // AWS Region = us-east-1
            // end::identity[]
            assertThat(account).isEqualTo(moto.accountId());
            assertThat(arn).contains(moto.accountId());
            assertThat(userId).isNotBlank();
            assertThat(masked).hasSize(12).doesNotContain(account);
            assertThat(bsm.awsAccountAlias()).contains("my-team");
        }
    }

    @Test
    void expiryAndCaches() {
        MotoServer moto = EmbeddedEmulator.fresh();
        try (BotoSesManager bsm = EmbeddedEmulator.session(moto);
                BotoSesManager role = bsm.assumeRole("arn:aws:iam::" + bsm.awsAccountId() + ":role/reader")) {
            // tag::expiry[]
            role.expiration();                          // Optional<Instant>: STS's expiry; empty for long-term keys
            if (role.isExpired(Duration.ofMinutes(5))) { // expires within five minutes?
                throw new IllegalStateException("assume the role again");
            }
            bsm.clearCache();                           // close and forget clients, identity and alias
            // end::expiry[]
            assertThat(role.expiration()).isPresent();
            assertThat(bsm.expiration()).isEmpty();
            assertThat(bsm.isExpired()).isFalse();
        }
    }

    @Test
    void errorsAreTypedAndSayWhatToFix() {
        // tag::errors[]
        assertThatThrownBy(() -> BotoSesManager.builder().profileName("no-such-profile").build())
                .isInstanceOf(UnknownProfileException.class)      // names the profile and the files read
                .hasMessageContaining("no-such-profile");
        assertThatThrownBy(() -> BotoSesManager.builder().region("US East"))
                .isInstanceOf(InvalidConfigurationException.class); // checked before any network call
        // end::errors[]
        assertThat(NoRegionException.class).hasSuperclass(dev.bsm.core.BsmException.class);
        assertThat(StsClient.class).isInterface();
    }
}
