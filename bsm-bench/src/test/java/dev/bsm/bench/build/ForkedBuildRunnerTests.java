package dev.bsm.bench.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.abort;

import dev.bsm.testkit.MotoServer;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Benchmark 10's measuring apparatus, not its figures: a tiny sample build (4 classes, {@code forkCount=2}, one build
 * per mode) must show the emulator starts that each mode is known to make, and {@link ProcessWatch} must count a
 * marked emulator once, whatever ran under its pid before and whatever copies of itself it forks, and none of
 * another build's.
 */
class ForkedBuildRunnerTests {
    @BeforeAll
    static void needsMotoAndProc() {
        MotoServer.unavailableReason().ifPresent(ForkedBuildRunnerTests::missing);
        if (!ProcessWatch.available()) {
            missing("/proc/self/environ is not readable: the build's processes cannot be told from others'");
        }
    }

    @Test
    void aTinyBuildCountsOneEmulatorSharedByTheBuildAndOneForEachForkWithJvm() throws Exception {
        Map<String, List<SampleBuild.Measured>> results = ForkedBuildRunner.measure(1, 4, 2, false);
        System.out.println(ForkedBuildRunner.table(results, 1, 4, 2));

        SampleBuild.Measured build = results.get("build").get(0);
        SampleBuild.Measured jvm = results.get("jvm").get(0);
        assertThat(build.testsRun()).as("tests of the build with share=build").isEqualTo(4);
        assertThat(jvm.testsRun()).as("tests of the build with share=jvm").isEqualTo(4);
        assertThat(build.forks()).as("Surefire forks seen, share=build").hasSize(2);
        assertThat(jvm.forks()).as("Surefire forks seen, share=jvm").hasSize(2);
        assertThat(build.emulators()).as("moto_servers started, share=build").hasSize(1);
        assertThat(jvm.emulators()).as("moto_servers started, share=jvm: one per fork").hasSize(2);
        assertThat(jvm.mostEmulatorsAtOnce()).as("moto_servers at once, share=jvm").isEqualTo(2);
        for (SampleBuild.Measured run : List.of(build, jvm)) {
            assertThat(run.emulators()).allSatisfy(e -> assertThat(e.commandLine).contains("moto_server", "-p"));
            assertThat(run.forks()).allSatisfy(f -> assertThat(f.commandLine).contains("surefirebooter"));
        }
        // The build's server outlives its last user until the supervisor sees the users' lock free (every 100 ms).
        double[] window = build.lastForkExitToEmulatorExitWindowMillis();
        assertThat(build.lastForkExitToEmulatorExitMillis()).as("last fork exit to moto_server exit, ms").isPositive()
                .isLessThan(TimeUnit.SECONDS.toMillis(10));
        assertThat(window[0]).as("its least possible value, ms").isPositive();
    }

    @Test
    void aMarkedEmulatorIsCountedOnceAfterItsShellsAndWithItsCopyAndAnUnmarkedOneNot() throws Exception {
        String marker = SampleBuild.MARKER + "=" + UUID.randomUUID();
        // sh, then (on this machine) pyenv's bash shim, then Python, all under one pid and naming moto_server; the
        // Python process forks a copy of itself (as a process does before it execs another program), which is
        // not another emulator.
        List<String> command = List.of("sh", "-c", "exec python3 -c 'import os, time; child = os.fork();"
                + " time.sleep(1 if child else 0.5); child and os.waitpid(child, 0)' moto_server");
        ProcessBuilder marked = new ProcessBuilder(command).redirectErrorStream(true);
        marked.environment().put(SampleBuild.MARKER, marker.substring(SampleBuild.MARKER.length() + 1));
        ProcessBuilder other = new ProcessBuilder(command).redirectErrorStream(true);
        other.environment().put(SampleBuild.MARKER, "another build");
        try (ProcessWatch watch = ProcessWatch.start(marker)) {
            Process unmarked = other.start();
            Process emulator = marked.start();
            emulator.waitFor(30, TimeUnit.SECONDS);
            long exited = System.nanoTime();
            unmarked.waitFor(30, TimeUnit.SECONDS);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (!watch.allGone() && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(emulator.exitValue()).as("exit code of %s", command).isZero();
            List<ProcessWatch.Seen> emulators = watch.seen(ProcessWatch.Kind.EMULATOR);
            assertThat(emulators).as("emulators of the marked build: %s", watch.describe()).hasSize(1);
            ProcessWatch.Seen seen = emulators.get(0);
            assertThat(seen.pid).isEqualTo(emulator.pid());
            assertThat(seen.commandLine).contains("python", "moto_server");
            assertThat(seen.gone()).as("seen gone").isTrue();
            assertThat(seen.lastRunningNanos).as("last seen running, before its exit was seen here")
                    .isLessThan(exited);
            // (pyenv's shells name python3 and moto_server too, so the copy is the one whose program is Python.)
            assertThat(watch.seen(ProcessWatch.Kind.OTHER)).filteredOn(s -> s.commandLine.contains("moto_server")
                    && s.executable.contains("python")).as("the emulator's copy, seen and not counted: %s",
                    watch.describe())
                    .hasSize(1).allSatisfy(copy -> assertThat(copy.parentPid).isEqualTo(emulator.pid()));
            assertThat(watch.seen(ProcessWatch.Kind.FORK)).isEmpty();
        }
    }

    /** Skips, or fails under {@code -Dbsm.requireEmulator=true} (CI), when something the test needs is missing. */
    private static void missing(String reason) {
        if (Boolean.getBoolean("bsm.requireEmulator")) {
            fail("required (bsm.requireEmulator=true): " + reason);
        }
        abort(reason);
    }
}
