package dev.bsm.maven;

import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * Appends what the test JVMs need to the property that Surefire and Failsafe read their {@code argLine} from, as
 * JaCoCo's {@code prepare-agent} does with its agent: the two {@code --add-opens} flags and
 * {@code --enable-native-access=ALL-UNNAMED} (unless the value has them already) and the build session's system
 * properties. What was there before is kept as it is. Running again (a second execution, a second build in the same
 * JVM) replaces what an earlier run appended instead of adding it twice.
 */
final class ArgLine {
    static final List<String> JVM_FLAGS = List.of("--add-opens", "java.base/java.util=ALL-UNNAMED", "--add-opens",
            "java.base/java.lang=ALL-UNNAMED", "--enable-native-access=ALL-UNNAMED");
    /** Where the goal keeps what it appended, so that the next run can take it out again. */
    static final String APPENDED = "bsm.argLine.appended";

    private ArgLine() {
    }

    /**
     * Appends to the property.
     *
     * @param arguments the system properties to pass, each one argument (quoted here where it holds a blank)
     * @return the property's new value
     */
    static String append(Properties properties, String name, boolean jvmFlags, List<String> arguments) {
        String before = withoutEarlierRun(properties.getProperty(name, ""), properties.getProperty(APPENDED));
        List<String> added = new ArrayList<>();
        if (jvmFlags) {
            if (!before.contains("java.base/java.util=ALL-UNNAMED")) {
                added.addAll(JVM_FLAGS.subList(0, 2));
            }
            if (!before.contains("java.base/java.lang=ALL-UNNAMED")) {
                added.addAll(JVM_FLAGS.subList(2, 4));
            }
            if (!before.contains(JVM_FLAGS.get(4))) {
                added.add(JVM_FLAGS.get(4));
            }
        }
        added.addAll(arguments);
        String suffix = String.join(" ", added.stream().map(ArgLine::quote).toList());
        String value = before.isBlank() ? suffix : suffix.isEmpty() ? before : before + " " + suffix;
        properties.setProperty(name, value);
        properties.setProperty(APPENDED, suffix);
        return value;
    }

    private static String withoutEarlierRun(String value, String appended) {
        if (appended == null || appended.isEmpty() || !value.endsWith(appended)) {
            return value;
        }
        return value.substring(0, value.length() - appended.length()).stripTrailing();
    }

    /**
     * Quotes an argument that holds a blank, for the command-line splitting that Surefire applies to argLine
     * (double quotes group, with no escape character: so an argument holding a double quote cannot be passed,
     * which the goal checks before it gets here).
     */
    static String quote(String argument) {
        return argument.chars().anyMatch(Character::isWhitespace) ? "\"" + argument + "\"" : argument;
    }
}
