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
     * The longest duration taken: 24 hours. Longer is no sensible timeout for a test, and much longer overflows
     * where the SDK and the JDK convert it ({@code Duration.toMillis()} of {@code PT2562047788015215H} throws an
     * {@code ArithmeticException} in the middle of an API call).
     */
    public static final Duration MAX = Duration.ofHours(24);

    private static final BigDecimal MAX_SECONDS = BigDecimal.valueOf(MAX.toSeconds());

    /**
     * Reads a positive duration.
     *
     * @param text seconds such as {@code 45} or {@code 2.5}, or ISO-8601 such as {@code PT45S} (in any case);
     *     white space around it is ignored
     * @return the duration; at most {@link #MAX}
     * @throws InvalidException if the text is no such duration; {@link InvalidException#notPositive()} tells a
     *     duration that is zero or negative, and {@link InvalidException#tooLong()} one longer than {@link #MAX},
     *     from a text that is no duration at all
     */
    public static Duration parse(String text) {
        String value = text.strip();
        Duration duration;
        try {
            if (SECONDS.matcher(value).matches()) {
                BigDecimal seconds = new BigDecimal(value);
                if (seconds.compareTo(MAX_SECONDS) > 0) {
                    throw new InvalidException(text, Problem.TOO_LONG, null);
                }
                duration = Duration.ofNanos(seconds.movePointRight(9).toBigInteger().longValueExact());
            } else {
                duration = Duration.parse(value);
            }
        } catch (DateTimeParseException | ArithmeticException e) {
            throw new InvalidException(text, Problem.NO_DURATION, e);
        }
        if (duration.isZero() || duration.isNegative()) {
            throw new InvalidException(text, Problem.NOT_POSITIVE, null);
        }
        if (duration.compareTo(MAX) > 0) {
            throw new InvalidException(text, Problem.TOO_LONG, null);
        }
        return duration;
    }

    /** What is wrong with a text. */
    private enum Problem {
        NO_DURATION("is not a duration"),
        NOT_POSITIVE("is not positive"),
        TOO_LONG("is longer than the maximum of 24 hours (PT24H)");

        private final String says;

        Problem(String says) {
            this.says = says;
        }
    }

    /** A text that {@link #parse(String)} does not take for a positive duration. */
    public static final class InvalidException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        /** What is wrong with the text: not a duration, not positive, or too long. */
        private final Problem problem;

        InvalidException(String text, Problem problem, Exception cause) {
            super("'" + text + "' " + problem.says, cause);
            this.problem = problem;
        }

        /** {@return whether the text is a duration, but zero or negative; false when it is no duration at all} */
        public boolean notPositive() {
            return problem == Problem.NOT_POSITIVE;
        }

        /** {@return whether the text is a duration, but longer than {@link #MAX}} */
        public boolean tooLong() {
            return problem == Problem.TOO_LONG;
        }
    }
}
