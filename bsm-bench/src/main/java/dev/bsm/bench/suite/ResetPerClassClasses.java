package dev.bsm.bench.suite;

import dev.bsm.core.BotoSesManager;
import dev.bsm.junit5.Isolation;
import dev.bsm.junit5.WithAwsSession;
import dev.bsm.testkit.Emulators;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.Comparator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Benchmark 8, the way to clean state without isolation: the 50 classes of {@link SharedEmulatorClasses} with
 * {@code isolation = NONE}, each resetting the shared emulator in {@code @BeforeAll} (moto's
 * {@code POST /moto-api/reset}), which is only safe while no other class runs. Run by {@link SuiteMain}.
 */
public final class ResetPerClassClasses {
    private ResetPerClassClasses() {
    }

    /** @return the 50 classes, by name */
    public static Class<?>[] all() {
        return Arrays.stream(ResetPerClassClasses.class.getDeclaredClasses())
                .filter(c -> !Modifier.isAbstract(c.getModifiers()))
                .sorted(Comparator.comparing(Class::getName))
                .toArray(Class<?>[]::new);
    }

    /** What each class declares: the shared emulator's state reset before its tests. */
    @WithAwsSession(localstack = true, isolation = Isolation.NONE)
    abstract static class ResetFirst {
        @BeforeAll
        static void resetEmulator() {
            Emulators.shared().reset(); // the emulator the extension chose: the same JVM-wide instance
        }

        @Test
        void listsBuckets(BotoSesManager bsm) {
            SharedEmulatorClasses.body(bsm);
        }
    }

    public static class C01 extends ResetFirst {
    }

    public static class C02 extends ResetFirst {
    }

    public static class C03 extends ResetFirst {
    }

    public static class C04 extends ResetFirst {
    }

    public static class C05 extends ResetFirst {
    }

    public static class C06 extends ResetFirst {
    }

    public static class C07 extends ResetFirst {
    }

    public static class C08 extends ResetFirst {
    }

    public static class C09 extends ResetFirst {
    }

    public static class C10 extends ResetFirst {
    }

    public static class C11 extends ResetFirst {
    }

    public static class C12 extends ResetFirst {
    }

    public static class C13 extends ResetFirst {
    }

    public static class C14 extends ResetFirst {
    }

    public static class C15 extends ResetFirst {
    }

    public static class C16 extends ResetFirst {
    }

    public static class C17 extends ResetFirst {
    }

    public static class C18 extends ResetFirst {
    }

    public static class C19 extends ResetFirst {
    }

    public static class C20 extends ResetFirst {
    }

    public static class C21 extends ResetFirst {
    }

    public static class C22 extends ResetFirst {
    }

    public static class C23 extends ResetFirst {
    }

    public static class C24 extends ResetFirst {
    }

    public static class C25 extends ResetFirst {
    }

    public static class C26 extends ResetFirst {
    }

    public static class C27 extends ResetFirst {
    }

    public static class C28 extends ResetFirst {
    }

    public static class C29 extends ResetFirst {
    }

    public static class C30 extends ResetFirst {
    }

    public static class C31 extends ResetFirst {
    }

    public static class C32 extends ResetFirst {
    }

    public static class C33 extends ResetFirst {
    }

    public static class C34 extends ResetFirst {
    }

    public static class C35 extends ResetFirst {
    }

    public static class C36 extends ResetFirst {
    }

    public static class C37 extends ResetFirst {
    }

    public static class C38 extends ResetFirst {
    }

    public static class C39 extends ResetFirst {
    }

    public static class C40 extends ResetFirst {
    }

    public static class C41 extends ResetFirst {
    }

    public static class C42 extends ResetFirst {
    }

    public static class C43 extends ResetFirst {
    }

    public static class C44 extends ResetFirst {
    }

    public static class C45 extends ResetFirst {
    }

    public static class C46 extends ResetFirst {
    }

    public static class C47 extends ResetFirst {
    }

    public static class C48 extends ResetFirst {
    }

    public static class C49 extends ResetFirst {
    }

    public static class C50 extends ResetFirst {
    }
}
