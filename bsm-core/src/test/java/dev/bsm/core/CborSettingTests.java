package dev.bsm.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.api.parallel.Resources;

/**
 * {@link BotoSesManager.Builder#cborEnabled(boolean)} without a server: what the manager hands to child processes
 * and what its client builds do to the JVM-wide property. Against moto: bsm-core-it's {@code KinesisCborTests}.
 */
@ResourceLock(Resources.SYSTEM_PROPERTIES)
class CborSettingTests {
    private String before;

    @BeforeEach
    void saveProperty() {
        before = System.getProperty(CborSetting.PROPERTY);
        System.clearProperty(CborSetting.PROPERTY);
    }

    @AfterEach
    void restoreProperty() {
        if (before == null) {
            System.clearProperty(CborSetting.PROPERTY);
        } else {
            System.setProperty(CborSetting.PROPERTY, before);
        }
    }

    private static BotoSesManager.Builder keys() {
        return BotoSesManager.builder().credentials("AKIDEXAMPLE", "example-secret").region("us-east-1")
                .endpointOverride(URI.create("http://127.0.0.1:1"));
    }

    @Test
    void aManagerThatChoseJsonHandsItToChildProcessesAndAwscliBlocks() {
        try (BotoSesManager bsm = keys().cborEnabled(false).build()) {
            AwsCliVariables variables = bsm.awscliVariables();
            assertThat(variables.get("CBOR_ENABLED")).contains("false");
            assertThat(variables.systemProperties()).containsEntry("aws.cborEnabled", Optional.of("false"));
        }
    }

    @Test
    void aManagerThatChoseNothingLeavesTheUsersSettingAlone() {
        try (BotoSesManager bsm = keys().build()) {
            assertThat(bsm.awscliVariables().variables()).doesNotContainKey("CBOR_ENABLED");
            assertThat(bsm.awscliVariables().systemProperties()).doesNotContainKey("aws.cborEnabled");
        }
    }

    @Test
    void aClientIsBuiltWithTheManagersChoiceAndThePropertyIsPutBack() {
        assertThat(CborSetting.buildWith(false, () -> System.getProperty(CborSetting.PROPERTY))).isEqualTo("false");
        assertThat(System.getProperty(CborSetting.PROPERTY)).isNull();

        System.setProperty(CborSetting.PROPERTY, "true");
        assertThat(CborSetting.buildWith(false, () -> System.getProperty(CborSetting.PROPERTY))).isEqualTo("false");
        assertThat(System.getProperty(CborSetting.PROPERTY)).isEqualTo("true");
    }

    @Test
    void thePropertyIsPutBackWhenTheBuildFails() {
        System.setProperty(CborSetting.PROPERTY, "true");
        assertThatThrownBy(() -> CborSetting.buildWith(false, () -> {
            throw new IllegalStateException("build failed");
        })).hasMessage("build failed");
        assertThat(System.getProperty(CborSetting.PROPERTY)).isEqualTo("true");
    }

    @Test
    void aValueSomeoneElseSetDuringTheBuildIsLeftAsItIs() {
        CborSetting.buildWith(false, () -> System.setProperty(CborSetting.PROPERTY, "true"));
        assertThat(System.getProperty(CborSetting.PROPERTY)).isEqualTo("true");
    }
}
