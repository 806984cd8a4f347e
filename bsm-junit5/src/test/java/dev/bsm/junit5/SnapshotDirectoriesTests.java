package dev.bsm.junit5;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchService;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sweep of dead JVMs' snapshot directories in a temporary directory that other users share: it removes only
 * what this user owns, in a directory only this user can write, and never follows a symbolic link.
 */
class SnapshotDirectoriesTests {
    private static final int FILES = 10_000;

    @TempDir
    Path temp;

    private static String uid() throws Exception {
        return OtherUser.run("id", "-u");
    }

    /** {@return a directory of the user's own files, named f0000 to f9999} */
    private Path usersOwnFiles() throws Exception {
        Path victim = Files.createDirectory(temp.resolve("victim"));
        for (int i = 0; i < FILES; i++) {
            Files.writeString(victim.resolve(String.format("f%04d", i)), "user's own file");
        }
        return victim;
    }

    private static long count(Path directory) throws Exception {
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.count();
        }
    }

    @Test
    void theSweepNeverFollowsASymlinkThatAnotherUserSwapsInWhileItDeletes() throws Exception {
        OtherUser.require();
        Path shared = OtherUser.sharedDirectory(temp);
        Path victim = usersOwnFiles();
        String planted = SnapshotDirectories.PREFIX + OtherUser.deadPid() + "-planted";
        // What looks like a dead JVM's snapshot directory, with many files in a subdirectory that the other user
        // swaps for a link to the user's directory as soon as the sweep has deleted the first of them.
        Process attacker = OtherUser.runAs(shared, "set -e; mkdir -p " + planted + "/sub; cd " + planted + "/sub;"
                + " touch $(seq -f 'f%04g' 0 " + (FILES - 1) + "); cd ../..; echo ready;"
                + " while [ -e " + planted + "/sub/f" + (FILES - 1) + " ]; do :; done;"
                + " mv " + planted + "/sub " + planted + "/moved; ln -s " + victim + " " + planted + "/sub;"
                + " echo swapped");
        try {
            BufferedReader output = new BufferedReader(new InputStreamReader(attacker.getInputStream(),
                    StandardCharsets.UTF_8));
            assertThat(output.readLine()).as("the other user's files are in place").isEqualTo("ready");
            SnapshotDirectories.sweepOrphans(shared);
        } finally {
            attacker.destroyForcibly();
            attacker.waitFor(30, TimeUnit.SECONDS);
        }
        assertThat(count(victim)).as("the user's own files").isEqualTo(FILES);
        assertThat(shared.resolve(planted)).as("another user's directory is not ours to remove").exists();
    }

    @Test
    void aPerUserDirectoryThatAnotherUserMadeIsRefused() throws Exception {
        UserPrincipal attacker = OtherUser.require();
        Path shared = OtherUser.sharedDirectory(temp);
        Path planted = OtherUser.owns(attacker, Files.createDirectory(shared.resolve("bsm-" + uid()),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"))));
        assertThatThrownBy(() -> SnapshotDirectories.sweepOrphans(shared))
                .isInstanceOf(ExtensionConfigurationException.class).hasMessageContaining(planted.toString())
                .hasMessageContaining("belongs to another user").hasMessageContaining("java.io.tmpdir");
    }

    @Test
    void aPerUserDirectoryThatIsASymbolicLinkOrOpenToOthersIsRefused() throws Exception {
        Path elsewhere = Files.createDirectory(temp.resolve("elsewhere"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path base = Files.createSymbolicLink(temp.resolve("bsm-" + uid()), elsewhere);
        assertThatThrownBy(() -> SnapshotDirectories.sweepOrphans(temp))
                .isInstanceOf(ExtensionConfigurationException.class).hasMessageContaining(base.toString())
                .hasMessageContaining("not a directory");
        Files.delete(base);
        Files.createDirectory(base);
        Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxr-xr-x"));
        assertThatThrownBy(() -> SnapshotDirectories.sweepOrphans(temp))
                .isInstanceOf(ExtensionConfigurationException.class).hasMessageContaining(base.toString())
                .hasMessageContaining("rwxr-xr-x");
    }

    /** The per-user directory as the extension makes it: owner-only. */
    private Path perUserDirectory() throws Exception {
        return Files.createDirectory(temp.resolve("bsm-" + uid()),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }

    @Test
    void orphansInThePerUserDirectoryAreRemovedWithoutFollowingLinks() throws Exception {
        Path base = perUserDirectory();
        Path victim = Files.createDirectory(temp.resolve("victim"));
        Path victimFile = Files.writeString(victim.resolve("session.json"), "user's own file");
        Path orphan = Files.createDirectory(base.resolve(SnapshotDirectories.PREFIX + OtherUser.deadPid() + "-x"));
        Files.writeString(orphan.resolve("session.json"), "{}");
        Files.writeString(Files.createDirectories(orphan.resolve("a/b")).resolve("c.json"), "{}");
        Files.createSymbolicLink(orphan.resolve("link"), victim);
        Files.createSymbolicLink(orphan.resolve("a/file-link"), victimFile);
        Path alive = Files.createDirectory(base.resolve(SnapshotDirectories.PREFIX + ProcessHandle.current().pid()
                + "-alive"));
        assertThat(SnapshotDirectories.sweepOrphans(temp)).isEqualTo(1);
        assertThat(orphan).doesNotExist();
        assertThat(alive).as("belongs to a running JVM").exists();
        assertThat(victimFile).hasContent("user's own file");
    }

    @Test
    void aSubdirectorySwappedForASymlinkWhileTheSweepDeletesInItIsNotFollowed() throws Exception {
        Path base = perUserDirectory();
        Path victim = usersOwnFiles();
        Path orphan = Files.createDirectory(base.resolve(SnapshotDirectories.PREFIX + OtherUser.deadPid() + "-x"));
        Path sub = Files.createDirectory(orphan.resolve("sub"));
        for (int i = 0; i < FILES; i++) {
            Files.createFile(sub.resolve(String.format("f%04d", i)));
        }
        WatchService watcher = sub.getFileSystem().newWatchService();
        CompletableFuture<Boolean> swapped;
        try {
            sub.register(watcher, StandardWatchEventKinds.ENTRY_DELETE);
            swapped = CompletableFuture.supplyAsync(() -> {
                try {
                    watcher.take(); // the sweep has deleted a first file in sub
                    Files.move(sub, orphan.resolve("moved"));
                    Files.createSymbolicLink(sub, victim);
                    return true;
                } catch (Exception tooLate) {
                    return false;
                }
            });
            SnapshotDirectories.sweepOrphans(temp);
        } finally {
            watcher.close(); // a swapper still waiting gives up
        }
        assumeTrue(swapped.get(30, TimeUnit.SECONDS), "the swap came after the sweep: nothing was tested");
        assertThat(count(victim)).as("the user's own files").isEqualTo(FILES);
    }

    /**
     * A JVM whose pid says nothing here, as in another PID namespace (a container sharing the temporary directory):
     * its directory is renamed to a pid that no longer runs. Its lock says it runs; once it exits, the lock is free.
     */
    @Test
    void aRunningJvmsDirectoryIsKeptWhateverItsPidSaysAndSweptOnceItExits() throws Exception {
        Process holder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), SnapshotDirectoryHolder.class.getName(), temp.toString())
                .redirectErrorStream(true).start();
        Path renamed;
        try {
            Path made = Path.of(new BufferedReader(new InputStreamReader(holder.getInputStream(),
                    StandardCharsets.UTF_8)).readLine());
            Files.writeString(made.resolve("session-live.json"), "a running test's snapshot");
            renamed = Files.move(made, made.resolveSibling(SnapshotDirectories.PREFIX + OtherUser.deadPid() + "-ns"));
            SnapshotDirectories.sweepOrphans(temp);
            assertThat(renamed.resolve("session-live.json")).as("a running JVM's snapshot").exists();
        } finally {
            holder.getOutputStream().close();
            assertThat(holder.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(SnapshotDirectories.sweepOrphans(temp)).isEqualTo(1);
        assertThat(renamed).as("its JVM is gone").doesNotExist();
    }

    @Test
    void thisJvmsOwnDirectoryKeepsItsLockThroughASweep() throws Exception {
        Path own = SnapshotDirectories.create(temp);
        try {
            SnapshotDirectories.sweepOrphans(temp);
            assertThat(own).exists();
            Path renamed = Files.move(own, own.resolveSibling(SnapshotDirectories.PREFIX + OtherUser.deadPid()
                    + "-own"));
            SnapshotDirectories.sweepOrphans(temp);
            assertThat(renamed).as("this JVM's, under another name").exists();
            Files.move(renamed, own);
        } finally {
            SnapshotDirectories.delete(own);
        }
        assertThat(own).doesNotExist();
    }
}
