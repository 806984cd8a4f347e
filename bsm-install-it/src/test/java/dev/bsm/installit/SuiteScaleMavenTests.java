package dev.bsm.installit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bsm.testkit.MotoServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A suite as users run it, through real Maven: README's pom with Surefire at {@code forkCount=2} and Failsafe (one
 * fork), JUnit's parallel execution on ({@code junit-platform.properties}: classes concurrent, methods of a class
 * one after the other, fixed parallelism 4), and six {@code @WithAwsSession(localstack = true)} classes on the
 * embedded {@code moto_server} (three {@code *Test} for Surefire, three {@code *IT} for Failsafe) that build their
 * clients with the SDK's default chains in {@code @BeforeAll}, in the constructor and in static fields, all create
 * queue {@code jobs} and table {@code reports}, and write their own name into them. Surefire's classes of one fork
 * all create one bucket name, Failsafe's a name each; two more Failsafe classes take one bucket name at the same
 * time ({@code ContestedBucket}).
 *
 * <p>One build serves every test here: the build passes, the reports count every test, each class saw only its own
 * data in an account of its own, Failsafe's classes ran at the same time in one JVM, bsm's cleanup at a class's end
 * let the next class of a Surefire fork create the same bucket name, a name held by a class running at the same
 * time failed with bsm's hint, Surefire's two forks shared one {@code moto_server} (the build's,
 * {@code bsm.emulator.share=build} being the default) and Failsafe's fork the next one, never two at once, and no
 * process of the build outlives it by more than a few seconds. The build's processes are told apart from other
 * builds' on this machine by an environment entry that every process it starts inherits (see
 * {@link MarkedProcesses}).
 */
class SuiteScaleMavenTests {
    private static final List<String> CLASSES = List.of("BeforeAllClients", "ConstructorClients", "StaticFieldClients");
    private static final String HOLDER = "ContestedBucketHolderIT";
    private static final String LATE_COMER = "ContestedBucketLateComerIT";
    private static final int TESTS_PER_CLASS = 2;
    private static final int SUREFIRE_FORKS = 2;
    /** How long the build's moto_server may outlive the last test JVM using it. */
    private static final Duration EMULATOR_STOP = Duration.ofSeconds(5);

    @TempDir
    static Path workspace;
    private static SampleProject project;
    private static SuiteRecords records;
    private static BuildWatch watch;
    private static List<ProcessHandle> leftAfterBuild;
    private static Duration buildEndToNothingLeft;

    @BeforeAll
    static void buildTheSuite() throws Exception {
        MotoServer.unavailableReason().ifPresent(ReadmeMavenInstallTests::missing);
        if (!MarkedProcesses.available()) {
            ReadmeMavenInstallTests.missing(
                    "/proc/self/environ is not readable: the build's processes cannot be told from others'");
        }
        project = SampleProject.create(workspace, suitePom(), SampleProject.SUITE_SAMPLE);
        project.useMavenWrapper();
        Path recordsDirectory = Files.createDirectories(workspace.resolve("records"));
        String entry = "SUITE_RECORDS=" + recordsDirectory;
        assertThat(MarkedProcesses.carrying(entry)).as("processes of this build before it starts").isEmpty();

        try (BuildWatch watching = BuildWatch.start(entry)) {
            watch = watching;
            project.build(List.of("./mvnw"), Map.of("SUITE_RECORDS", recordsDirectory.toString()));
            // The build's moto_server stops once the last fork using it (Failsafe's) has exited: within seconds.
            long built = System.nanoTime();
            long deadline = built + EMULATOR_STOP.toNanos();
            leftAfterBuild = MarkedProcesses.carrying(entry);
            while (!leftAfterBuild.isEmpty() && System.nanoTime() - deadline < 0) {
                Thread.sleep(20);
                leftAfterBuild = MarkedProcesses.carrying(entry);
            }
            buildEndToNothingLeft = Duration.ofNanos(System.nanoTime() - built);
        }
        records = SuiteRecords.read(recordsDirectory);
    }

    /** README's pom with the SQS and DynamoDB modules the suite uses, and Surefire forking three JVMs. */
    static String suitePom() throws IOException {
        String pom = ReadmeMavenInstallTests.readmePom();
        String s3 = "<artifactId>s3</artifactId>\n    </dependency>\n";
        String dependencies = Arrays.stream(new String[] {"sqs", "dynamodb"})
                .map(module -> "    <dependency>\n      <groupId>software.amazon.awssdk</groupId>\n      <artifactId>"
                        + module + "</artifactId>\n      <scope>test</scope>\n    </dependency>\n")
                .collect(Collectors.joining());
        pom = insertAfter(pom, s3, 0, dependencies);
        int surefire = pom.indexOf("<artifactId>maven-surefire-plugin</artifactId>");
        assertThat(surefire).as("README's pom configures maven-surefire-plugin").isNotNegative();
        return insertAfter(pom, "<configuration>", surefire, "\n          <forkCount>" + SUREFIRE_FORKS
                + "</forkCount>");
    }

