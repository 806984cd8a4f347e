package dev.bsm.junit5;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.parallel.Isolated;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLocksProvider.Lock;
import org.junit.jupiter.api.parallel.Resources;

/** Which locks JUnit gets for which annotations, and what happens where a parameter asks for more. */
@Isolated("runs fixture classes that change the environment and system properties")
class SessionLocksTests {
    private static final Set<Lock> READ = Set.of(new Lock(SessionLocks.ENVIRONMENT, ResourceAccessMode.READ),
            new Lock(Resources.SYSTEM_PROPERTIES, ResourceAccessMode.READ));
    private static final Set<Lock> READ_WRITE = Set.of(
            new Lock(SessionLocks.ENVIRONMENT, ResourceAccessMode.READ_WRITE),
            new Lock(Resources.SYSTEM_PROPERTIES, ResourceAccessMode.READ_WRITE));

    @WithAwsSession(localstack = true)
    static class Shared {
        @Test
        void test() {
        }

        @Test
        @WithAwsSession(name = "other", localstack = true, env = false)
        void withAnotherSessionLeavingTheEnvironmentAlone() {
        }

        @Test
        @WithAwsSession(localstack = true, region = "eu-west-1")
        void withItsOwnSession() {
        }

        @Nested
        class Inner {
            @Test
            void test() {
            }
        }
    }

    @WithAwsSession(localstack = true, assumeRole = "arn:aws:iam::111122223333:role/x",
            isolation = Isolation.TEST)
    static class SharedWithRoleAndIsolation {
    }

    @WithAwsSession(localstack = true, region = "eu-west-1")
    static class OwnRegion {
    }

    @WithAwsSession(endpoint = "http://localhost:4566")
    static class OwnEndpoint {
    }

    @WithAwsSession(localstack = true, snapshot = true)
    static class Snapshot {
        @Test
        void test() {
        }
    }

    @WithAwsSession(profile = "dev")
    static class Profile {
    }

    /** Without localstack = true bsm cannot tell before the run whether bsm.localstack makes it an emulator. */
    @WithAwsSession
    static class Bare {
    }

    @WithAwsSession(localstack = true, env = false)
    static class NoEnvironment {
    }

    @WithAwsSession(name = "first", localstack = true, env = false)
    @WithAwsSession(name = "second", profile = "dev")
    static class SecondSessionSetsTheEnvironment {
    }

    static class NoSession {
        @Test
        @WithAwsSession(localstack = true)
        void test() {
        }
    }

    private static Method method(Class<?> type, String name) throws NoSuchMethodException {
        return type.getDeclaredMethod(name);
    }

    @Test
    void classesThatShareTheEnvironmentReadItOthersWriteItAndEnvFalseTakesNothing() {
        BsmResourceLocks locks = new BsmResourceLocks();
        assertThat(locks.provideForClass(Shared.class)).isEqualTo(READ);
        assertThat(locks.provideForClass(SharedWithRoleAndIsolation.class)).isEqualTo(READ);
        assertThat(locks.provideForNestedClass(List.of(Shared.class), Shared.Inner.class)).isEqualTo(READ);
        for (Class<?> own : List.of(OwnRegion.class, OwnEndpoint.class, Snapshot.class, Profile.class, Bare.class,
                SecondSessionSetsTheEnvironment.class)) {
            assertThat(locks.provideForClass(own)).as(own.getSimpleName()).isEqualTo(READ_WRITE);
        }
        assertThat(locks.provideForClass(NoEnvironment.class)).isEmpty();
        assertThat(locks.provideForClass(NoSession.class)).isEmpty();
    }

    @Test
    void methodsWriteWhereTheirOwnSessionSetsTheEnvironmentAndInSnapshotClasses() throws Exception {
        BsmResourceLocks locks = new BsmResourceLocks();
        assertThat(locks.provideForMethod(List.of(), Shared.class, method(Shared.class, "test"))).isEmpty();
        assertThat(locks.provideForMethod(List.of(), Shared.class,
                method(Shared.class, "withAnotherSessionLeavingTheEnvironmentAlone"))).isEmpty();
        assertThat(locks.provideForMethod(List.of(), Shared.class, method(Shared.class, "withItsOwnSession")))
                .isEqualTo(READ_WRITE);
        assertThat(locks.provideForMethod(List.of(), Snapshot.class, method(Snapshot.class, "test")))
                .isEqualTo(READ_WRITE);
        assertThat(locks.provideForMethod(List.of(), NoSession.class, method(NoSession.class, "test")))
                .isEqualTo(READ_WRITE);
    }

    @WithAwsSession(localstack = true)
    static class SnapshotByParameterTestCase {
        @Test
        void test() {
        }
    }

    @Test
    void aSnapshotPerTestFromTheParameterFailsFastInParallelRunsAndWorksInSerialOnes() {
        BsmTestKit.run(Map.of("bsm.snapshot", "true"), SnapshotByParameterTestCase.class).allEvents()
                .assertThatEvents().haveExactly(1, event(finishedWithFailure(
                        instanceOf(ExtensionConfigurationException.class),
                        message(m -> m.contains("BSM_SNAPSHOT_FILE names a snapshot file per test, from the"
                                + " configuration parameter bsm.snapshot") && m.contains("snapshot = true on the"
                                + " annotation")))));
        BsmTestKit.run(Map.of("bsm.snapshot", "true", "junit.jupiter.execution.parallel.enabled", "false"),
                SnapshotByParameterTestCase.class).testEvents().assertStatistics(s -> s.succeeded(1));
    }
}
