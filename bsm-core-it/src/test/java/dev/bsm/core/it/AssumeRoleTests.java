package dev.bsm.core.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.bsm.core.AwsCliEnvironment;
import dev.bsm.core.BotoSesManager;
import dev.bsm.testkit.MotoServer;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.api.parallel.Resources;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.sts.StsClient;

class AssumeRoleTests {
    private final CallCounter counter = new CallCounter();
    private BotoSesManager bsm;
    private String role;

    @BeforeEach
    void managerOnFreshMoto() {
        bsm = Moto.freshManager(counter);
        role = "arn:aws:iam::" + bsm.awsAccountId() + ":role/deployer";
    }

    @AfterEach
    void close() {
        if (bsm != null) { // null when @BeforeEach aborted: no emulator
            bsm.close();
        }
    }

    @Test
    @ResourceLock(Resources.SYSTEM_PROPERTIES)
    @ResourceLock("java.lang.System.environment")
    void aParentWithoutARegionAssumesTheRoleInTheRegionGivenForIt(@TempDir Path home) throws IOException {
        MotoServer moto = Moto.server();
        // No region anywhere: an empty config file, no aws.region or AWS_REGION, no instance metadata.
        Map<String, String> properties = Map.of("aws.configFile", Files.writeString(home.resolve("config"), "")
                .toString(), "aws.disableEc2Metadata", "true");
        Map<String, String> before = new HashMap<>();
        properties.forEach((name, value) -> before.put(name, System.setProperty(name, value)));
        try (AwsCliEnvironment noRegion = AwsCliEnvironment.open(bsm.awscliVariables()
                        .with("AWS_REGION", Optional.empty()).with("AWS_DEFAULT_REGION", Optional.empty()));
                BotoSesManager parent = BotoSesManager.builder().credentials(moto.accessKeyId(), Moto.CANARY_SECRET)
                        .endpointOverride(moto.endpoint()).build()) {
            assertThat(parent.toSnapshot().get("region_name")).as("the parent has no region").isNull();
            try (BotoSesManager oneShot = parent.assumeRole(role, o -> o.region("eu-west-1"));
                    BotoSesManager refreshing = parent.assumeRole(role, o -> o.region("eu-west-1").autoRefresh(true))) {
                for (BotoSesManager child : List.of(oneShot, refreshing)) {
                    assertThat(child.awsRegion()).isEqualTo("eu-west-1");
                    assertThat(child.principalArn()).contains(":assumed-role/deployer/");
                }
            }
        } finally {
            before.forEach((name, value) -> {
                if (value == null) {
                    System.clearProperty(name);
                } else {
                    System.setProperty(name, value);
                }
            });
        }
    }

    @Test
    void oneShotGivesAManagerOnTheRoleWithTheParentsRegionAndEndpoint() {
        Instant before = Instant.now();
        try (BotoSesManager deployer = bsm.assumeRole(role, o -> o.roleSessionName("it-session"))) {
            assertThat(deployer.principalArn())
                    .isEqualTo("arn:aws:sts::" + bsm.awsAccountId() + ":assumed-role/deployer/it-session");
            assertThat(deployer.awsRegion()).isEqualTo(bsm.awsRegion());
            assertThat(deployer.toSnapshot()).containsKey("aws_session_token");
            // Expiry from STS: one hour by default.
            assertThat(deployer.expiration()).get().satisfies(expiration ->
                    assertThat(expiration).isCloseTo(before.plus(Duration.ofHours(1)), within(2, ChronoUnit.MINUTES)));
            assertThat(deployer.isExpired()).isFalse();
            assertThat(deployer.isExpired(Duration.ofHours(2))).isTrue();
            assertThat(deployer.toString()).contains("assumed role " + role)
                    .doesNotContain(deployer.toSnapshot().get("aws_secret_access_key"));
        }
        // The parent's interceptors are the child's too: both GetCallerIdentity calls went through them.
        assertThat(counter.count("AssumeRole")).isEqualTo(1);
        assertThat(counter.count("GetCallerIdentity")).isEqualTo(2);
    }

    @Test
    void pythonBugs1And14EveryParameterReachesStsUnderItsName() {
        try (BotoSesManager deployer = bsm.assumeRole(role, o -> o
                .roleSessionName("all-params")
                .duration(Duration.ofMinutes(15))
                .tags(Map.of("team", "qa"))
                .transitiveTagKeys(List.of("team"))
                .externalId("ext-123")
                .mfaSerialNumber("arn:aws:iam::" + bsm.awsAccountId() + ":mfa/me")
                .mfaTokenCode("123456")
                .sourceIdentity("alice")
                .policy("{\"Version\":\"2012-10-17\",\"Statement\":[]}")
                .policyArns(List.of("arn:aws:iam::aws:policy/ReadOnlyAccess")))) {
            assertThat(deployer.expiration()).get().satisfies(expiration -> assertThat(expiration)
                    .isCloseTo(Instant.now().plus(Duration.ofMinutes(15)), within(2, ChronoUnit.MINUTES)));
        }
        String body = URLDecoder.decode(counter.bodies("AssumeRole").get(0), StandardCharsets.UTF_8);
        assertThat(body.split("&")).contains(
                "Action=AssumeRole",
                "RoleArn=" + role,
                "RoleSessionName=all-params",
                "DurationSeconds=900",
                "Tags.member.1.Key=team",
                "Tags.member.1.Value=qa",
                "TransitiveTagKeys.member.1=team",
                "ExternalId=ext-123",
                "SerialNumber=arn:aws:iam::" + bsm.awsAccountId() + ":mfa/me",
                "TokenCode=123456",
                "SourceIdentity=alice",
                "Policy={\"Version\":\"2012-10-17\",\"Statement\":[]}",
                "PolicyArns.member.1.arn=arn:aws:iam::aws:policy/ReadOnlyAccess");
    }

