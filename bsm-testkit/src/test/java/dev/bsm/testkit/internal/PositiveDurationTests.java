package dev.bsm.testkit.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link PositiveDuration}: seconds or ISO-8601, positive, and which of the two rules a text breaks. */
class PositiveDurationTests {

    @Test
    void secondsAndIsoDurationsInAnyCaseWithWhiteSpaceAround() {
        assertThat(PositiveDuration.parse("45")).isEqualTo(Duration.ofSeconds(45));
        assertThat(PositiveDuration.parse(" 2.5 ")).isEqualTo(Duration.ofMillis(2500));
        assertThat(PositiveDuration.parse("PT45S")).isEqualTo(Duration.ofSeconds(45));
        assertThat(PositiveDuration.parse(" pt2m ")).isEqualTo(Duration.ofMinutes(2));
        assertThat(PositiveDuration.parse("0.000000001")).isEqualTo(Duration.ofNanos(1));
    }

    @Test
    void zeroAndNegativeDurationsAreNotPositive() {
        for (String text : List.of("0", "0.0", "PT0S", "-PT1S", "PT-5S")) {
            assertThatThrownBy(() -> PositiveDuration.parse(text))
                    .as(text)
                    .isInstanceOfSatisfying(PositiveDuration.InvalidException.class,
                            e -> assertThat(e.notPositive()).isTrue())
                    .hasMessage("'" + text + "' is not positive");
        }
    }

    @Test
    void textsThatAreNoDurationAtAllSaySo() {
        for (String text : List.of("", "abc", "soon", "-1", "1.5.2", "1e3", "45s")) {
            assertThatThrownBy(() -> PositiveDuration.parse(text))
                    .as(text)
                    .isInstanceOfSatisfying(PositiveDuration.InvalidException.class,
                            e -> assertThat(e.notPositive()).isFalse())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("'" + text + "' is not a duration");
        }
    }

    @Test
    void durationsLongerThanTheMaximumAreRefusedBeforeAnythingOverflows() {
        // PT2562047788015215H is a Duration, but its toMillis() (what the SDK calls for apiCallTimeout) overflows.
        for (String text : List.of("PT2562047788015215H", "9223372036854775807", "99999999999999999999", "PT24H0.001S",
                "86400.000000001", "P2D", "PT8760H")) {
            assertThatThrownBy(() -> PositiveDuration.parse(text))
                    .as(text)
                    .isInstanceOfSatisfying(PositiveDuration.InvalidException.class, e -> {
                        assertThat(e.notPositive()).isFalse();
                        assertThat(e.tooLong()).isTrue();
                    })
                    .hasMessage("'" + text + "' is longer than the maximum of 24 hours (PT24H)");
        }
    }

    @Test
    void theMaximumItselfIsAccepted() {
        assertThat(PositiveDuration.parse("PT24H")).isEqualTo(PositiveDuration.MAX).isEqualTo(Duration.ofHours(24));
        assertThat(PositiveDuration.parse("86400")).isEqualTo(Duration.ofDays(1));
        assertThat(PositiveDuration.parse("P1D")).isEqualTo(Duration.ofDays(1));
    }
}