    private static String insertAfter(String text, String anchor, int from, String insertion) {
        int at = text.indexOf(anchor, from);
        assertThat(at).as("README's pom has %s (after index %d)", anchor, from).isNotNegative();
        return text.substring(0, at + anchor.length()) + insertion + text.substring(at + anchor.length());
    }

    @Test
    void theReportsCountEveryTestAndNoFailure() throws IOException {
        assertThat(project.passedTests("surefire-reports")).isEqualTo(expectedTests("Test"));
        assertThat(project.passedTests("failsafe-reports")).isEqualTo(expectedTests("IT"));
    }

    private static Map<String, Integer> expectedTests(String suffix) {
        Map<String, Integer> tests = new TreeMap<>();
        CLASSES.forEach(c -> tests.put("com.example." + c + suffix, TESTS_PER_CLASS));
        if (suffix.equals("IT")) {
            tests.put("com.example." + HOLDER, 1);
            tests.put("com.example." + LATE_COMER, 1);
        }
        return tests;
    }

    @Test
    void eachClassSawOnlyItsOwnQueueTableAndBucketsInAnAccountOfItsOwn() {
        assertThat(records.exercises()).extracting(SuiteRecords.Entry::className)
                .containsExactlyInAnyOrderElementsOf(classNames());
        for (SuiteRecords.Entry exercise : records.exercises()) {
            String name = exercise.className();
            String account = exercise.get("account");
            assertThat(account).as("%s's account", name).matches("\\d{12}");
            assertThat(exercise.get("selfBuiltAccount")).as("%s: a self-built client's account", name)
                    .isEqualTo(account);
            assertThat(exercise.get("queueUrl")).as("%s: queue jobs of a client built with the default chains", name)
                    .contains("/" + account + "/jobs");
            assertThat(exercise.get("queue")).as("%s: the messages in its queue jobs", name).isEqualTo(name);
            assertThat(exercise.get("table")).as("%s: the items in its table reports", name).isEqualTo(name);
            assertThat(exercise.get("buckets")).as("%s: the buckets its account lists", name)
                    .isEqualTo(exercise.failsafe() ? "reports-" + account : "surefire-" + exercise.fork());
        }
        assertThat(records.exercises()).extracting(e -> e.get("account")).as("the classes' accounts")
                .doesNotHaveDuplicates();
        assertThat(records.threads()).extracting(SuiteRecords.Entry::className)
                .containsExactlyInAnyOrderElementsOf(classNames());
        for (SuiteRecords.Entry thread : records.threads()) {
            assertThat(thread.get("threadAccount")).as("%s: a client built on a thread its test started",
                    thread.className()).isEqualTo(thread.get("account"));
        }
    }

    private static List<String> classNames() {
        return CLASSES.stream().flatMap(c -> List.of(c + "Test", c + "IT").stream()).toList();
    }

    @Test
    void surefireRanThreeForksThatSharedOneMotoServer() {
        List<SuiteRecords.Entry> surefire = records.exercises(false);
        assertThat(surefire).extracting(e -> e.get("rendezvous")).as("each class waited for the other forks")
                .containsOnly("met");
        Map<Long, Set<String>> servers = motoServersByFork(surefire);
        assertThat(servers).as("moto_servers of each Surefire fork").hasSize(SUREFIRE_FORKS)
                .allSatisfy((fork, motos) -> assertThat(motos).hasSize(1));
        assertThat(servers.values().stream().flatMap(Set::stream).distinct()).as("moto_servers of Surefire's forks")
                .hasSize(1);
        System.out.printf("Surefire: forks %s, all on moto_server %s; most classes at once within each fork %s%n",
                servers.keySet(), servers.values().iterator().next(), SuiteRecords.mostClassesAtOnceByFork(surefire));
    }

    @Test
    void theClassesOfASurefireForkOneAfterAnotherCreatedOneBucketNameEachInItsOwnAccount() {
        List<SuiteRecords.Entry> surefire = records.exercises(false);
        assertThat(SuiteRecords.mostClassesAtOnceByFork(surefire).values())
                .as("most classes inside their exercise at once, in each Surefire fork").containsOnly(1);
        Map<Long, List<String>> classes = surefire.stream().collect(Collectors.groupingBy(SuiteRecords.Entry::fork,
                TreeMap::new, Collectors.mapping(SuiteRecords.Entry::className, Collectors.toList())));
        System.out.printf("Surefire: classes by fork %s%n", classes);
        // Each created bucket surefire-<fork> in an account of its own (checked above): a later class could do so
        // only because bsm deleted the earlier one's bucket when that class ended.
        assertThat(classes.values()).as("classes by Surefire fork: some fork ran two or more, one after another")
                .anySatisfy(ofAFork -> assertThat(ofAFork).hasSizeGreaterThan(1));
    }

