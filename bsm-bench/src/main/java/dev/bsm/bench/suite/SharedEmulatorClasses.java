package dev.bsm.bench.suite;

import dev.bsm.core.BotoSesManager;
import dev.bsm.junit5.WithAwsSession;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Benchmarks 5 and 8, bsm: 50 test classes with {@code @WithAwsSession(localstack = true)}. The extension starts
 * the emulator once per run (here, without Docker: one moto_server); with the default isolation each class has an
 * account and a manager of its own there, with {@code bsm.isolation=none} all 50 share one cached manager.
 * Each class makes the same S3 call as {@link PerClassEmulatorClasses}. Written out, not generated at run time,
 * so each is an ordinary test class; run by {@link SuiteMain}, not by Surefire.
 */
public final class SharedEmulatorClasses {
    private SharedEmulatorClasses() {
    }

    /** The same test in every class. */
    static void body(BotoSesManager bsm) {
        bsm.client(S3Client.class).listBuckets();
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

    @WithAwsSession(localstack = true)
    public static class C01 {
        @Test
        void listsBuckets(BotoSesManager bsm) {
            body(bsm);
        }
    }

    @WithAwsSession(localstack = true)
    public static class C02 {
        @Test
        void listsBuckets(BotoSesManager bsm) {
            body(bsm);
        }
    }

    @WithAwsSession(localstack = true)
    public static class C03 {
        @Test
        void listsBuckets(BotoSesManager bsm) {
            body(bsm);
        }
    }

    @WithAwsSession(localstack = true)
    public static class C04 {
        @Test
        void listsBuckets(BotoSesManager bsm) {
            body(bsm);
        }
    }

    @WithAwsSession(localstack = true)
    public static class C05 {
        @Test
        void listsBuckets(BotoSesManager bsm) {
            body(bsm);
        }
    }

    @WithAwsSession(localstack = true)
    public static class C06 {
        @Test
        void listsBuckets(BotoSesManager bsm) {
            body(bsm);
        }
    }

    @WithAwsSession(localstack = true)
    public static class C07 {
        @Test
        void listsBuckets(BotoSesManager bsm) {
            body(bsm);
        }
    }

    @WithAwsSession(localstack = true)
    public static class C08 {
        @Test
        void listsBuckets(BotoSesManager bsm) {
            body(bsm);
        }
    }

    @WithAwsSession(localstack = true)
    public static class C09 {
        @Test
        void listsBuckets(BotoSesManager bsm) {
            body(bsm);
        }
    }

    @WithAwsSession(localstack = true)
    public static class C10 {
        @Test
        void listsBuckets(BotoSesManager bsm) {
            body(bsm);
        }
    }

    @WithAwsSession(localstack = true)
    public static class C11 {
        @Test
        void listsBuckets(BotoSesManager bsm) {
            body(bsm);
        }
    }

    @WithAwsSession(localstack = true)
    public static class C12 {
        @Test
        void listsBuckets(BotoSesManager bsm) {
            body(bsm);
        }
    }

    @WithAwsSession(localstack = true)
    public static class C13 {
        @Test
        void listsBuckets(BotoSesManager bsm) {
            body(bsm);
        }
    }

    @WithAwsSession(localstack = true)
    public static class C14 {
        @Test
        void listsBuckets(BotoSesManager bsm) {
            body(bsm);
        }
    }

    @WithAwsSession(localstack = true)
    public static class C15 {
        @Test
        void listsBuckets(BotoSesManager bsm) {
            body(bsm);
        }
    }

    @WithAwsSession(localstack = true)
    public static class C16 {
        @Test
        void listsBuckets(BotoSesManager bsm) {
            body(bsm);
        }
    }

    @WithAwsSession(localstack = true)
    public static class C17 {
        @Test
        void listsBuckets(BotoSesManager bsm) {
            body(bsm);
        }
    }

    @WithAwsSession(localstack = true)
    public static class C18 {
        @Test
        void listsBuckets(BotoSesManager bsm) {
            body(bsm);
        }
    }

    @WithAwsSession(localstack = true)
    public static class C19 {
        @Test
        void listsBuckets(BotoSesManager bsm) {
            body(bsm);
        }
    }

    @WithAwsSession(localstack = true)
    public static class C20 {
        @Test
        void listsBuckets(BotoSesManager bsm) {
            body(bsm);
        }
    }

    @WithAwsSession(localstack = true)
    public static class C21 {
        @Test
        void listsBuckets(BotoSesManager bsm) {
            body(bsm);
        }
    }

    @WithAwsSession(localstack = true)
    public static class C22 {
        @Test
        void listsBuckets(BotoSesManager bsm) {
            body(bsm);
        }
    }

    @WithAwsSession(localstack = true)
    public static class C23 {
        @Test
        void listsBuckets(BotoSesManager bsm) {
            body(bsm);
        }
    }

    @WithAwsSession(localstack = true)
    public static class C24 {
        @Test
        void listsBuckets(BotoSesManager bsm) {
            body(bsm);
        }
    }

    @WithAwsSession(localstack = true)
    public static class C25 {
        @Test
        void listsBuckets(BotoSesManager bsm) {
            body(bsm);
        }
    }

    @WithAwsSession(localstack = true)
    public static class C26 {
        @Test
        void listsBuckets(BotoSesManager bsm) {
            body(bsm);
        }
    }

    @WithAwsSession(localstack = true)
    public static class C27 {
        @Test
        void listsBuckets(BotoSesManager bsm) {
            body(bsm);
        }
    }

    @WithAwsSession(localstack = true)
    public static class C28 {
        @Test
        void listsBuckets(BotoSesManager bsm) {
            body(bsm);
        }
    }

    @WithAwsSession(localstack = true)
    public static class C29 {
        @Test
        void listsBuckets(BotoSesManager bsm) {
            body(bsm);
        }
    }

    @WithAwsSession(localstack = true)
    public static class C30 {
        @Test
        void listsBuckets(BotoSesManager bsm) {
            body(bsm);
        }
    }

    @WithAwsSession(localstack = true)
    public static class C31 {
        @Test
        void listsBuckets(BotoSesManager bsm) {
            body(bsm);
        }
    }

    @WithAwsSession(localstack = true)
    public static class C32 {
        @Test
        void listsBuckets(BotoSesManager bsm) {
            body(bsm);
        }
    }

    @WithAwsSession(localstack = true)
    public static class C33 {
        @Test
        void listsBuckets(BotoSesManager bsm) {
            body(bsm);
        }
    }

    @WithAwsSession(localstack = true)
    public static class C34 {
        @Test
        void listsBuckets(BotoSesManager bsm) {
            body(bsm);
        }
    }

    @WithAwsSession(localstack = true)
    public static class C35 {
        @Test
        void listsBuckets(BotoSesManager bsm) {
            body(bsm);
        }
    }

    @WithAwsSession(localstack = true)
    public static class C36 {
        @Test
        void listsBuckets(BotoSesManager bsm) {
            body(bsm);
        }
    }

    @WithAwsSession(localstack = true)
    public static class C37 {
        @Test
        void listsBuckets(BotoSesManager bsm) {
            body(bsm);
        }
    }

    @WithAwsSession(localstack = true)
    public static class C38 {
        @Test
        void listsBuckets(BotoSesManager bsm) {
            body(bsm);
        }
    }

    @WithAwsSession(localstack = true)
    public static class C39 {
        @Test
        void listsBuckets(BotoSesManager bsm) {
            body(bsm);
        }
    }

    @WithAwsSession(localstack = true)
    public static class C40 {
        @Test
        void listsBuckets(BotoSesManager bsm) {
            body(bsm);
        }
    }

    @WithAwsSession(localstack = true)
    public static class C41 {
        @Test
        void listsBuckets(BotoSesManager bsm) {
            body(bsm);
        }
    }

    @WithAwsSession(localstack = true)
    public static class C42 {
        @Test
        void listsBuckets(BotoSesManager bsm) {
            body(bsm);
        }
    }

    @WithAwsSession(localstack = true)
    public static class C43 {
        @Test
        void listsBuckets(BotoSesManager bsm) {
            body(bsm);
        }
    }

    @WithAwsSession(localstack = true)
    public static class C44 {
        @Test
        void listsBuckets(BotoSesManager bsm) {
            body(bsm);
        }
    }

    @WithAwsSession(localstack = true)
    public static class C45 {
        @Test
        void listsBuckets(BotoSesManager bsm) {
            body(bsm);
        }
    }

    @WithAwsSession(localstack = true)
    public static class C46 {
        @Test
        void listsBuckets(BotoSesManager bsm) {
            body(bsm);
        }
    }

    @WithAwsSession(localstack = true)
    public static class C47 {
        @Test
        void listsBuckets(BotoSesManager bsm) {
            body(bsm);
        }
    }

    @WithAwsSession(localstack = true)
    public static class C48 {
        @Test
        void listsBuckets(BotoSesManager bsm) {
            body(bsm);
        }
    }

    @WithAwsSession(localstack = true)
    public static class C49 {
        @Test
        void listsBuckets(BotoSesManager bsm) {
            body(bsm);
        }
    }

    @WithAwsSession(localstack = true)
    public static class C50 {
        @Test
        void listsBuckets(BotoSesManager bsm) {
            body(bsm);
        }
    }
}
