package dev.bsm.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link ExitHooks}, in a child JVM that registers clean-ups and exits. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ExitHooksTests {

    @Test
    void everyNameRunsOnceOnItsOwnThreadAndAllAtOnce() {
        ForkedJvm.Result result = ForkedJvm.mainClass(RegistersCleanUps.class).timeout(Duration.ofSeconds(60)).run();

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stdout().lines().sorted())
                .as("the first clean-up of a name only; each on a thread of that name; the first waited for the "
                        + "second, which a hook running them one after the other would never have started")
                .containsExactly("first ran on first, second had run: true", "second ran on second");
    }

    /** Registers two clean-ups, one of them twice, the first waiting for the second; then exits. */
    static final class RegistersCleanUps {
        public static void main(String[] args) {
            CountDownLatch second = new CountDownLatch(1);
            ExitHooks.onExit("first", () -> {
                boolean ran;
                try {
                    ran = second.await(20, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    ran = false;
                }
                System.out.println("first ran on " + Thread.currentThread().getName() + ", second had run: " + ran);
            });
            ExitHooks.onExit("second", () -> {
                System.out.println("second ran on " + Thread.currentThread().getName());
                second.countDown();
            });
            ExitHooks.onExit("first", () -> System.out.println("a second clean-up named first ran"));
        }
    }
}
