package dev.bsm.testkit.internal;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

/**
 * Not API: the one syntax of the durations that bsm-testkit and bsm-junit5 read from their configuration, a
 * positive number of seconds ({@code 45}, {@code 2.5}) or a positive ISO-8601 duration ({@code PT45S}), so that
 * every such setting accepts the same texts.
 */
public final class PositiveDuration {

    private static final Pattern SECONDS = Pattern.compile("\\d+(\\.\\d+)?");

    private PositiveDuration() {
    }

    /**
     * Reads a positive duration.
     *
     * @param text seconds such as {@code 45} or {@code 2.5}, or ISO-8601 such as {@code PT45S} (in any case);
     *     white space around it is ignored
     * @return the duration; at most what a {@code long} of nanoseconds holds, about 292 years
     * @throws InvalidException if the text is no such duration; {@link InvalidException#notPositive()} tells a
     *     duration that is zero or negative from a text that is no duration at all
     */
    public static Duration parse(String text) {
        String value = text.strip();
        Duration duration;
        try {
            duration = SECONDS.matcher(value).matches()
                    ? Duration.ofNanos(new BigDecimal(value).movePointRight(9).toBigInteger().longValueExact())
                    : Duration.parse(value);
        } catch (DateTimeParseException | ArithmeticException e) {
            throw new InvalidException(text, false, e);
        }
        if (duration.isZero() || duration.isNegative()) {
            throw new InvalidException(text, true, null);
        }
        return duration;
    }

    /** A text that {@link #parse(String)} does not take for a positive duration. */
    public static final class InvalidException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        /** Whether the text is a duration, but zero or negative. */
        private final boolean notPositive;

        InvalidException(String text, boolean notPositive, Exception cause) {
            super("'" + text + "' " + (notPositive ? "is not positive" : "is not a duration"), cause);
            this.notPositive = notPositive;
        }

        /** {@return whether the text is a duration, but zero or negative; false when it is no duration at all} */
        public boolean notPositive() {
            return notPositive;
        }
    }
}