    @Test
    void theDefaultSessionNameIsUniqueAndTheRegionCanChange() {
        try (BotoSesManager first = bsm.assumeRole(role);
                BotoSesManager second = bsm.assumeRole(role, o -> o.region("eu-west-1"))) {
            assertThat(first.principalArn()).matches(".*:assumed-role/deployer/bsm-[0-9a-f]{32}");
            assertThat(first.principalArn()).isNotEqualTo(second.principalArn());
            assertThat(second.awsRegion()).isEqualTo("eu-west-1");
            assertThat(second.client(StsClient.class).serviceClientConfiguration().region().id())
                    .isEqualTo("eu-west-1");
        }
    }

    @Test
    void rolesChain() {
        try (BotoSesManager first = bsm.assumeRole(role);
                BotoSesManager second = first.assumeRole("arn:aws:iam::" + bsm.awsAccountId() + ":role/auditor",
                        o -> o.roleSessionName("chained"))) {
            assertThat(second.principalArn()).endsWith(":assumed-role/auditor/chained");
        }
    }

    @Test
    void pythonBug10AutoRefreshRefreshesBeforeExpiryThroughTheParentsEndpoint() throws Exception {
        AtomicInteger codes = new AtomicInteger();
        // Credentials last 900 s and are refreshed when 899 s are left: the next use after a second refreshes.
        try (BotoSesManager refreshing = bsm.assumeRole(role, o -> o.autoRefresh(true)
                .roleSessionName("refreshing")
                .duration(Duration.ofMinutes(15))
                .refreshWindow(Duration.ofSeconds(899))
                .mfaSerialNumber("arn:aws:iam::" + bsm.awsAccountId() + ":mfa/me")
                .mfaTokenCode(() -> String.format("%06d", codes.incrementAndGet())))) {
            assertThat(counter.count("AssumeRole")).as("first credentials fetched eagerly").isEqualTo(1);
            String firstKey = refreshing.toSnapshot().get("aws_access_key_id");
            assertThat(refreshing.principalArn()).endsWith(":assumed-role/deployer/refreshing");

            Thread.sleep(1_500);
            String secondKey = refreshing.toSnapshot().get("aws_access_key_id");

            assertThat(secondKey).isNotEqualTo(firstKey);
            assertThat(counter.count("AssumeRole")).isEqualTo(2);
            assertThat(refreshing.isExpired()).isFalse();
            assertThat(refreshing.expiration()).isPresent();
            // A fresh MFA code was asked for at every fetch.
            assertThat(counter.bodies("AssumeRole")).last().asString().contains("TokenCode=000002");
            assertThat(refreshing.toString()).contains("auto-refreshing role");
        }
    }

    @Test
    void sixtyFourThreadsRacingOnAFreshAssumedRoleMakeOneCallOfEachKind() throws Exception {
        try (BotoSesManager refreshing = bsm.assumeRole(role, o -> o.autoRefresh(true))) {
            int threads = 64;
            ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
            try {
                CountDownLatch start = new CountDownLatch(1);
                List<Future<Object>> results = new ArrayList<>();
                for (int i = 0; i < threads; i++) {
                    results.add(pool.submit(() -> {
                        start.await();
                        return List.of(refreshing.client(StsClient.class), refreshing.principalArn(),
                                refreshing.awsAccountAlias());
                    }));
                }
                start.countDown();
                Set<Object> distinct = new HashSet<>();
                for (Future<Object> result : results) {
                    distinct.add(result.get());
                }
                assertThat(distinct).as("one client, one identity, one alias for all threads").hasSize(1);
            } finally {
                pool.shutdownNow();
            }
        }
        assertThat(counter.count("AssumeRole")).isEqualTo(1);
        // The parent's own identity (in the setup) and the role's: one each.
        assertThat(counter.count("GetCallerIdentity")).isEqualTo(2);
        assertThat(counter.count("ListAccountAliases")).isEqualTo(1);
    }

    @Test
    void autoRefreshUsesTheCallersHttpClientAndLeavesItOpen() {
        MotoServer moto = Moto.server();
        try (CountingHttpClient http = new CountingHttpClient()) {
            try (BotoSesManager parent = BotoSesManager.builder().credentials(moto.accessKeyId(), moto.secretAccessKey())
                    .region(moto.region()).endpointOverride(moto.endpoint()).httpClient(http).build();
                    BotoSesManager child = parent.assumeRole(role, o -> o.autoRefresh(true))) {
                assertThat(http.requests).as("the refresh STS call went through the caller's client").hasValue(1);
                child.awsAccountId();
                assertThat(http.requests).hasValue(2);
            }
            assertThat(http.closed).as("the caller's HTTP client is the caller's to close").isFalse();
        }
    }

    @Test
    void autoRefreshFailsAtAssumeRoleWhenStsCannotBeReached() {
        try (BotoSesManager unreachable = BotoSesManager.builder().credentials("AK", "SK").region("us-east-1")
                .endpointOverride(URI.create("http://127.0.0.1:9"))
                .overrideConfiguration(c -> c.apiCallTimeout(Duration.ofSeconds(5))).build()) {
            assertThatThrownBy(() -> unreachable.assumeRole(role, o -> o.autoRefresh(true)))
                    .isInstanceOf(SdkClientException.class);
        }
    }
}
