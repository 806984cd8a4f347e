package dev.bsm.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Bucket;

/**
 * Child JVMs that use the build's shared moto_server ({@link MotoServer#shared()}), for {@link BuildLeaseTests}:
 * each on a temporary directory of the test's own (so that no other test or build meets them there) and a build
 * id of the test's own, started together and released together, and the processes bsm started for them, found by
 * that temporary directory.
 */
final class LeaseJvms implements AutoCloseable {

    static final Duration REPORT_WAIT = Duration.ofSeconds(90);

    private final Path temporary;
    private final List<Process> jvms = new ArrayList<>();
    private final List<BlockingQueue<String>> lines = new ArrayList<>();
    private final List<Path> errors = new ArrayList<>();

    private LeaseJvms(Path temporary) {
        this.temporary = temporary;
    }

    /**
     * Starts JVMs running {@link User}, which wait for the file {@code go} before asking for the shared server.
     *
     * @param dir the test's directory; the JVMs' {@code java.io.tmpdir} is {@code temporary}, which must exist
     * @param options system properties and JVM options of every JVM, such as the build id
     */
    static LeaseJvms start(Path dir, Path temporary, int count, Path go, List<String> options) throws IOException {
        LeaseJvms started = new LeaseJvms(temporary);
        try {
            for (int i = 0; i < count; i++) {
                started.add(dir, go, options);
            }
        } catch (IOException | RuntimeException e) {
            started.close();
            throw e;
        }
        return started;
    }

