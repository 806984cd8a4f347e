package dev.bsm.junit5;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bsm.core.BotoSesManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;

/** A thousand generated tests that fail and abort at random, in parallel: nothing is left behind. */
@Isolated("compares global state and the temporary directory before and after fixture runs")
class GeneratedSuiteTests {
    static final Set<Path> SNAPSHOTS = ConcurrentHashMap.newKeySet();
    private static final Path TMP = Path.of(System.getProperty("java.io.tmpdir"));

    @WithAwsSession(localstack = true, snapshot = true)
    static class ThousandTestCase {
        @RepeatedTest(1000)
        void generated(RepetitionInfo repetition, BotoSesManager bsm, @SnapshotFile Path snapshot) {
            SNAPSHOTS.add(snapshot);
            assertThat(System.getenv("AWS_ACCESS_KEY_ID")).isEqualTo(bsm.toSnapshot().get("aws_access_key_id"));
            assertThat(System.getenv("BSM_SNAPSHOT_FILE")).isEqualTo(snapshot.toString());
            int outcome = new Random(repetition.getCurrentRepetition()).nextInt(10);
            if (outcome == 0) {
                throw new AssertionError("generated failure");
            }
            Assumptions.assumeTrue(outcome != 1, "generated abort");
        }
    }

    private static long snapshotDirectories() throws Exception {
        try (Stream<Path> entries = Files.list(SnapshotDirectories.perUserDirectory(TMP))) {
            return entries.filter(p -> p.getFileName().toString().startsWith(SnapshotDirectories.PREFIX)
                    && p.getFileName().toString().contains("-" + ProcessHandle.current().pid() + "-")).count();
        }
    }

    @Test
    void aThousandTestsWithRandomFailuresLeaveNothingBehind() throws Exception {
        GlobalState before = GlobalState.capture();
        long directoriesBefore = snapshotDirectories();
        long failures = Stream.iterate(1, i -> i + 1).limit(1000).filter(i -> new Random(i).nextInt(10) == 0).count();
        long aborts = Stream.iterate(1, i -> i + 1).limit(1000).filter(i -> new Random(i).nextInt(10) == 1).count();

        BsmTestKit.run(ThousandTestCase.class).testEvents().assertStatistics(s -> s.started(1000)
                .failed(failures).aborted(aborts).succeeded(1000 - failures - aborts));

        assertThat(SNAPSHOTS).as("a unique snapshot per test").hasSize(1000).allSatisfy(p -> assertThat(p).doesNotExist());
        assertThat(snapshotDirectories()).isEqualTo(directoriesBefore);
        assertThat(GlobalState.capture().differencesFrom(before)).as("changed and not restored").isEmpty();
    }

    @WithAwsSession(localstack = true, snapshot = true)
    static class OneSnapshotTestCase {
        @Test
        void test(@SnapshotFile Path snapshot) {
        }
    }

    @Test
    void snapshotDirectoriesOfKilledJvmsAreSweptAtTheNextRun() throws Exception {
        Process finished = new ProcessBuilder("true").start();
        finished.waitFor();
        Path perUser = SnapshotDirectories.perUserDirectory(TMP);
        Path orphan = Files.createDirectory(perUser.resolve(SnapshotDirectories.PREFIX + finished.pid() + "-orphan"));
        Files.writeString(orphan.resolve("session.json"), "{}");
        Path alive = Files.createDirectory(perUser.resolve(SnapshotDirectories.PREFIX + ProcessHandle.current().pid()
                + "-still-running"));
        try {
            BsmTestKit.run(OneSnapshotTestCase.class).testEvents().assertStatistics(s -> s.succeeded(1));
            assertThat(orphan).as("left by a JVM that is gone").doesNotExist();
            assertThat(alive).as("belongs to a running JVM").exists();
        } finally {
            Files.deleteIfExists(alive);
        }
    }
}
