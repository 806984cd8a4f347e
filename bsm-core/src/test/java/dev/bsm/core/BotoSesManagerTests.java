package dev.bsm.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.api.parallel.Resources;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.sts.StsAsyncClient;
import software.amazon.awssdk.services.sts.StsClient;

class BotoSesManagerTests {
    private static final String SECRET = Canary.SECRET;
    private static final String TOKEN = "FwoGZXIvYXdzEXAMPLESESSIONTOKEN";

    private static BotoSesManager staticKeys() {
        return BotoSesManager.builder().credentials("AKIDEXAMPLE", SECRET, TOKEN).region("us-east-1").build();
    }

    @Nested
    class Clients {
        @Test
        void oneClientPerTypeSyncAndAsyncApart() {
            try (BotoSesManager bsm = staticKeys()) {
                StsClient sts = bsm.client(StsClient.class);
                assertThat(bsm.client(StsClient.class)).isSameAs(sts);
                assertThat(bsm.client(StsAsyncClient.class)).isNotNull().isSameAs(bsm.client(StsAsyncClient.class));
                assertThat(sts.serviceClientConfiguration().region().id()).isEqualTo("us-east-1");
            }
        }

        @Test
        void manyThreadsRacingForOneTypeGetOneClient() throws Exception {
            int threads = 64;
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try (BotoSesManager bsm = staticKeys()) {
                CountDownLatch start = new CountDownLatch(1);
                List<Future<IamClient>> results = new ArrayList<>();
                for (int i = 0; i < threads; i++) {
                    results.add(pool.submit(() -> {
                        start.await();
                        return bsm.client(IamClient.class);
                    }));
                }
                start.countDown();
                IdentityHashMap<IamClient, Boolean> distinct = new IdentityHashMap<>();
                for (Future<IamClient> result : results) {
                    distinct.put(result.get(), Boolean.TRUE);
                }
                assertThat(distinct).hasSize(1);
            } finally {
                pool.shutdownNow();
            }
        }

        @Test
        void clearCacheDropsClientsAndCloseMakesTheManagerUnusable() {
            BotoSesManager bsm = staticKeys();
            StsClient first = bsm.client(StsClient.class);
            bsm.clearCache();
            assertThat(bsm.client(StsClient.class)).isNotSameAs(first);

            bsm.close();
            bsm.close(); // idempotent
            assertThatThrownBy(() -> bsm.client(StsClient.class))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
            assertThat(bsm.toString()).contains("closed");
        }

        @Test
        void typesThatAreNotSdkClientsAreRejectedWithTheFix() {
            try (BotoSesManager bsm = staticKeys()) {
                for (Class<?> type : List.of(String.class, SdkClient.class, Runnable.class)) {
                    assertThatThrownBy(() -> bsm.client(type))
                            .isInstanceOf(InvalidConfigurationException.class)
                            .hasMessageContaining(type.getName())
                            .hasMessageContaining("S3Client.class");
                }
            }
        }
    }

    @Nested
    class Building {
        @Test
        void twoCredentialsSourcesAreAConflict() {
            assertThatThrownBy(() -> BotoSesManager.builder().credentials("AK", "SK").profileName("dev").build())
                    .isInstanceOf(InvalidConfigurationException.class)
                    .hasMessageContaining("Choose one credentials source");
        }

        @Test
        void theConflictNamesEveryKindSetInTheOrderSetAndOnlyBuildRaisesIt() {
            AwsCredentialsProvider provider = () -> AwsSessionCredentials.create("ASIA", SECRET, TOKEN);
            BotoSesManager.Builder builder = BotoSesManager.builder().credentialsProvider(provider)
                    .credentials("AK", SECRET).credentialsProvider(provider).profileName("no-such-profile");
            assertThatThrownBy(builder::build).isInstanceOf(InvalidConfigurationException.class)
                    .hasMessage("Choose one credentials source, not [credentialsProvider, credentials, profileName]:"
                            + " profileName, credentials or credentialsProvider");
        }

        @Test
        void blankKeysAreRejectedWithoutEchoingThem() {
            assertThatThrownBy(() -> BotoSesManager.builder().credentials("AK", " "))
                    .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("secretAccessKey");
            assertThatThrownBy(() -> BotoSesManager.builder().credentials("", SECRET))
                    .isInstanceOf(InvalidConfigurationException.class).hasMessageNotContaining(SECRET);
        }

        @Test
        void settingTheSameCredentialsSourceAgainReplacesIt() {
            try (BotoSesManager bsm = BotoSesManager.builder().credentials("AKIDFIRST", SECRET)
                    .credentials("AKIDSECOND", SECRET, TOKEN).region("us-east-1").build()) {
                assertThat(bsm.toSnapshot()).containsEntry("aws_access_key_id", "AKIDSECOND")
                        .containsEntry("aws_session_token", TOKEN);
            }
        }

        @Test
        void toStringShowsNoSecret() {
            try (BotoSesManager bsm = staticKeys()) {
                assertThat(bsm.toString()).contains("explicit keys AKID***MPLE").contains("us-east-1")
                        .doesNotContain("AKIDEXAMPLE").doesNotContain(SECRET).doesNotContain(TOKEN);
            }
        }

