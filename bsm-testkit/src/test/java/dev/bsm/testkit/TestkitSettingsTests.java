package dev.bsm.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.api.parallel.Resources;

/** {@link TestkitSettings}' readers, on the real system properties. */
@ResourceLock(value = Resources.SYSTEM_PROPERTIES, mode = ResourceAccessMode.READ_WRITE)
class TestkitSettingsTests {

    @Test
    void theStartTimeoutIsSecondsOrIsoAndPositive() {
        String property = TestkitSettings.MOTO_START_TIMEOUT_PROPERTY;
        Supplier<Duration> read = TestkitSettings::motoStartTimeout;
        assertThat(with(property, null, read)).isEqualTo(Duration.ofSeconds(30));
        assertThat(with(property, "  ", read)).isEqualTo(Duration.ofSeconds(30));
        assertThat(with(property, "PT45S", read)).isEqualTo(Duration.ofSeconds(45));
        assertThat(with(property, " pt2m ", read)).isEqualTo(Duration.ofMinutes(2));
        assertThat(with(property, "45", read)).isEqualTo(Duration.ofSeconds(45));
        assertThat(with(property, "2.5", read)).isEqualTo(Duration.ofMillis(2500));
        for (String bad : List.of("abc", "0", "PT0S", "-PT1S", "-1", "1.5.2", "99999999999999999999")) {
            assertThatThrownBy(() -> with(property, bad, read))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("System property bsm.moto.startTimeout must be a positive ISO-8601 duration such as"
                            + " PT45S or a number of seconds such as 45, but is '" + bad + "'.");
        }
    }

    @Test
    void theLocalStackSwitchIsTrueOrFalseInAnyCaseAndOnWhenNotSet() {
        String property = TestkitSettings.LOCALSTACK_ENABLED_PROPERTY;
        Supplier<Boolean> read = TestkitSettings::localStackEnabled;
        assertThat(with(property, null, read)).isTrue();
        assertThat(with(property, " ", read)).isTrue();
        assertThat(with(property, "true", read)).isTrue();
        assertThat(with(property, " TRUE ", read)).isTrue();
        assertThat(with(property, "false", read)).isFalse();
        assertThat(with(property, " False ", read)).isFalse();
        for (String bad : List.of("no", "0", "off", "yes", "flase")) {
            assertThatThrownBy(() -> with(property, bad, read))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("System property bsm.localstack.enabled='" + bad + "' is not a boolean: use true, or"
                            + " false to skip LocalStack");
        }
    }

    @Test
    void textSettingsAreStrippedAndBlankMeansNotSet() {
        assertThat(with(TestkitSettings.LOCALSTACK_IMAGE_PROPERTY, " ", TestkitSettings::localStackImage))
                .isEqualTo("localstack/localstack:4.9.2");
        assertThat(with(TestkitSettings.ENDPOINT_PROPERTY, " ", TestkitSettings::endpoint)).isEmpty();
        assertThat(with(TestkitSettings.ENDPOINT_PROPERTY, " ", TestkitSettings::endpointSet)).isFalse();
        assertThat(with(TestkitSettings.ENDPOINT_PROPERTY, " http://localhost:4566 ", TestkitSettings::endpoint))
                .contains(URI.create("http://localhost:4566"));
        assertThat(with(TestkitSettings.ENDPOINT_PROPERTY, "nonsense", TestkitSettings::endpointSet)).isTrue();
        assertThatThrownBy(() -> with(TestkitSettings.ENDPOINT_PROPERTY, "nonsense", TestkitSettings::endpoint))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("System property bsm.endpoint: ");
    }

    /** Reads with the property set to {@code value} (cleared for null), then puts the old value back. */
    private static <T> T with(String property, String value, Supplier<T> read) {
        String old = System.getProperty(property);
        try {
            if (value == null) {
                System.clearProperty(property);
            } else {
                System.setProperty(property, value);
            }
            return read.get();
        } finally {
            if (old == null) {
                System.clearProperty(property);
            } else {
                System.setProperty(property, old);
            }
        }
    }
}
