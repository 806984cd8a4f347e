package dev.bsm.bench.suite;

import dev.bsm.core.BotoSesManager;
import dev.bsm.testkit.MotoServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Benchmark 5, the pattern users write today: 50 test classes, each starting its own emulator in
 * {@code @BeforeAll} ({@code MotoServer.start()}, as a per-class {@code @Container} would) and stopping it in
 * {@code @AfterAll}, with the same test as {@link SharedEmulatorClasses}. Run by {@link SuiteMain}.
 */
public final class PerClassEmulatorClasses {
    private PerClassEmulatorClasses() {
    }

    /** @return the 50 classes */
    public static Class<?>[] all() {
        return new Class<?>[] {
            C01.class, C02.class, C03.class, C04.class, C05.class, C06.class, C07.class, C08.class,
            C09.class, C10.class, C11.class, C12.class, C13.class, C14.class, C15.class, C16.class,
            C17.class, C18.class, C19.class, C20.class, C21.class, C22.class, C23.class, C24.class,
            C25.class, C26.class, C27.class, C28.class, C29.class, C30.class, C31.class, C32.class,
            C33.class, C34.class, C35.class, C36.class, C37.class, C38.class, C39.class, C40.class,
            C41.class, C42.class, C43.class, C44.class, C45.class, C46.class, C47.class, C48.class,
            C49.class, C50.class};
    }

    /** What each class declares: its own emulator and a manager on it. */
    abstract static class OwnEmulator {
        private static MotoServer moto;
        private static BotoSesManager bsm;

        @BeforeAll
        static void startEmulator() {
            moto = MotoServer.start();
            bsm = BotoSesManager.builder()
                    .credentials(moto.accessKeyId(), moto.secretAccessKey())
                    .region(moto.region())
                    .endpointOverride(moto.endpoint())
                    .build();
        }

        @AfterAll
        static void stopEmulator() {
            bsm.close();
            moto.close();
        }

        @Test
        void listsBuckets() {
            SharedEmulatorClasses.body(bsm);
        }
    }

    public static class C01 extends OwnEmulator {
    }

    public static class C02 extends OwnEmulator {
    }

    public static class C03 extends OwnEmulator {
    }

    public static class C04 extends OwnEmulator {
    }

    public static class C05 extends OwnEmulator {
    }

    public static class C06 extends OwnEmulator {
    }

    public static class C07 extends OwnEmulator {
    }

    public static class C08 extends OwnEmulator {
    }

    public static class C09 extends OwnEmulator {
    }

    public static class C10 extends OwnEmulator {
    }

    public static class C11 extends OwnEmulator {
    }

    public static class C12 extends OwnEmulator {
    }

    public static class C13 extends OwnEmulator {
    }

    public static class C14 extends OwnEmulator {
    }

    public static class C15 extends OwnEmulator {
    }

    public static class C16 extends OwnEmulator {
    }

    public static class C17 extends OwnEmulator {
    }

    public static class C18 extends OwnEmulator {
    }

    public static class C19 extends OwnEmulator {
    }

    public static class C20 extends OwnEmulator {
    }

    public static class C21 extends OwnEmulator {
    }

    public static class C22 extends OwnEmulator {
    }

    public static class C23 extends OwnEmulator {
    }

    public static class C24 extends OwnEmulator {
    }

    public static class C25 extends OwnEmulator {
    }

    public static class C26 extends OwnEmulator {
    }

    public static class C27 extends OwnEmulator {
    }

    public static class C28 extends OwnEmulator {
    }

    public static class C29 extends OwnEmulator {
    }

    public static class C30 extends OwnEmulator {
    }

    public static class C31 extends OwnEmulator {
    }

    public static class C32 extends OwnEmulator {
    }

    public static class C33 extends OwnEmulator {
    }

    public static class C34 extends OwnEmulator {
    }

    public static class C35 extends OwnEmulator {
    }

    public static class C36 extends OwnEmulator {
    }

    public static class C37 extends OwnEmulator {
    }

    public static class C38 extends OwnEmulator {
    }

    public static class C39 extends OwnEmulator {
    }

    public static class C40 extends OwnEmulator {
    }

    public static class C41 extends OwnEmulator {
    }

    public static class C42 extends OwnEmulator {
    }

    public static class C43 extends OwnEmulator {
    }

    public static class C44 extends OwnEmulator {
    }

    public static class C45 extends OwnEmulator {
    }

    public static class C46 extends OwnEmulator {
    }

    public static class C47 extends OwnEmulator {
    }

    public static class C48 extends OwnEmulator {
    }

    public static class C49 extends OwnEmulator {
    }

    public static class C50 extends OwnEmulator {
    }
}
