package dev.bsm.junit5;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.bsm.core.BotoSesManager;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Run in a child JVM on JUnit 5.10 or 5.11 (no ResourceLocksProvider; @ResourceLock without providers): with
 * parallel execution, a shared-environment class works and a class that sets its own environment fails fast,
 * saying why and what to do; without parallel execution both work; an isolated class's bucket is deleted when it
 * ends (closed through JUnit's store there too), so each run creates it again. Only the Launcher API: the test kit of the
 * build's JUnit is not on the child's class path.
 */
final class RunOnOldJUnit {
    private RunOnOldJUnit() {
    }

    /** Creates the same bucket in every run: the next run can only if bsm deleted it when the class ended. */
    @WithAwsSession(localstack = true)
    static class SharedTestCase {
        @Test
        void test(BotoSesManager bsm) {
            bsm.client(S3Client.class).createBucket(b -> b.bucket("old-junit-reports"));
        }
    }

    @WithAwsSession(localstack = true, region = "eu-west-1")
    static class OwnRegionTestCase {
        @Test
        void test(BotoSesManager bsm) {
            bsm.awsAccountId();
        }
    }

    public static void main(String[] args) {
        System.out.println("RESULT providers supported=" + SessionLocks.providersSupported());
        run("parallel", args[0], true);
        run("serial", args[0], false);
    }

    private static void run(String name, String endpoint, boolean parallel) {
        Map<String, String> parameters = new HashMap<>();
        parameters.put("bsm.endpoint", endpoint);
        parameters.put("junit.jupiter.execution.parallel.enabled", Boolean.toString(parallel));
        parameters.put("junit.jupiter.execution.parallel.mode.default", "concurrent");
        parameters.put("junit.jupiter.execution.parallel.mode.classes.default", "concurrent");
        Launcher launcher = LauncherFactory.create();
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        launcher.execute(LauncherDiscoveryRequestBuilder.request()
                .selectors(selectClass(SharedTestCase.class), selectClass(OwnRegionTestCase.class))
                .configurationParameters(parameters).build(), listener);
        TestExecutionSummary summary = listener.getSummary();
        summary.getFailures().forEach(failure -> System.out.println("FAILURE " + name + " "
                + failure.getTestIdentifier().getDisplayName() + ": " + failure.getException().getMessage()));
        System.out.println("RESULT " + name + " succeeded=" + summary.getTestsSucceededCount()
                + " failed=" + summary.getTotalFailureCount());
    }
}
