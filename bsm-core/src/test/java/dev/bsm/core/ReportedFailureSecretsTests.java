package dev.bsm.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.launcher.EngineFilter.includeEngines;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.assertj.core.api.SoftAssertions;
import org.hamcrest.MatcherAssert;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.reporting.legacy.xml.LegacyXmlReportGeneratingListener;

/**
 * Deliberately failing tests, run through the JUnit Platform with the reports a build writes (the legacy XML
 * report, the format of Surefire's and Gradle's, and the Open Test Reporting XML), with standard output captured:
 * every report file is scanned for the canary, as {@code .ci/scan-secrets} does after a build.
 */
class ReportedFailureSecretsTests {
    private static final String LAUNCHED_HERE = "bsm.reportedFailureSecretsTests";

    @Test
    void failingAssertionsOnSnapshotsLeaveNoSecretInTheReports(@TempDir Path reports) throws IOException {
        SummaryGeneratingListener summary = new SummaryGeneratingListener();
        Launcher launcher = LauncherFactory.create();
        launcher.execute(LauncherDiscoveryRequestBuilder.request()
                        .selectors(selectClass(FailingAssertions.class))
                        .filters(includeEngines("junit-jupiter"))
                        .configurationParameter(LAUNCHED_HERE, "true")
                        .configurationParameter("junit.platform.output.capture.stdout", "true")
                        .configurationParameter("junit.platform.output.capture.stderr", "true")
                        .configurationParameter("junit.platform.reporting.open.xml.enabled", "true")
                        .configurationParameter("junit.platform.reporting.output.dir", reports.toString())
                        .build(),
                summary, new LegacyXmlReportGeneratingListener(reports, new PrintWriter(Writer.nullWriter())));

        assertThat(summary.getSummary().getTestsFailedCount()).as("every fixture test failed")
                .isEqualTo(FailingAssertions.TESTS).isEqualTo(summary.getSummary().getTestsFoundCount());
        List<Path> files = reportFiles(reports);
        assertThat(files).as("a legacy XML report and an Open Test Reporting one")
                .anyMatch(file -> file.getFileName().toString().startsWith("TEST-"))
                .anyMatch(file -> file.getFileName().toString().startsWith("open-test-report"));
        for (Path file : files) {
            List<String> leaking = Files.readAllLines(file, StandardCharsets.UTF_8).stream()
                    .filter(line -> line.contains(Canary.SECRET)).toList();
            if (!leaking.isEmpty()) {
                throw new AssertionError("the canary secret is in " + file.getFileName() + ", on these lines (cut out"
                        + " as [CANARY]):\n" + String.join("\n", leaking).replace(Canary.SECRET, "[CANARY]"));
            }
        }
        String legacy = Files.readString(files.stream()
                .filter(file -> file.getFileName().toString().startsWith("TEST-")).findFirst().orElseThrow());
        for (String useful : List.of("<failure", "aws_secret_access_key", "&lt;hidden:")) {
            assertThat(legacy.contains(useful)).as("the report shows the failures, with keys and hidden values: "
                    + useful).isTrue();
        }
    }

    private static List<Path> reportFiles(Path reports) {
        try (Stream<Path> walk = Files.walk(reports)) {
            return walk.filter(Files::isRegularFile).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs only when the test above launches it: a build or an IDE that finds it on its own skips it. */
    static final class OnlyWhenLaunchedHere implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            return context.getConfigurationParameter(LAUNCHED_HERE, Boolean::parseBoolean).orElse(false)
                    ? ConditionEvaluationResult.enabled("launched by ReportedFailureSecretsTests")
                    : ConditionEvaluationResult.disabled("a deliberately failing fixture, run by its enclosing test");
        }
    }

    /** README's snapshot pattern and its neighbours, each failing on a differing secret. */
    @ExtendWith(OnlyWhenLaunchedHere.class)
    static class FailingAssertions {
        static final int TESTS = 5;

        @Test
        void readmesSnapshotPattern() {
            try (CanarySessions sessions = new CanarySessions()) {
                Map<String, String> snapshot = sessions.actual().toSnapshot();
                assertThat(sessions.other().toSnapshot()).isEqualTo(snapshot);
            }
        }

        @Test
        void softAssertionsOnEntriesAndValues() {
            try (CanarySessions sessions = new CanarySessions()) {
                SoftAssertions.assertSoftly(softly -> {
                    softly.assertThat(sessions.actual().toSnapshot()).containsEntry("aws_secret_access_key", "wrong");
                    softly.assertThat(sessions.actual().toSnapshot()).extractingByKey("aws_session_token").isNull();
                    softly.assertThat(sessions.actual().awscliVariables().variables()).isEmpty();
                });
            }
        }

        @Test
        void junitAssertEquals() {
            try (CanarySessions sessions = new CanarySessions()) {
                Assertions.assertEquals(sessions.actual().toSnapshot(), sessions.other().toSnapshot());
            }
        }

        @Test
        void hamcrestHasEntry() {
            try (CanarySessions sessions = new CanarySessions()) {
                MatcherAssert.assertThat(sessions.actual().toSnapshot(),
                        Matchers.hasEntry("aws_secret_access_key", "wrong"));
            }
        }

        @Test
        void printedToStandardOutputThenFailed() {
            try (CanarySessions sessions = new CanarySessions()) {
                BotoSesManager bsm = sessions.actual();
                System.out.println("snapshot: " + bsm.toSnapshot());
                System.out.println("variables: " + bsm.awscliVariables().variables());
                Assertions.fail("after printing the snapshot");
            }
        }
    }
}
