package dev.bsm.core.it;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.abort;

import dev.bsm.core.BotoSesManager;
import dev.bsm.testkit.MotoServer;
import java.util.Optional;

/** The shared moto_server of this test run, or a skip (a failure in CI) with the reason it is missing. */
final class Moto {
    private Moto() {
    }

    static MotoServer server() {
        Optional<String> unavailable = MotoServer.unavailableReason();
        if (unavailable.isPresent()) {
            if (Boolean.getBoolean("bsm.requireEmulator")) {
                fail("moto_server is required (bsm.requireEmulator=true): " + unavailable.get());
            }
            abort(unavailable.get());
        }
        return MotoServer.shared();
    }

    /**
     * The canary secret (moto accepts any secret key): it goes through real SDK signing in every test here, and CI
     * fails if it shows up in any report or log (.ci/scan-secrets).
     */
    static final String CANARY_SECRET = "bsmCanarySecret0d9f2c7e5a1b4";

    /** A fresh moto and a manager on it whose every call passes through the counter. */
    static BotoSesManager freshManager(CallCounter counter) {
        MotoServer moto = server();
        moto.reset();
        return BotoSesManager.builder()
                .credentials(moto.accessKeyId(), CANARY_SECRET)
                .region(moto.region())
                .endpointOverride(moto.endpoint())
                .overrideConfiguration(c -> c.addExecutionInterceptor(counter))
                .build();
    }
}