    /** Starts one more JVM like the others. */
    int add(Path dir, Path go, List<String> options) throws IOException {
        int index = jvms.size();
        Path stderr = dir.resolve("user-" + index + ".stderr");
        List<String> command = new ArrayList<>(List.of(ForkedJvm.javaExecutable().toString(),
                "-Djava.io.tmpdir=" + temporary));
        command.addAll(options);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), User.class.getName(), go.toString()));
        Process jvm = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
        BlockingQueue<String> queue = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(jvm.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    queue.add(line);
                }
            } catch (IOException e) {
                // the JVM is gone
            }
        }, "lease-user-" + index);
        reader.setDaemon(true);
        reader.start();
        jvms.add(jvm);
        lines.add(queue);
        errors.add(stderr);
        return index;
    }

    /** Starts one more JVM like the others and waits until it waits for the go file; {@return its index} */
    int addAndAwaitWaiting(Path dir, Path go, List<String> options) throws Exception {
        int index = add(dir, go, options);
        assertThat(next(index)).as("JVM %d's first line", index).isEqualTo("waiting");
        return index;
    }

    Process jvm(int index) {
        return jvms.get(index);
    }

    int size() {
        return jvms.size();
    }

    /** Waits until every JVM waits for the go file. */
    void awaitWaiting() throws Exception {
        for (int i = 0; i < jvms.size(); i++) {
            assertThat(next(i)).as("JVM %d's first line", i).isEqualTo("waiting");
        }
    }

    /** {@return JVM {@code index}'s report on the shared server: one line of {@code key=value} fields} */
    Report report(int index) throws Exception {
        return new Report(next(index));
    }

    /** {@return the reports of every JVM, in order} */
    List<Report> reports() throws Exception {
        List<Report> reports = new ArrayList<>();
        for (int i = 0; i < jvms.size(); i++) {
            reports.add(report(i));
        }
        return reports;
    }

    private String next(int index) throws Exception {
        String line = lines.get(index).poll(REPORT_WAIT.toSeconds(), TimeUnit.SECONDS);
        if (line == null) {
            fail("JVM " + index + " said nothing in " + REPORT_WAIT + "; alive: " + jvms.get(index).isAlive()
                    + "; stderr: " + Files.readString(errors.get(index)));
        }
        return line;
    }

    /** Lets JVM {@code index} exit normally (its stdin ends) and waits for it. */
    void exit(int index) throws Exception {
        Process jvm = jvms.get(index);
        jvm.getOutputStream().close();
        assertThat(jvm.waitFor(30, TimeUnit.SECONDS)).as("JVM %d exits once its stdin ends", index).isTrue();
        assertThat(jvm.exitValue()).as("JVM %d's exit code; stderr: %s", index, Files.readString(errors.get(index)))
                .isZero();
    }

    /** Kills JVM {@code index} with SIGKILL and waits for it. */
    void kill(int index) throws Exception {
        Process jvm = jvms.get(index);
        jvm.destroyForcibly();
        assertThat(jvm.waitFor(10, TimeUnit.SECONDS)).isTrue();
    }

    /** Kills the JVMs, and whatever bsm started for them that is still running: a failing test leaks nothing. */
    @Override
    public void close() {
        jvms.forEach(Process::destroyForcibly);
        everything(temporary).forEach(ProcessHandle::destroyForcibly);
    }

    // ----------------------------------------------------------------------- the processes bsm started for them

    /**
     * The {@code moto_server} processes bsm started for JVMs with this {@code java.io.tmpdir}: children of a
     * watchdog whose log is there, not shells.
     */
    static List<ProcessHandle> servers(Path temporary) {
        String watchdog = OwnerWatchdog.NAME + " " + temporary + "/";
        return ProcessHandle.allProcesses()
                .filter(process -> process.parent().flatMap(parent -> parent.info().commandLine())
                        .filter(line -> line.contains(watchdog)).isPresent())
                .filter(process -> !process.info().command().orElse("").matches(".*/(ba|da|z)?sh"))
                .toList();
    }

    /** The supervisors bsm started for JVMs with this {@code java.io.tmpdir}. */
    static List<ProcessHandle> supervisors(Path temporary) {
        return ProcessHandle.allProcesses().filter(process -> process.info().commandLine()
                .filter(line -> line.contains(LeaseSupervisor.class.getName())
                        && line.contains("-Djava.io.tmpdir=" + temporary + " "))
                .isPresent()).toList();
    }

    /** Everything bsm started for JVMs with this {@code java.io.tmpdir}: supervisors, watchdogs, servers. */
    static List<ProcessHandle> everything(Path temporary) {
        String watchdog = OwnerWatchdog.NAME + " " + temporary + "/";
        List<ProcessHandle> all = new ArrayList<>(supervisors(temporary));
        ProcessHandle.allProcesses().filter(process -> process.info().commandLine()
                .filter(line -> line.contains(watchdog)).isPresent()).forEach(all::add);
        all.addAll(servers(temporary));
        return all;
    }

    /** {@return {@code pid@start} of a process, as the JVMs report the server} */
    static String stamp(ProcessHandle process) {
        return process.pid() + "@" + process.info().startInstant().map(Instant::toString).orElse("?");
    }

    /** {@return whether the process of a {@code pid@start} stamp still runs: the same pid and start time} */
    static boolean running(String stamp) {
        long pid = Long.parseLong(stamp.substring(0, stamp.indexOf('@')));
        return ProcessHandle.of(pid).filter(ProcessTrees::isRunning).map(LeaseJvms::stamp).filter(stamp::equals)
                .isPresent();
    }

    /**
     * Waits until the processes bsm started for the build (and the servers, by {@code pid@start} stamp) are gone,
     * and nothing bsm starts for JVMs of this {@code java.io.tmpdir} runs.
     */
    static void awaitGone(Path temporary, List<ProcessHandle> started, Set<String> servers, String when,
            Duration within) throws InterruptedException {
        awaitTrue(() -> started.stream().noneMatch(ProcessTrees::isRunning)
                        && servers.stream().noneMatch(LeaseJvms::running), within,
                () -> "processes bsm started for the build, " + when + ": " + started.stream()
                        .filter(ProcessTrees::isRunning).map(p -> p.pid() + " " + p.info().commandLine().orElse("?"))
                        .toList());
        assertThat(everything(temporary)).as("anything bsm started for the build, " + when).isEmpty();
    }

    static void awaitTrue(BooleanSupplier condition, Duration limit, Supplier<String> failure)
            throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline >= 0) {
                fail(failure.get() + " (waited " + limit + ")");
            }
            Thread.sleep(20);
        }
    }

    /** What a JVM reported: {@code attached server=PID@START endpoint=URL sharing=BUILD used=true reset=...}. */
    record Report(String line) {
        String get(String key) {
            for (String field : line.split(" ")) {
                if (field.startsWith(key + "=")) {
                    return field.substring(key.length() + 1);
                }
            }
            throw new AssertionError("no " + key + " in the report: " + line);
        }

        boolean attached() {
            return line.startsWith("attached ");
        }
    }

    /**
     * The child: waits for the go file, asks for the shared server, uses it (a bucket of its own: created and
     * listed), tries to reset it, reports on one line, then waits for its stdin to end and exits normally. With
     * {@code -D}{@value #EMULATOR_PROPERTY}{@code =localstack} the shared emulator is
     * {@link LocalStackEmulator#shared()}, and {@code server} is its endpoint and container.
     */
    static final class User {
        static final String EMULATOR_PROPERTY = "lease.user.emulator";

        public static void main(String[] args) throws Exception {
            Path go = Path.of(args[0]);
            System.out.println("waiting");
            System.out.flush();
            while (!Files.exists(go)) {
                Thread.sleep(1);
            }
            boolean localstack = "localstack".equals(System.getProperty(EMULATOR_PROPERTY));
            Emulator moto;
            try {
                moto = localstack ? LocalStackEmulator.shared() : MotoServer.shared();
                moto.endpoint(); // starts or attaches to LocalStack
            } catch (RuntimeException e) {
                System.out.println("failed " + e.getClass().getSimpleName() + ": " + oneLine(e.getMessage()));
                System.out.flush();
                awaitEndOfInput();
                return;
            }
            String bucket = "lease-user-" + ProcessHandle.current().pid();
            S3Client s3 = moto.session().client(S3Client.class);
            s3.createBucket(b -> b.bucket(bucket));
            boolean used = s3.listBuckets().buckets().stream().map(Bucket::name).anyMatch(bucket::equals);
            String reset;
            try {
                moto.reset();
                reset = "done";
            } catch (UnsupportedOperationException e) {
                reset = "refused:" + oneLine(e.getMessage()).replace(' ', '_');
            }
            Map<String, String> fields = new LinkedHashMap<>();
            if (moto instanceof MotoServer server) {
                fields.put("server", stamp(server.processHandle()));
                fields.put("sharing", server.sharing().name());
            } else {
                LocalStackEmulator container = (LocalStackEmulator) moto;
                fields.put("server", moto.endpoint().toString());
                fields.put("sharing", container.buildShared() ? "BUILD" : "JVM");
                fields.put("description", container.description().replace(' ', '_'));
            }
            fields.put("endpoint", moto.endpoint().toString());
            fields.put("used", Boolean.toString(used));
            fields.put("reset", reset);
            StringBuilder line = new StringBuilder("attached");
            fields.forEach((key, value) -> line.append(' ').append(key).append('=').append(value));
            System.out.println(line);
            System.out.flush();
            awaitEndOfInput();
        }

        private static void awaitEndOfInput() throws IOException {
            while (System.in.read() >= 0) {
                // wait until the parent closes stdin (or is gone)
            }
        }

        private static String oneLine(String text) {
            return Optional.ofNullable(text).orElse("").replace('\n', ' ');
        }
    }
}
