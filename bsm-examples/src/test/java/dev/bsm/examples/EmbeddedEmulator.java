package dev.bsm.examples;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.abort;

import dev.bsm.core.BotoSesManager;
import dev.bsm.testkit.MotoServer;

/** The embedded default emulator of the examples: the run's shared moto_server, reset for each test. */
final class EmbeddedEmulator {
    private EmbeddedEmulator() {
    }

    static MotoServer fresh() {
        MotoServer.unavailableReason().ifPresent(reason -> {
            if (Boolean.getBoolean("bsm.requireEmulator")) {
                fail("The examples need moto_server (bsm.requireEmulator=true): " + reason);
            }
            abort(reason);
        });
        MotoServer moto = MotoServer.shared();
        moto.reset();
        return moto;
    }

    static BotoSesManager session(MotoServer moto) {
        return BotoSesManager.builder()
                .credentials(moto.accessKeyId(), moto.secretAccessKey())
                .region(moto.region())
                .endpointOverride(moto.endpoint())
                .build();
    }
}