        @Test
        void toStringMasksTheAccessKeyIdSoThatASwappedSecretDoesNotShow() {
            // A snapshot whose key and secret were swapped puts the secret where the access key id goes.
            try (BotoSesManager bsm = BotoSesManager.fromSnapshot(Map.of("aws_access_key_id", SECRET,
                    "aws_secret_access_key", "AKIDEXAMPLE"))) {
                assertThat(bsm.toString()).doesNotContain(SECRET)
                        .contains("explicit keys " + Masking.maskUserId(SECRET));
                bsm.close();
                assertThatThrownBy(() -> bsm.client(StsClient.class)).hasMessageNotContaining(SECRET);
            }
        }

        @Test
        @ResourceLock(Resources.SYSTEM_PROPERTIES)
        void anUnknownProfileNamesTheProfileAndTheFilesRead(@TempDir Path dir) throws IOException {
            Path config = Files.writeString(dir.resolve("config"), "[profile dev]\nregion = us-east-1\n");
            Path credentials = Files.writeString(dir.resolve("credentials"), "[ci]\naws_access_key_id = AK\n");
            System.setProperty("aws.configFile", config.toString());
            System.setProperty("aws.sharedCredentialsFile", credentials.toString());
            try {
                assertThatThrownBy(() -> BotoSesManager.builder().profileName("prod").build())
                        .isInstanceOf(UnknownProfileException.class)
                        .hasMessageContaining("'prod'")
                        .hasMessageContaining(config.toString())
                        .hasMessageContaining(credentials.toString())
                        .hasMessageContaining("dev").hasMessageContaining("ci");

                Files.writeString(credentials, "[ci]\naws_access_key_id = AK\n[half]\naws_access_key_id = AK\n");
                try (BotoSesManager half = BotoSesManager.builder().profileName("half").region("us-east-1").build()) {
                    // A profile with a key but no secret: a typed error, not the SDK's IllegalArgumentException.
                    assertThatThrownBy(half::toSnapshot).isInstanceOf(NoCredentialsException.class)
                            .hasMessageContaining("profile half");
                }
                try (BotoSesManager dev = BotoSesManager.builder().profileName("dev").build()) {
                    assertThat(dev.awsRegion()).isEqualTo("us-east-1");
                    // dev has a region but no keys.
                    assertThatThrownBy(dev::toSnapshot)
                            .isInstanceOf(NoCredentialsException.class)
                            .hasMessageContaining("profile dev");
                }
            } finally {
                System.clearProperty("aws.configFile");
                System.clearProperty("aws.sharedCredentialsFile");
            }
        }
    }

    @Nested
    class Expiry {
        private BotoSesManager expiringAt(Instant expiration) {
            AwsCredentialsProvider provider = () -> AwsSessionCredentials.builder().accessKeyId("ASIA")
                    .secretAccessKey(SECRET).sessionToken(TOKEN).expirationTime(expiration).build();
            return BotoSesManager.builder().credentialsProvider(provider).region("us-east-1").build();
        }

        @Test
        void expiredIsNowPlusDeltaAtOrAfterExpiration() {
            Instant now = Instant.parse("2026-11-25T12:00:00Z");
            try (BotoSesManager bsm = expiringAt(now.plusSeconds(100))) {
                assertThat(bsm.expiration()).contains(now.plusSeconds(100));
                assertThat(bsm.isExpired(Duration.ZERO, now)).isFalse();
                assertThat(bsm.isExpired(Duration.ofSeconds(99), now)).isFalse();
                assertThat(bsm.isExpired(Duration.ofSeconds(100), now)).isTrue();
                assertThat(bsm.isExpired(Duration.ofSeconds(101), now)).isTrue();
                assertThat(bsm.isExpired(Duration.ofSeconds(-1000), now)).isFalse();
            }
        }

        @Test
        void pastExpirationIsExpiredNow() {
            try (BotoSesManager bsm = expiringAt(Instant.now().minusSeconds(1))) {
                assertThat(bsm.isExpired()).isTrue();
            }
            try (BotoSesManager bsm = expiringAt(Instant.now().plusSeconds(3600))) {
                assertThat(bsm.isExpired()).isFalse();
                assertThat(bsm.isExpired(Duration.ofHours(2))).isTrue();
            }
        }

        @Test
        void credentialsWithoutExpiryNeverExpireAndHaveNoMadeUpDate() {
            try (BotoSesManager bsm = BotoSesManager.builder().credentials("AK", "SK").region("us-east-1").build()) {
                assertThat(bsm.expiration()).isEmpty();
                assertThat(bsm.isExpired(Duration.ofDays(365 * 100))).isFalse();
            }
        }
    }

    @Test
    void aRoleArnOrDurationProblemIsCaughtBeforeAnyNetworkCall() {
        // The endpoint is a closed port: a network call would fail differently.
        try (BotoSesManager bsm = BotoSesManager.builder().credentials("AK", "SK").region("us-east-1")
                .endpointOverride(java.net.URI.create("http://127.0.0.1:9")).build()) {
            assertThatThrownBy(() -> bsm.assumeRole("deployer"))
                    .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("Invalid role ARN");
            assertThatThrownBy(() -> bsm.assumeRole("arn:aws:iam::111122223333:role/x",
                    o -> o.duration(Duration.ofHours(13))))
                    .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("duration");
        }
    }
}
