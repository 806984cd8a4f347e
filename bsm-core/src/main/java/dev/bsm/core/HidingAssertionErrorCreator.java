package dev.bsm.core;

import java.lang.reflect.Field;
import java.util.Arrays;
import org.assertj.core.error.AssertionErrorCreator;
import org.assertj.core.internal.Failures;
import org.assertj.core.presentation.Representation;

/**
 * AssertJ's creator of assertion errors, except that the actual and expected values it hands to opentest4j's
 * {@code AssertionFailedError} are what {@link SecretHidingRepresentation} prints whenever that hides something.
 * AssertJ builds most failures (those of {@code containsExactly}, {@code contains}, ...) with the raw values, which
 * the error keeps as {@code getActual()}/{@code getExpected()}: IDEs show them in their "click to see difference"
 * view, and build tools' test events carry them, whatever the message says.
 *
 * <p>AssertJ has no setting for this: bsm replaces the creator of AssertJ's {@link Failures} by reflection when
 * {@link SecretHidingRepresentation} loads, only if it is still AssertJ's own, and leaves it alone when AssertJ does
 * not allow it (on the module path without {@code opens}, or a version without that field). AssertJ's
 * {@code isEqualTo} failures do not go through it: they hand over the representation's texts already.
 */
final class HidingAssertionErrorCreator extends AssertionErrorCreator {
    private static final String HIDDEN = "<hidden:";

    private HidingAssertionErrorCreator() {
    }

    /** Puts this creator into AssertJ's failures, once; {@return whether it is there} */
    static synchronized boolean install() {
        try {
            Field creator = Failures.class.getDeclaredField("assertionErrorCreator");
            creator.setAccessible(true);
            Failures failures = Failures.instance();
            Object current = creator.get(failures);
            if (current != null && current.getClass() == AssertionErrorCreator.class) {
                creator.set(failures, new HidingAssertionErrorCreator());
                return true;
            }
            return current instanceof HidingAssertionErrorCreator;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            // Not allowed, or another AssertJ: its errors keep the raw values (docs/session-manager.md says so).
            return false;
        }
    }

    @Override
    public AssertionError assertionError(String message, Object actual, Object expected,
            Representation representation) {
        SecretHidingRepresentation hiding = new SecretHidingRepresentation();
        AssertionError error = super.assertionError(message, shown(actual, hiding), shown(expected, hiding),
                representation);
        // AssertJ cuts its own frames out of the trace; this one would be left at the top of every failure.
        error.setStackTrace(Arrays.stream(error.getStackTrace())
                .filter(frame -> !frame.getClassName().equals(HidingAssertionErrorCreator.class.getName()))
                .toArray(StackTraceElement[]::new));
        return error;
    }

    /** {@return the value, or how bsm's representation prints it when that hides something of it} */
    private static Object shown(Object value, SecretHidingRepresentation hiding) {
        if (value == null) {
            return null;
        }
        String printed = hiding.toStringOf(value);
        return printed != null && printed.contains(HIDDEN) ? printed : value;
    }
}
