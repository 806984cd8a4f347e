package dev.bsm.junit5;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.parallel.Isolated;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * JUnit 5.10 and 5.11 have only static resource locks, so bsm's ResourceLocksProvider is never called there: with
 * parallel execution, a class that must set the environment for itself fails fast saying so and what to do, while
 * shared-environment classes work; without parallel execution, everything works. Run in a child JVM whose class
 * path has that JUnit (copied into target/old-junit by the build) instead of the build's.
 */
@Isolated("starts a child JVM against this run's moto_server")
class OldJUnitTests {

    @ParameterizedTest(name = "JUnit {0}")
    @CsvSource({"5.10.3, 1.10.3", "5.11.4, 1.11.4"})
    void aScopeThatNeedsWriteLocksFailsFastInParallelRunsAndWorksInSerialOnes(String jupiter, String platform)
            throws Exception {
        String endpoint = BsmTestKit.moto().endpoint().toString();
        List<String> classPath = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!entry.replace(File.separatorChar, '/').contains("/org/junit/")) {
                classPath.add(entry);
            }
        }
        // Copied there by the build (maven-dependency-plugin, execution old-junit).
        Path copied = Path.of("target", "old-junit");
        for (String jar : List.of("junit-jupiter-api-" + jupiter, "junit-jupiter-engine-" + jupiter,
                "junit-platform-commons-" + platform, "junit-platform-engine-" + platform,
                "junit-platform-launcher-" + platform)) {
            Path path = copied.resolve(jar + ".jar");
            assumeTrue(Files.isRegularFile(path), path.toAbsolutePath() + " is missing: run the build's"
                    + " generate-test-resources phase");
            classPath.add(path.toAbsolutePath().toString());
        }
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString()));
        ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("--add-opens") || a.startsWith("--enable-native-access")).forEach(command::add);
        command.addAll(List.of("-cp", String.join(File.pathSeparator, classPath), RunOnOldJUnit.class.getName(),
                endpoint));
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        output.lines().filter(line -> line.startsWith("RESULT") || line.startsWith("FAILURE"))
                .forEach(line -> System.out.println("JUnit " + jupiter + ": " + line));
        assertThat(child.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(child.exitValue()).as(output).isZero();
        assertThat(output).as(output).contains("RESULT providers supported=false")
                .contains("RESULT parallel succeeded=1 failed=1")
                .contains("RESULT serial succeeded=2 failed=0")
                .contains("FAILURE parallel RunOnOldJUnit$OwnRegionTestCase")
                .contains("a region of its own")
                .contains("Upgrade JUnit to 5.12 or later, or turn off parallel execution");
    }
}
