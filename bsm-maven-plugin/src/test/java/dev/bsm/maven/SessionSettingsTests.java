package dev.bsm.maven;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** Each bad value fails before anything is resolved, naming its parameter and property, in bsm-core's words. */
class SessionSettingsTests {
    private static final String ROLE = "arn:aws:iam::111122223333:role/deployer";

    /** Every option set, valid. */
    private static SessionSettings valid() {
        return new SessionSettings(Optional.of("ci"), Optional.of("eu-west-1"), Optional.of("http://localhost:4566"),
                Optional.of(ROLE), Optional.of("nightly"), Optional.of(3600), Optional.of("ext-id-1"),
                Map.of("team", "qa"), List.of("team"), Optional.of("arn:aws:iam::111122223333:mfa/ci"),
                Optional.of("builder"), Optional.of("{\"Version\":\"2012-10-17\"}"),
                List.of("arn:aws:iam::aws:policy/ReadOnlyAccess"));
    }

    /** {@link #valid()} with one component replaced, by position. */
    private static SessionSettings with(int index, Object value) {
        SessionSettings v = valid();
        Object[] c = {v.profile(), v.region(), v.endpoint(), v.assumeRole(), v.roleSessionName(), v.durationSeconds(),
            v.externalId(), v.tags(), v.transitiveTagKeys(), v.mfaSerialNumber(), v.sourceIdentity(), v.policy(),
            v.policyArns()};
        c[index] = value;
        return rebuild(c);
    }

    @SuppressWarnings("unchecked")
    private static SessionSettings rebuild(Object[] c) {
        return new SessionSettings((Optional<String>) c[0], (Optional<String>) c[1], (Optional<String>) c[2],
                (Optional<String>) c[3], (Optional<String>) c[4], (Optional<Integer>) c[5], (Optional<String>) c[6],
                (Map<String, String>) c[7], (List<String>) c[8], (Optional<String>) c[9], (Optional<String>) c[10],
                (Optional<String>) c[11], (List<String>) c[12]);
    }

    @Test
    void everyOptionSetAndValidPasses() throws Exception {
        assertThat(valid().check()).isEqualTo(valid());
    }

    @Test
    void eachBadValueNamesItsParameter() {
        Map<String, Supplier<SessionSettings>> bad = Map.ofEntries(
                Map.entry("parameter 'profile' (property bsm.profile) is not valid", () -> with(0, Optional.of("a b"))),
                Map.entry("parameter 'region' (property bsm.region) is not valid: Invalid region",
                        () -> with(1, Optional.of("EU West"))),
                Map.entry("parameter 'endpoint' (property bsm.endpoint) is not valid",
                        () -> with(2, Optional.of("localhost:4566"))),
                Map.entry("parameter 'assumeRole' (property bsm.assumeRole) is not valid: Invalid role ARN",
                        () -> with(3, Optional.of("deployer"))),
                Map.entry("parameter 'roleSessionName' (property bsm.roleSessionName) is not valid",
                        () -> with(4, Optional.of("a"))),
                Map.entry("parameter 'durationSeconds' (property bsm.durationSeconds) is not valid",
                        () -> with(5, Optional.of(60))),
                Map.entry("parameter 'externalId' (property bsm.externalId) is not valid",
                        () -> with(6, Optional.of("x"))),
                Map.entry("parameter 'tags' is not valid", () -> with(7, Map.of("", "v"))),
                Map.entry("parameter 'transitiveTagKeys' is not valid", () -> with(8, List.of("nope"))),
                Map.entry("parameter 'mfaSerialNumber' (property bsm.mfaSerialNumber) is not valid",
                        () -> with(9, Optional.of(" "))),
                Map.entry("parameter 'policyArns' is not valid", () -> with(12, List.of("ReadOnlyAccess"))));
        bad.forEach((message, settings) -> assertThatThrownBy(() -> settings.get().check())
                .as(message).isInstanceOf(InvalidParameterException.class)
                .hasMessageStartingWith("bsm-maven-plugin: " + message));
    }

    @Test
    void aRoleOptionWithoutARoleNamesTheOptionAndTheRole() {
        SessionSettings noRole = new SessionSettings(Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Map.of(), List.of(),
                Optional.empty(), Optional.of("builder"), Optional.empty(), null);
        assertThatThrownBy(noRole::check).isInstanceOf(InvalidParameterException.class)
                .hasMessage("bsm-maven-plugin: parameter 'sourceIdentity' (property bsm.sourceIdentity) needs"
                        + " parameter 'assumeRole': it is an option of the role to assume");
    }

    @Test
    void blankPropertiesCountAsUnset() {
        assertThat(SessionSettings.text("  ")).isEmpty();
        assertThat(SessionSettings.text(null)).isEmpty();
        assertThat(SessionSettings.text(" ci ")).contains("ci");
    }
}
