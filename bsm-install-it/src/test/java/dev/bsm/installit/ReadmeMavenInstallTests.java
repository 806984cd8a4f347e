package dev.bsm.installit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.abort;

import dev.bsm.testkit.MotoServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * README's Maven installation, taken as a new user takes it: a fresh project whose {@code pom.xml} is README's
 * block exactly as written, with an application class and tests, built with {@code mvn verify} by the Maven wrapper's
 * Maven and by Debian's {@code /usr/bin/mvn} (3.8.7, whose default Surefire 2.12 runs no JUnit 5 test and still says
 * BUILD SUCCESS). Each build must pass and must really have run its Surefire and Failsafe tests.
 */
class ReadmeMavenInstallTests {
    private static final Path DEBIAN_MAVEN = Path.of("/usr/bin/mvn");

    @BeforeAll
    static void needsMoto() {
        MotoServer.unavailableReason().ifPresent(ReadmeMavenInstallTests::missing);
    }

    @Test
    void readmesPomBuildsAndRunsItsTestsWithTheMavenWrapper(@TempDir Path workspace) throws Exception {
        SampleProject project = SampleProject.create(workspace, readmePom(), SampleProject.README_SAMPLE);
        project.useMavenWrapper();

        project.build(List.of("./mvnw"));

        project.assertTestsRanAndPassed();
    }

    @Test
    void readmesPomBuildsAndRunsItsTestsWithDebiansMaven(@TempDir Path workspace) throws Exception {
        if (!Files.isExecutable(DEBIAN_MAVEN)) {
            missing(DEBIAN_MAVEN + " is not installed: apt-get update && apt-get install -y maven");
        }
        SampleProject project = SampleProject.create(workspace, readmePom(), SampleProject.README_SAMPLE);

        String version = project.build(List.of(DEBIAN_MAVEN.toString()));

        assertThat(version).as("the Maven that built the project").startsWith("Apache Maven 3.");
        project.assertTestsRanAndPassed();
    }

    @Test
    void aProjectWhoseTestsDidNotRunIsCaught(@TempDir Path workspace) throws IOException {
        // What Surefire 2.12 leaves after a "successful" build of JUnit 5 tests: no report of any test.
        SampleProject project = SampleProject.create(workspace, readmePom(), SampleProject.README_SAMPLE);
        Files.createDirectories(project.directory().resolve("target/surefire-reports"));

        assertThatThrownBy(project::assertTestsRanAndPassed)
                .isInstanceOf(AssertionError.class).hasMessageContaining("surefire-reports")
                .hasMessageContaining("no test ran");
    }

    /** README's Maven block marked {@code <!-- install: maven-pom -->}, exactly as written; it must stay in README. */
    static String readmePom() throws IOException {
        InstallBlocks.Block pom = InstallBlocks.find("maven-pom");
        assertThat(pom.document()).as("the document with the pom newcomers copy").isEqualTo("README.md");
        return pom.xml();
    }

    /** Skips, or fails under {@code -Dbsm.requireEmulator=true} (CI), when something the build needs is missing. */
    static void missing(String reason) {
        if (Boolean.getBoolean("bsm.requireEmulator")) {
            fail("required (bsm.requireEmulator=true): " + reason);
        }
        abort(reason);
    }
}
