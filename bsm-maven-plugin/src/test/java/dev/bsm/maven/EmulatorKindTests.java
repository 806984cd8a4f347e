package dev.bsm.maven;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class EmulatorKindTests {
    @Test
    void motoInAnyCaseIsTheBuildsMotoServerAndNothingOrNoneIsNoEmulator() throws Exception {
        assertThat(EmulatorKind.parse("moto")).contains(EmulatorKind.MOTO);
        assertThat(EmulatorKind.parse(" MOTO ")).contains(EmulatorKind.MOTO);
        assertThat(EmulatorKind.parse(null)).isEmpty();
        assertThat(EmulatorKind.parse("  ")).isEmpty();
        assertThat(EmulatorKind.parse("none")).isEmpty();
    }

    @Test
    void anyOtherValueIsRefusedNamingTheParameterAndItsValues() {
        assertThatThrownBy(() -> EmulatorKind.parse("motto")).isInstanceOf(InvalidParameterException.class)
                .hasMessage("bsm-maven-plugin: parameter 'emulator' (property bsm.emulator) is 'motto', which is no"
                        + " emulator: use moto (the build's moto_server, shared by every test JVM) or none (the"
                        + " default)");
    }

    @Test
    void localStackIsRefusedSayingWhyAndWhatToDoInstead() {
        assertThatThrownBy(() -> EmulatorKind.parse("LocalStack")).isInstanceOf(InvalidParameterException.class)
                .hasMessageStartingWith("bsm-maven-plugin: parameter 'emulator' (property bsm.emulator) is"
                        + " localstack, which the plugin does not start")
                .hasMessageContaining("needs Docker").hasMessageContaining("-Dbsm.endpoint=http://localhost:4566");
    }
}
