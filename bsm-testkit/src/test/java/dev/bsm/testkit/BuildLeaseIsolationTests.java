package dev.bsm.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpServer;
import dev.bsm.testkit.internal.UserTempDirectory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The build's lease against what another user (or a careless one) plants where it lives: a JVM of the build meets
 * each plant, refuses it with an {@link EmulatorStartException} that says what is wrong, follows no link, writes
 * nothing into what is not its own, and sends nothing to the endpoint a planted record names. Real JVMs on a
 * temporary directory of the test's own; Linux and root (to own files as {@value AnotherUser#NAME}), skipped
 * elsewhere.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BuildLeaseIsolationTests {

    private Path dir;
    private Path temporary;
    private String buildId;
    private UserPrincipal attacker;
    private HttpServer impostor;
    /** A ready record naming live processes (this JVM) and the impostor's endpoint. */
    private byte[] impostorRecord;
    private final AtomicInteger impostorRequests = new AtomicInteger();

    @BeforeEach
    void setUp(@TempDir Path dir) throws Exception {
        MotoServerTests.assumeMotoAvailable();
        attacker = AnotherUser.require();
        assumeTrue(BuildLease.supported(), "needs a POSIX shell and temporary directory");
        this.dir = dir;
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x--x")); // the attacker gets in
        temporary = Files.createDirectory(dir.resolve("tmp"));
        Files.setAttribute(temporary, "unix:mode", 01777); // like /tmp: everyone may write, only owners rename
        buildId = "lease-isolation-" + UUID.randomUUID();
        impostor = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        impostor.createContext("/", exchange -> {
            impostorRequests.incrementAndGet();
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        impostor.start();
        ProcessStamp live = ProcessStamp.of(ProcessHandle.current()).orElseThrow();
        impostorRecord = LeaseRecord.starting(live, "planted").ready(
                URI.create("http://127.0.0.1:" + impostor.getAddress().getPort()), live, dir.resolve("planted.log"))
                .bytes();
    }

    @AfterEach
    void stopImpostor() {
        if (impostor != null) {
            impostor.stop(0);
        }
    }

    /** Another user made the user's directory {@code bsm-<uid>} first, with a lease in it naming its server. */
    @Test
    void aUserDirectoryAnotherUserMadeWithALeaseInItIsRefused() throws Exception {
        Path base = temporary.resolve("bsm-" + AnotherUser.run(List.of("id", "-u")).replace(" exit=0", "").strip());
        Path lease = base.resolve(leaseName());
        assertThat(AnotherUser.runAs("umask 077 && mkdir -p " + AnotherUser.quote(lease.toString()) + " && printf %s "
                + AnotherUser.quote(new String(impostorRecord, StandardCharsets.UTF_8)) + " > "
                + AnotherUser.quote(lease.resolve(LeaseDirectory.RECORD).toString()))).contains("exit=0");
        assertThat(Files.getOwner(base, LinkOption.NOFOLLOW_LINKS)).isEqualTo(attacker);

        String failure = refusal();

        assertThat(failure).contains(base.toString()).contains("belongs to another user");
        assertThat(entries(lease)).as("the other user's lease directory").containsExactly(LeaseDirectory.RECORD);
    }

    /** The lease directory's name in the user's own directory is a link to a directory of another user's. */
    @Test
    void aLeaseDirectoryThatIsASymbolicLinkIsNeitherFollowedNorUsed() throws Exception {
        Path elsewhere = plantedDirectory("elsewhere");
        Path lease = ownBase().resolve(leaseName());
        Files.createSymbolicLink(lease, elsewhere);

        String failure = refusal();

        assertThat(failure).contains(lease.toString()).contains("is not a directory (it is a symbolic link");
        assertThat(entries(elsewhere)).as("the link's target").containsExactly(LeaseDirectory.RECORD);
    }

    @Test
    void aLeaseDirectoryOfAnotherUserOrOpenToOthersIsRefused() throws Exception {
        Path lease = Files.createDirectory(ownBase().resolve(leaseName()),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Files.write(lease.resolve(LeaseDirectory.RECORD), impostorRecord);
        Files.setOwner(lease, attacker);

        assertThat(refusal()).contains(lease.toString()).contains("belongs to another user (" + AnotherUser.NAME + ")");

        Files.setOwner(lease, Files.getOwner(temporary));
        Files.setPosixFilePermissions(lease, PosixFilePermissions.fromString("rwxrwxrwx"));

        assertThat(refusal()).contains(lease.toString()).contains("has the permissions rwxrwxrwx, not rwx------");
        assertThat(entries(lease)).as("the lease directory, left as it was").containsExactly(LeaseDirectory.RECORD);
    }

    /** Inside the user's own lease directory: a record or a lock file that is a link, another user's, or open. */
    @Test
    void aRecordOrLockFileThatIsALinkAnotherUsersOrOpenToOthersIsRefusedAndNotFollowed() throws Exception {
        Path lease = Files.createDirectory(ownBase().resolve(leaseName()),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path target = plantedDirectory("target").resolve(LeaseDirectory.RECORD);
        for (String name : List.of(LeaseDirectory.START_LOCK, LeaseDirectory.USERS_LOCK, LeaseDirectory.RECORD)) {
            Path file = lease.resolve(name);
            Files.createSymbolicLink(file, target);
            assertThat(refusal()).as("%s a link", name).contains(file.toString()).contains("is not a regular file");
            Files.delete(file);

            Files.write(file, impostorRecord);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            Files.setOwner(file, attacker);
            assertThat(refusal()).as("%s another user's", name).contains(file.toString())
                    .contains("belongs to " + AnotherUser.NAME);
            Files.setOwner(file, Files.getOwner(temporary));
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-rw-"));
            assertThat(refusal()).as("%s open to others", name).contains(file.toString())
                    .contains("open to others");
            Files.delete(file);
        }
        assertThat(target).as("the links' target, never written").hasBinaryContent(impostorRecord);
        assertThat(Files.getOwner(target, LinkOption.NOFOLLOW_LINKS)).isEqualTo(attacker);
    }

    /**
     * Starts a JVM of the build, which must refuse the lease; {@return its message} (the impostor got nothing).
     */
    private String refusal() throws Exception {
        Path go = dir.resolve("go-" + UUID.randomUUID());
        Files.createFile(go);
        try (LeaseJvms users = LeaseJvms.start(dir, temporary, 1, go,
                List.of("-D" + TestkitSettings.EMULATOR_BUILD_ID_PROPERTY + "=" + buildId))) {
            users.awaitWaiting();
            LeaseJvms.Report report = users.report(0);
            assertThat(report.line()).as("what the JVM of the build said").startsWith(
                    "failed EmulatorStartException: moto_server was not started: the build's shared moto_server"
                            + " cannot be used safely.");
            assertThat(LeaseJvms.supervisors(temporary)).as("supervisors started").isEmpty();
            assertThat(impostorRequests).as("requests to the endpoint of the planted record").hasValue(0);
            return report.line();
        }
    }

    /** {@return the user's own directory in the test's temporary directory, made by bsm's own check} */
    private Path ownBase() throws IOException {
        return UserTempDirectory.of(temporary).path();
    }

    /** {@return a directory of the other user's holding a record that names the impostor} */
    private Path plantedDirectory(String name) throws IOException {
        Path planted = Files.createDirectory(dir.resolve(name));
        Files.write(planted.resolve(LeaseDirectory.RECORD), impostorRecord);
        Files.setOwner(planted.resolve(LeaseDirectory.RECORD), attacker);
        Files.setOwner(planted, attacker);
        return planted;
    }

    private String leaseName() throws IOException {
        return BuildKey.of("moto_server " + MotoExecutable.resolve().toRealPath(), "build " + buildId)
                .directoryName();
    }

    private static List<String> entries(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(file -> file.getFileName().toString()).sorted().toList();
        }
    }
}
