package dev.bsm.installit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bsm.testkit.MotoServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CI shards on a shared engine, as users run them: ONE external {@code moto_server} (started here by
 * {@link MotoServer#start()}, under bsm's owner watchdog, so it dies with this JVM however it ends) stands for a CI
 * service container, and TWO Maven builds of one project, copied to two directories, run at the same time against
 * it as shards 1 and 2 ({@code -Dbsm.endpoint=<moto> -Dbsm.shard=<n>}), each with README's pom, Surefire at
 * {@code forkCount=2} and JUnit running classes in parallel. Every one of the four {@code @WithAwsSession} classes
 * of each shard creates the same queue and table, writes its marker and must read back its own only.
 *
 * <p>Both builds pass, their reports count every test, every class waited until a class of the other shard had
 * begun (so the shards really overlapped), and no account was used by two classes: each shard's accounts start
 * with its three shard digits, and the two forks of one shard hold different slots. The builds started no
 * {@code moto_server} of their own.
 */
class SharedEngineShardsMavenTests {
    private static final List<String> SHARDS = List.of("1", "2");
    private static final List<String> CLASSES = List.of("AlphaTest", "BravoTest", "CharlieTest", "DeltaTest");
    private static final int TESTS_PER_CLASS = 2;

    @TempDir
    static Path workspace;
    private static MotoServer engine;
    private static final Map<String, SampleProject> PROJECTS = new TreeMap<>();
    private static List<SuiteRecords.Entry> records;
    private static Set<Long> motoServersOfTheBuilds;

    @BeforeAll
    static void buildTwoShardsAtOnceOnOneEngine() throws Exception {
        MotoServer.unavailableReason().ifPresent(ReadmeMavenInstallTests::missing);
        if (!MarkedProcesses.available()) {
            ReadmeMavenInstallTests.missing(
                    "/proc/self/environ is not readable: the builds' processes cannot be told from others'");
        }
        engine = MotoServer.start();
        Path recordsDirectory = Files.createDirectories(workspace.resolve("records"));
        String entry = "SHARD_RECORDS=" + recordsDirectory;
        List<SampleProject.Run> runs = new ArrayList<>();
        try (BuildWatch watch = BuildWatch.start(entry)) {
            for (String shard : SHARDS) {
                SampleProject project = SampleProject.create(Files.createDirectories(workspace.resolve("shard-"
                        + shard)), SuiteScaleMavenTests.suitePom(), SampleProject.SHARD_SAMPLE);
                project.useMavenWrapper();
                PROJECTS.put(shard, project);
                List<String> command = new ArrayList<>(List.of("./mvnw", "-B"));
                command.addAll(project.repositoryArguments());
                command.addAll(List.of("-Dbsm.endpoint=" + engine.endpoint(), "-Dbsm.shard=" + shard, "verify"));
                runs.add(project.start(command, "build.log", Map.of("SHARD_RECORDS", recordsDirectory.toString(),
                        "SHARD", shard)));
            }
            for (SampleProject.Run run : runs) {
                assertThat(run.waitFor()).as("exit code of %s; its output ends:%n%s", String.join(" ",
                        run.command()), SampleProject.tail(run.log())).isZero();
            }
            motoServersOfTheBuilds = watch.motoServers();
        }
        records = SuiteRecords.read(recordsDirectory, ".properties");
    }

    @AfterAll
    static void stopTheEngine() {
        if (engine != null) {
            engine.close();
        }
    }

    @Test
    void bothShardsPassAndTheirReportsCountEveryTest() throws Exception {
        Map<String, Integer> expected = new TreeMap<>();
        CLASSES.forEach(c -> expected.put("com.example." + c, TESTS_PER_CLASS));
        for (String shard : SHARDS) {
            Map<String, Integer> passed = PROJECTS.get(shard).passedTests("surefire-reports");
            System.out.printf("shard %s: tests passed by class %s%n", shard, passed);
            assertThat(passed).as("shard %s's Surefire reports", shard).isEqualTo(expected);
        }
    }

    @Test
    void everyClassSawOnlyItsOwnQueueAndTableOnTheOneEngineWhileTheOtherShardRan() {
        assertThat(records).extracting(e -> e.get("shard") + "/" + e.className())
                .containsExactlyInAnyOrderElementsOf(SHARDS.stream()
                        .flatMap(s -> CLASSES.stream().map(c -> s + "/" + c)).toList());
        for (SuiteRecords.Entry record : records) {
            String marker = record.get("shard") + "/" + record.className();
            assertThat(record.get("endpoint")).as("%s's endpoint", marker).isEqualTo(engine.endpoint().toString());
            assertThat(record.get("rendezvous")).as("%s waited for a class of the other shard", marker)
                    .isEqualTo("met");
            assertThat(record.get("queue")).as("%s: the messages in its queue jobs", marker).isEqualTo(marker);
            assertThat(record.get("table")).as("%s: the items in its table reports", marker).isEqualTo(marker);
            assertThat(record.get("selfBuiltAccount")).as("%s: a self-built client's account", marker)
                    .isEqualTo(record.get("account"));
        }
        assertThat(motoServersOfTheBuilds).as("moto_servers the builds started: none, all used the one engine")
                .isEmpty();
    }

    @Test
    void noAccountWasUsedByTwoClassesAndEachShardsAccountsCarryItsDigits() {
        Map<String, List<String>> accounts = records.stream().collect(Collectors.groupingBy(e -> e.get("shard"),
                TreeMap::new, Collectors.mapping(e -> e.get("account"), Collectors.toList())));
        System.out.printf("accounts by shard %s (the engine's default %s)%n", accounts, engine.accountId());
        assertThat(records).extracting(e -> e.get("account")).as("the accounts of all classes of both shards")
                .doesNotHaveDuplicates().doesNotContain(engine.accountId());
        for (String shard : SHARDS) {
            assertThat(accounts.get(shard)).as("shard %s's accounts", shard)
                    .allMatch(a -> a.matches(String.format("%03d", Integer.parseInt(shard)) + "\\d{9}"));
        }
    }

    @Test
    void theTwoForksOfAShardClaimedSlotsOfTheirOwn() {
        for (String shard : SHARDS) {
            Map<Long, Set<String>> prefixes = records.stream().filter(e -> e.get("shard").equals(shard))
                    .collect(Collectors.groupingBy(SuiteRecords.Entry::fork, TreeMap::new,
                            Collectors.mapping(e -> e.get("account").substring(0, 9), Collectors.toSet())));
            System.out.printf("shard %s: account prefixes (shard and slot) by fork %s%n", shard, prefixes);
            assertThat(prefixes).as("shard %s's forks", shard).hasSize(2);
            List<String> all = prefixes.values().stream().flatMap(Set::stream).toList();
            assertThat(all).as("shard %s: each fork's slot is its own", shard).doesNotHaveDuplicates();
        }
    }
}
