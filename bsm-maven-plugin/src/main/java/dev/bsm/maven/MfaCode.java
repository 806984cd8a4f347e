package dev.bsm.maven;

import java.io.Console;
import java.lang.reflect.Method;
import java.util.Optional;
import java.util.Properties;
import org.apache.maven.execution.MavenSession;

/**
 * The MFA code of the build's AssumeRole, asked for once per build: from the property {@code bsm.mfaTokenCode}, else
 * on the console. It is never a goal parameter (Maven's {@code -X} prints every parameter's value), and once read
 * it is taken out of the build's properties, so Surefire and Failsafe do not copy it into the test JVMs' system
 * properties (and from there into their reports).
 */
final class MfaCode {
    static final String PROPERTY = Parameters.PREFIX + Parameters.MFA_TOKEN_CODE;

    private MfaCode() {
    }

    /**
     * {@return the code for the device}
     *
     * @throws InvalidParameterException when there is no code and no console to ask on
     */
    static String obtain(String serialNumber, MavenSession session) throws InvalidParameterException {
        Optional<String> fromProperty = take(session.getUserProperties())
                .or(() -> take(session.getSystemProperties()))
                .or(() -> take(System.getProperties()));
        // Taken out of all of them, whichever held it.
        take(session.getSystemProperties());
        take(System.getProperties());
        if (fromProperty.isPresent()) {
            return fromProperty.get();
        }
        Console console = session.getRequest().isInteractiveMode() ? terminal() : null;
        if (console == null) {
            throw new InvalidParameterException(Parameters.MFA_SERIAL_NUMBER, "is set, so AssumeRole needs a code"
                    + " from the MFA device, and there is no console to ask on (Maven runs in batch mode, -B, or"
                    + " without a terminal): pass the code with -D" + PROPERTY + "=123456");
        }
        char[] code = console.readPassword("bsm: MFA code for %s: ", serialNumber);
        if (code == null) {
            throw new InvalidParameterException(Parameters.MFA_SERIAL_NUMBER, "is set, so AssumeRole needs a code"
                    + " from the MFA device, and the console was closed before one was typed: pass it with -D"
                    + PROPERTY + "=123456");
        }
        return new String(code).trim();
    }

    private static Optional<String> take(Properties properties) {
        if (properties == null) {
            return Optional.empty();
        }
        Object value = properties.remove(PROPERTY);
        return value instanceof String text ? SessionSettings.text(text) : Optional.empty();
    }

    /**
     * The console, when it is a terminal: from JDK 22 on, {@code System.console()} is there also without one, and
     * only {@code isTerminal()} (JDK 22+) tells.
     */
    private static Console terminal() {
        Console console = System.console();
        if (console == null) {
            return null;
        }
        try {
            Method isTerminal = Console.class.getMethod("isTerminal");
            return Boolean.TRUE.equals(isTerminal.invoke(console)) ? console : null;
        } catch (NoSuchMethodException e) {
            return console; // JDK 17 to 21: a console is a terminal
        } catch (ReflectiveOperationException e) {
            return null;
        }
    }
}
