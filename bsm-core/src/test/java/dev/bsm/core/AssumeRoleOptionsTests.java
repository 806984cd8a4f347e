package dev.bsm.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sts.model.AssumeRoleRequest;

class AssumeRoleOptionsTests {
    private static final String ROLE = "arn:aws:iam::111122223333:role/deployer";

    @Test
    void aNullCollectionIsRefusedByNameAndLeavesWhatWasSet() {
        AssumeRoleRequest request = AssumeRoleOptions.of(o -> {
            o.tags(Map.of("team", "qa")).transitiveTagKeys(List.of("team"))
                    .policyArns(List.of("arn:aws:iam::aws:policy/ReadOnlyAccess"));
            assertThatThrownBy(() -> o.tags(null)).isInstanceOf(NullPointerException.class).hasMessage("tags");
            assertThatThrownBy(() -> o.transitiveTagKeys(null)).isInstanceOf(NullPointerException.class)
                    .hasMessage("keys");
            assertThatThrownBy(() -> o.policyArns(null)).isInstanceOf(NullPointerException.class).hasMessage("arns");
        }).toRequest(ROLE);
        assertThat(request.tags()).hasSize(1);
        assertThat(request.transitiveTagKeys()).containsExactly("team");
        assertThat(request.policyArns()).hasSize(1);
    }

    @Test
    void everyOptionReachesTheRequestUnderItsStsName() {
        AssumeRoleRequest request = AssumeRoleOptions.of(o -> o
                .roleSessionName("it-session")
                .duration(Duration.ofMinutes(20))
                .tags(Map.of("team", "qa"))
                .transitiveTagKeys(List.of("team"))
                .externalId("ext-123")
                .mfaSerialNumber("arn:aws:iam::111122223333:mfa/me")
                .mfaTokenCode("123456")
                .sourceIdentity("alice")
                .policy("{\"Version\":\"2012-10-17\",\"Statement\":[]}")
                .policyArns(List.of("arn:aws:iam::aws:policy/ReadOnlyAccess")))
                .toRequest(ROLE);

        assertThat(request.roleArn()).isEqualTo(ROLE);
        assertThat(request.roleSessionName()).isEqualTo("it-session");
        assertThat(request.durationSeconds()).isEqualTo(1200);
        assertThat(request.tags()).singleElement().satisfies(tag -> {
            assertThat(tag.key()).isEqualTo("team");
            assertThat(tag.value()).isEqualTo("qa");
        });
        assertThat(request.transitiveTagKeys()).containsExactly("team");
        assertThat(request.externalId()).isEqualTo("ext-123");
        assertThat(request.serialNumber()).isEqualTo("arn:aws:iam::111122223333:mfa/me");
        assertThat(request.tokenCode()).isEqualTo("123456");
        assertThat(request.sourceIdentity()).isEqualTo("alice");
        assertThat(request.policy()).contains("2012-10-17");
        assertThat(request.policyArns()).singleElement()
                .satisfies(p -> assertThat(p.arn()).isEqualTo("arn:aws:iam::aws:policy/ReadOnlyAccess"));
    }

    @Test
    void defaultsAreOneHourAndAUniqueSessionName() {
        AssumeRoleOptions first = AssumeRoleOptions.builder().build();
        AssumeRoleOptions second = AssumeRoleOptions.builder().build();

        assertThat(first.duration()).isEqualTo(Duration.ofHours(1));
        assertThat(first.roleSessionName()).matches("bsm-[0-9a-f]{32}");
        assertThat(first.roleSessionName()).isNotEqualTo(second.roleSessionName());
        assertThat(first.autoRefresh()).isFalse();
    }

    @Test
    void theMfaCodeSupplierIsAskedForEveryRequest() {
        AtomicInteger calls = new AtomicInteger();
        AssumeRoleOptions options = AssumeRoleOptions.of(o -> o.mfaSerialNumber("serial")
                .mfaTokenCode(() -> String.format("%06d", calls.incrementAndGet())));

        assertThat(options.toRequest(ROLE).tokenCode()).isEqualTo("000001");
        assertThat(options.toRequest(ROLE).tokenCode()).isEqualTo("000002");
    }

    @Test
    void rejectsAnMfaCodeThatIsNotSixDigitsWithoutEchoingIt() {
        AssumeRoleOptions options = AssumeRoleOptions.of(o -> o.mfaSerialNumber("serial").mfaTokenCode(() -> "98x"));
        assertThatThrownBy(() -> options.toRequest(ROLE))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("six digits")
                .hasMessageNotContaining("98x");
    }

    @Test
    void rejectsInvalidCombinations() {
        assertThatThrownBy(() -> AssumeRoleOptions.of(o -> o.mfaSerialNumber("serial")))
                .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("go together");
        assertThatThrownBy(() -> AssumeRoleOptions.of(o -> o.transitiveTagKeys(List.of("team"))))
                .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("not one of the session tags");
        assertThatThrownBy(() -> AssumeRoleOptions.of(o -> o.roleSessionName("a b")))
                .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("role session name");
        assertThatThrownBy(() -> AssumeRoleOptions.of(o -> o.duration(Duration.ofSeconds(60))))
                .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("duration");
        assertThatThrownBy(() -> AssumeRoleOptions.of(o -> o.externalId("x")))
                .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("external id");
        assertThatThrownBy(() -> AssumeRoleOptions.of(o -> o.policyArns(List.of("ReadOnlyAccess"))))
                .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("policy ARN");
        assertThatThrownBy(() -> AssumeRoleOptions.of(o -> o.region("Mars")))
                .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("region");
        assertThatThrownBy(() -> AssumeRoleOptions.of(o -> o.autoRefresh(true).mfaSerialNumber("s")
                .mfaTokenCode("123456")))
                .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("Supplier");
        assertThatThrownBy(() -> AssumeRoleOptions.of(o -> o.autoRefresh(true).refreshWindow(Duration.ofHours(2))))
                .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("refresh window");
    }

    @Test
    void toStringHidesTheExternalIdAndMfaCode() {
        AssumeRoleOptions options = AssumeRoleOptions.of(o -> o.externalId("ext-secret-123")
                .mfaSerialNumber("serial").mfaTokenCode("654321"));
        assertThat(options.toString()).doesNotContain("ext-secret-123").doesNotContain("654321")
                .contains("externalId=<set>");
    }
}
