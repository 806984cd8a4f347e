package dev.bsm.bench.extension;

import dev.bsm.core.AwsCliEnvironment;
import dev.bsm.core.AwsCliVariables;
import dev.bsm.core.BotoSesManager;
import dev.bsm.core.TempSnapshot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Benchmark 3's parts, to explain its figures: what bsm-junit5 does per test with {@code env} and {@code snapshot},
 * through bsm-core's public API (the same calls SessionScope makes), without JUnit and without network.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-opens", "java.base/java.util=ALL-UNNAMED",
        "--add-opens", "java.base/java.lang=ALL-UNNAMED"})
public class SessionPartsBenchmark {
    private BotoSesManager bsm;
    private AwsCliVariables variables;
    private Path sharedDirectory;
    private byte[] snapshotJson;
    private long fileNumber;

    @Setup(Level.Trial)
    public void setUp() {
        bsm = BotoSesManager.builder()
                .credentials("testing", "testing")
                .region("us-east-1")
                .endpointOverride(URI.create("http://127.0.0.1:4566"))
                .build();
        variables = bsm.awscliVariables();
        try {
            sharedDirectory = Files.createTempDirectory("bsm-snapshot-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            Path file = sharedDirectory.resolve("reference.json");
            try (TempSnapshot snapshot = bsm.tempSnapshot(file)) {
                snapshotJson = Files.readAllBytes(snapshot.path()); // the exact bytes bsm writes
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        bsm.close();
        Files.deleteIfExists(sharedDirectory);
    }

    /** The variables of the session (no global change). */
    @Benchmark
    public AwsCliVariables awscliVariables() {
        return bsm.awscliVariables();
    }

    /** env = true: the variables into the environment and aws.* properties, then restored. */
    @Benchmark
    public AwsCliEnvironment awscliOpenClose() {
        AwsCliEnvironment environment = AwsCliEnvironment.open(variables);
        environment.close();
        return environment;
    }

    /**
     * snapshot = true as bsm-junit5 did it up to commit 0667dc1: an owner-only directory per test, the snapshot file
     * in it, then both removed.
     */
    @Benchmark
    public Path snapshotInOwnDirectory() throws IOException {
        Path directory = Files.createTempDirectory("bsm-snapshot-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        try (TempSnapshot snapshot = bsm.tempSnapshot(directory.resolve("session.json"))) {
            return snapshot.path();
        } finally {
            Files.deleteIfExists(directory);
        }
    }

    /**
     * snapshot = true as bsm-junit5 does it since commit 8ea0be6: {@code tempSnapshot} under a unique name in one
     * owner-only directory per run (temporary file, atomic move, read back before deleting on close).
     */
    @Benchmark
    public Path tempSnapshotInSharedDirectory() {
        try (TempSnapshot snapshot = bsm.tempSnapshot(
                sharedDirectory.resolve("session-" + (fileNumber++) + ".json"))) {
            return snapshot.path();
        }
    }

    /**
     * A proposal, for comparison (not what bsm does): one owner-only directory per run, made once, and per test
     * only a new owner-only file in it (created 0600 with CREATE_NEW, so nothing else can have it: no temporary
     * file, rename or read-back), deleted after the test.
     */
    @Benchmark
    public Path proposedSnapshotInSharedDirectory() throws IOException {
        Path file = sharedDirectory.resolve("session-" + (fileNumber++) + ".json");
        try (SeekableByteChannel channel = Files.newByteChannel(file,
                EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
            channel.write(ByteBuffer.wrap(snapshotJson));
        }
        Files.delete(file);
        return file;
    }
}
