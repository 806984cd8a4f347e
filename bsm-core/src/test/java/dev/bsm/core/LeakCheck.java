package dev.bsm.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Named;

/**
 * What a test report would show of a failure: its message, {@code toString} and printed stack trace (causes and
 * suppressed errors included, as Surefire writes them), checked for the canary secret.
 */
final class LeakCheck {
    private LeakCheck() {
    }

    /** {@return the assertion, named for a parameterized test's display name} */
    static Named<Runnable> named(String name, Runnable failingAssertion) {
        return Named.of(name, failingAssertion);
    }

    /** {@return the failure thrown by the assertion; fails the test when the assertion passes} */
    static Throwable failureOf(Runnable failingAssertion) {
        try {
            failingAssertion.run();
        } catch (AssertionError failure) {
            return failure;
        }
        throw new IllegalStateException("the assertion was meant to fail but passed");
    }

    /** {@return everything a report holds of the failure: message, toString and stack trace, one after another} */
    static String reported(Throwable failure) {
        StringWriter trace = new StringWriter();
        failure.printStackTrace(new PrintWriter(trace));
        List<String> parts = new ArrayList<>();
        parts.add(String.valueOf(failure.getMessage()));
        parts.add(failure.toString());
        parts.add(trace.toString());
        return String.join("\n", parts);
    }

    /**
     * Fails when the report of the failure shows the canary, or does not show a hidden value ({@code <hidden:...>})
     * to say what failed.
     */
    static void assertShowsNoSecret(Throwable failure) {
        String report = reported(failure);
        assertNoCanary(report);
        assertThat(report).as("the report still says what failed").contains("<hidden:");
    }

    /**
     * Fails when the text shows the canary; the message of that failure shows the text with the canary cut out, so
     * the check itself leaks nothing into the reports.
     */
    static void assertNoCanary(String text) {
        if (text.contains(Canary.SECRET)) {
            throw new AssertionError("the report shows the canary secret (cut out here as [CANARY]):\n"
                    + text.replace(Canary.SECRET, "[CANARY]"));
        }
    }
}