    @Test
    void aBucketNameHeldByAClassRunningAtTheSameTimeFailsWithS3sExceptionNamingTheHolderAndTheFix() {
        SuiteRecords.Entry holder = records.contest(HOLDER);
        SuiteRecords.Entry lateComer = records.contest(LATE_COMER);
        String bucket = holder.get("bucket");
        System.out.printf("Failsafe: %s got %s: %s%n", LATE_COMER, lateComer.get("failure"), lateComer.get("message"));
        assertThat(lateComer.fork()).as("the two classes' JVM").isEqualTo(holder.fork());
        assertThat(lateComer.get("bucket")).as("the bucket both take").isEqualTo(bucket);
        assertThat(lateComer.get("account")).as("the late comer's account").matches("\\d{12}")
                .isNotEqualTo(holder.get("account"));
        assertThat(lateComer.get("failure")).as("what CreateBucket threw while the holder held the name")
                .isEqualTo("software.amazon.awssdk.services.s3.model.BucketAlreadyExistsException");
        assertThat(lateComer.get("message")).as("its message")
                .startsWith("The requested bucket name is not available.")
                .contains("[bsm] Bucket '" + bucket + "' is held by another account: account " + holder.get("account")
                        + " of Test class '" + HOLDER + "' (com.example." + HOLDER + "), which is running at the same"
                        + " time.")
                .contains("Isolation CLASS gives each test class an AWS account of its own (here "
                        + lateComer.get("account") + "), but S3 bucket names are global")
                .contains("Give the bucket a unique name, for example \"" + bucket + "-\" + bsm.awsAccountId(), or a"
                        + " random suffix.")
                .contains("(Service: S3, Status Code: 409");
        assertThat(lateComer.get("freedAfterTheHolderEnded")).as("the late comer created the name once the holder"
                + " ended").isEqualTo("true");
    }

    @Test
    void failsafesClassesRanAtTheSameTimeInItsOneFork() {
        List<SuiteRecords.Entry> failsafe = records.exercises(true);
        Map<Long, Integer> most = SuiteRecords.mostClassesAtOnceByFork(failsafe);
        System.out.printf("Failsafe: most classes at once within each fork %s%n", most);
        assertThat(failsafe).extracting(e -> e.get("rendezvous"))
                .as("each class found the others begun (else JUnit or bsm ran them one after another)")
                .containsOnly("met");
        assertThat(motoServersByFork(failsafe)).as("moto_servers of Failsafe's fork").hasSize(1)
                .allSatisfy((fork, motos) -> assertThat(motos).hasSize(1));
        assertThat(most.values()).as("most classes inside their exercise at once, in Failsafe's fork")
                .containsExactly(CLASSES.size());
    }

    @Test
    void theBuildRanOneMotoServerAtATimeAndNoProcessOfItOutlivesIt() {
        Set<String> recorded = records.exercises().stream().map(SuiteRecords.Entry::motoServer)
                .collect(Collectors.toSet());
        Set<Long> recordedPids = recorded.stream().map(server -> Long.parseLong(server.substring(0,
                server.indexOf('@')))).collect(Collectors.toSet());
        System.out.printf("moto_servers: recorded by the tests %s, seen during the build %s (at most %d at once);"
                + " build end to none of its processes left: %d ms%n", recorded, watch.motoServers(),
                watch.mostMotoServersAtOnce(), buildEndToNothingLeft.toMillis());
        assertThat(recorded).as("the build's moto_servers: one for Surefire's forks, the next for Failsafe's")
                .hasSize(2);
        assertThat(watch.motoServers()).as("moto_servers seen while the build ran: the look finds them, and the"
                + " build started no other").isEqualTo(recordedPids);
        assertThat(watch.mostMotoServersAtOnce()).as("moto_servers of the build at once").isEqualTo(1);
        assertThat(leftAfterBuild).extracting(MarkedProcesses::describe)
                .as("processes of the build left %s after it", EMULATOR_STOP).isEmpty();
        for (String server : recorded) {
            long pid = Long.parseLong(server.substring(0, server.indexOf('@')));
            String started = server.substring(server.indexOf('@') + 1);
            // A pid alone may have been reused since; the same pid with the same start is the same process.
            assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                    .flatMap(p -> p.info().startInstant()).map(Instant::toString).filter(started::equals))
                    .as("moto_server %s", server).isEmpty();
        }
    }

    private static Map<Long, Set<String>> motoServersByFork(List<SuiteRecords.Entry> exercises) {
        return exercises.stream().collect(Collectors.groupingBy(SuiteRecords.Entry::fork, TreeMap::new,
                Collectors.mapping(SuiteRecords.Entry::motoServer, Collectors.toSet())));
    }
}
