package dev.bsm.bench.extension;

import dev.bsm.core.BotoSesManager;
import dev.bsm.junit5.SnapshotFile;
import dev.bsm.junit5.WithAwsSession;
import dev.bsm.testkit.MotoServer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.RepeatedTest;

/**
 * The test classes of benchmark 3: 1,000 tests each ({@code @RepeatedTest(1000)}: every repetition is a full test
 * with its own before/after callbacks and parameter resolution), with the same body: read the account id of the
 * manager (one GetCallerIdentity for the first test, cached after). The extension's classes leave the isolation at
 * its default, an account per class (issue 13), so each run of a class has a manager of its own. Run through the
 * JUnit launcher by {@link ExtensionOverheadBenchmark}; not run by Surefire (they are in main sources and not named
 * *Test).
 */
public final class Fixtures {
    static final int TESTS = 1000;

    private Fixtures() {
    }

    /** The account of the last test that ran: the benchmark checks that the extension's tests were isolated. */
    static volatile String lastAccount;

    static void body(BotoSesManager bsm) {
        String account = bsm.awsAccountId();
        if (account.length() != 12) {
            throw new AssertionError("not an account id: " + account);
        }
        lastAccount = account;
    }

    /** Baseline: the same tests without the extension; the manager a hand-written class would keep in a field. */
    public static class NoExtension {
        static BotoSesManager bsm;

        @BeforeAll
        static void open() {
            MotoServer moto = MotoServer.shared();
            bsm = BotoSesManager.builder()
                    .credentials(moto.accessKeyId(), moto.secretAccessKey())
                    .region(moto.region())
                    .endpointOverride(moto.endpoint())
                    .build();
        }

        @AfterAll
        static void close() {
            bsm.close();
        }

        @RepeatedTest(TESTS)
        void test() {
            body(bsm);
        }
    }

    /** An injected manager only: no environment, no snapshot. */
    @WithAwsSession(localstack = true, env = false)
    public static class Injected {
        @RepeatedTest(TESTS)
        void test(BotoSesManager bsm) {
            body(bsm);
        }
    }

    /** An injected manager and the session's variables in the environment and aws.* properties per test. */
    @WithAwsSession(localstack = true)
    public static class InjectedEnv {
        @RepeatedTest(TESTS)
        void test(BotoSesManager bsm) {
            body(bsm);
        }
    }

    /** An injected manager and a snapshot file per test, without the environment. */
    @WithAwsSession(localstack = true, env = false, snapshot = true)
    public static class InjectedSnapshot {
        @RepeatedTest(TESTS)
        void test(BotoSesManager bsm, @SnapshotFile Path snapshot) {
            body(bsm);
            if (!Files.exists(snapshot)) {
                throw new AssertionError("no snapshot file " + snapshot);
            }
        }
    }

    /** An injected manager, the environment and a snapshot file per test (BSM_SNAPSHOT_FILE names it). */
    @WithAwsSession(localstack = true, snapshot = true)
    public static class InjectedEnvSnapshot {
        @RepeatedTest(TESTS)
        void test(BotoSesManager bsm, @SnapshotFile Path snapshot) {
            body(bsm);
            if (!Files.exists(snapshot)) {
                throw new AssertionError("no snapshot file " + snapshot);
            }
        }
    }

    /** Another configuration (another region): its own manager, so its own GetCallerIdentity. */
    @WithAwsSession(localstack = true, region = "eu-west-1")
    public static class OtherRegion {
        @RepeatedTest(TESTS)
        void test(BotoSesManager bsm) {
            body(bsm);
        }
    }
}
