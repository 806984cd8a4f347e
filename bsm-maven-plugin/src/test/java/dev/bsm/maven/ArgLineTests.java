package dev.bsm.maven;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class ArgLineTests {
    private static final String FLAGS = "--add-opens java.base/java.util=ALL-UNNAMED --add-opens"
            + " java.base/java.lang=ALL-UNNAMED --enable-native-access=ALL-UNNAMED";

    @Test
    void anUnsetArgLineGetsTheFlagsAndTheArguments() {
        Properties properties = new Properties();
        assertThat(ArgLine.append(properties, "argLine", true, List.of("-Da=1")))
                .isEqualTo(FLAGS + " -Da=1").isEqualTo(properties.getProperty("argLine"));
    }

    @Test
    void whatWasThereIsKeptAndFlagsItHasAreNotRepeated() {
        Properties properties = new Properties();
        properties.setProperty("argLine", "-Xmx1g --add-opens java.base/java.lang=ALL-UNNAMED");
        assertThat(ArgLine.append(properties, "argLine", true, List.of("-Da=1")))
                .isEqualTo("-Xmx1g --add-opens java.base/java.lang=ALL-UNNAMED --add-opens"
                        + " java.base/java.util=ALL-UNNAMED --enable-native-access=ALL-UNNAMED -Da=1");
        properties.setProperty("argLine", FLAGS);
        assertThat(ArgLine.append(properties, "argLine", true, List.of())).isEqualTo(FLAGS);
    }

    @Test
    void aSecondRunReplacesWhatTheFirstAppended() {
        Properties properties = new Properties();
        properties.setProperty("argLine", "-Xmx1g");
        ArgLine.append(properties, "argLine", true, List.of("-Dbsm.snapshotFile=/tmp/one.json"));
        assertThat(ArgLine.append(properties, "argLine", true, List.of("-Dbsm.snapshotFile=/tmp/two.json")))
                .isEqualTo("-Xmx1g " + FLAGS + " -Dbsm.snapshotFile=/tmp/two.json");
    }

    @Test
    void anArgumentWithABlankIsQuotedAndFlagsCanBeLeftOut() {
        Properties properties = new Properties();
        assertThat(ArgLine.append(properties, "other", false, List.of("-Dbsm.snapshotFile=/tmp/a b/s.json")))
                .isEqualTo("\"-Dbsm.snapshotFile=/tmp/a b/s.json\"");
        assertThat(properties).doesNotContainKey("argLine");
    }
}
