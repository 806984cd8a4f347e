package dev.bsm.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bsm.core.BotoSesManager;
import dev.bsm.junit5.WithAwsSessionParameters;
import dev.bsm.testkit.TestkitSettings;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The configuration reference table (docs/configuration.md, wherever it moves) lists exactly the settings the modules
 * declare: every public constant of {@link WithAwsSessionParameters} and {@link TestkitSettings}, and core's snapshot
 * variable and property. A setting added to the code without a row, or a row left for a setting that is gone, fails
 * here.
 */
class ConfigurationTableTests {
    private static final Pattern HEADING = Pattern.compile("(?m)^#+ Configuration reference$");
    private static final Pattern ROW_NAME = Pattern.compile("(?m)^\\| `([^`]+)` \\|");

    @Test
    void theConfigurationTableListsExactlyTheDeclaredSettings() {
        Set<String> declared = new LinkedHashSet<>();
        declared.addAll(constants(WithAwsSessionParameters.class));
        declared.addAll(constants(TestkitSettings.class));
        declared.add(BotoSesManager.SNAPSHOT_FILE_VARIABLE);
        declared.add(BotoSesManager.SNAPSHOT_FILE_PROPERTY);

        assertThat(tableNames()).as("the names in the configuration table (Configuration reference, first table)")
                .containsExactlyInAnyOrderElementsOf(declared);
    }

    /**
     * The first column of the first table under the heading "Configuration reference" (of any level), in whichever of
     * README.md and docs/*.md holds it: exactly one of them must.
     */
    private static Set<String> tableNames() {
        Map<String, String> holders = new LinkedHashMap<>();
        Documents.project().texts().forEach((document, text) -> {
            Matcher heading = HEADING.matcher(text);
            if (heading.find()) {
                holders.put(document, text.substring(heading.start()));
            }
        });
        assertThat(holders.keySet()).as("the documents with a heading 'Configuration reference'").hasSize(1);
        String rest = holders.values().iterator().next();
        int table = rest.indexOf("\n| Name |");
        assertThat(table).as("a '| Name |' table under 'Configuration reference' in %s", holders.keySet()).isPositive();
        int end = rest.indexOf("\n\n", table + 1);
        Set<String> names = new LinkedHashSet<>();
        Matcher row = ROW_NAME.matcher(end < 0 ? rest.substring(table) : rest.substring(table, end));
        while (row.find()) {
            names.add(row.group(1));
        }
        return names;
    }

    private static Set<String> constants(Class<?> type) {
        Set<String> values = new LinkedHashSet<>();
        for (Field field : type.getFields()) {
            int modifiers = field.getModifiers();
            if (Modifier.isStatic(modifiers) && Modifier.isFinal(modifiers) && field.getType() == String.class) {
                try {
                    values.add((String) field.get(null));
                } catch (IllegalAccessException e) {
                    throw new AssertionError(e);
                }
            }
        }
        assertThat(values).as("public String constants of %s", type.getSimpleName()).isNotEmpty();
        return values;
    }
}
