package dev.bsm.testkit.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link UserTempDirectory}: the checks before each use, on temporary directories of the test's own. */
class UserTempDirectoryTests {

    @BeforeEach
    void needsPosix(@TempDir Path temporary) {
        assumeTrue(UserTempDirectory.supported(temporary), "needs a POSIX file system");
    }

    @Test
    void itIsMadeOwnerOnlyAndFoundAgain(@TempDir Path temporary) throws IOException {
        UserTempDirectory made = UserTempDirectory.of(temporary);

        assertThat(made.path().getFileName().toString()).matches("bsm-\\d+");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(made.path()))).isEqualTo("rwx------");
        assertThat(made.user()).isEqualTo(Files.getOwner(made.path()));
        assertThat(UserTempDirectory.of(temporary)).isEqualTo(made);
    }

    @Test
    void aTemporaryDirectoryEveryoneMayWriteMustBeSticky(@TempDir Path temporary) throws IOException {
        Path shared = Files.createDirectory(temporary.resolve("shared"));
        for (String mode : new String[] {"rwxrwxrwx", "rwxrwx-wx"}) {
            Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString(mode));
            assertThatThrownBy(() -> UserTempDirectory.of(shared)).as(mode)
                    .isInstanceOf(UserTempDirectory.UnsafeException.class)
                    .hasMessageContaining(shared + " is writable by every user but not sticky")
                    .hasMessageContaining("java.io.tmpdir");
        }
        assertThat(shared).isEmptyDirectory();
        Files.setAttribute(shared, "unix:mode", 01777);
        assertThat(UserTempDirectory.of(shared).path().getParent()).isEqualTo(shared);
    }

    @Test
    void aTemporaryDirectoryWhoseGroupMayWriteMustBeSticky(@TempDir Path temporary) throws IOException {
        Path shared = Files.createDirectory(temporary.resolve("shared"));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxr-x"));
        GroupPrincipal other = groupOtherThan(shared, Files.readAttributes(shared, PosixFileAttributes.class));
        assumeTrue(other != null, "needs a group other than the user's own to give the directory to");
        Files.getFileAttributeView(shared, PosixFileAttributeView.class).setGroup(other);

        // Its group's members could rename bsm-<uid> away (its claims and leases gone) or swap in their own.
        assertThatThrownBy(() -> UserTempDirectory.of(shared)).isInstanceOf(UserTempDirectory.UnsafeException.class)
                .hasMessageContaining(shared + " is writable by its group " + other.getName() + " but not sticky")
                .hasMessageContaining("java.io.tmpdir");
        assertThat(shared).isEmptyDirectory();
        Files.setAttribute(shared, "unix:mode", 01775);
        assertThat(UserTempDirectory.of(shared).path().getParent()).isEqualTo(shared);
    }

    @Test
    void aTemporaryDirectoryOfAnotherUserIsRefused(@TempDir Path temporary) throws IOException {
        UserPrincipal nobody = lookup(temporary, "nobody");
        assumeTrue(nobody != null && "root".equals(System.getProperty("user.name")), "needs root and user nobody");
        Path theirs = Files.createDirectory(temporary.resolve("theirs"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        Files.setOwner(theirs, nobody);

        // Its owner may rename or replace anything in it, sticky or not.
        assertThatThrownBy(() -> UserTempDirectory.of(theirs)).isInstanceOf(UserTempDirectory.UnsafeException.class)
                .hasMessageContaining(theirs + " belongs to nobody")
                .hasMessageContaining("java.io.tmpdir");
        assertThat(theirs).isEmptyDirectory();
    }

    @Test
    void aLinkAnOpenDirectoryOrAnotherUsersDirectoryIsRefused(@TempDir Path temporary) throws IOException {
        Path made = UserTempDirectory.of(temporary).path();
        Files.setPosixFilePermissions(made, PosixFilePermissions.fromString("rwxr-xr-x"));
        assertThatThrownBy(() -> UserTempDirectory.of(temporary)).isInstanceOf(UserTempDirectory.UnsafeException.class)
                .hasMessageContaining(made + " has the permissions 755 (rwxr-xr-x), not 700");
        Files.delete(made);
        Path elsewhere = Files.createDirectory(temporary.resolve("elsewhere"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Files.createSymbolicLink(made, elsewhere);
        assertThatThrownBy(() -> UserTempDirectory.of(temporary)).isInstanceOf(UserTempDirectory.UnsafeException.class)
                .hasMessageContaining("is not a directory (it is a symbolic link or a file)");
        Files.delete(made);
        UserPrincipal nobody = lookup(temporary, "nobody");
        assumeTrue(nobody != null && "root".equals(System.getProperty("user.name")), "needs root and user nobody");
        Files.createDirectory(made, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Files.setOwner(made, nobody);
        assertThatThrownBy(() -> UserTempDirectory.of(temporary)).isInstanceOf(UserTempDirectory.UnsafeException.class)
                .hasMessageContaining("belongs to another user");
        assertThat(Files.getOwner(made, LinkOption.NOFOLLOW_LINKS)).isEqualTo(nobody);
    }

    @Test
    void anOwnerOnlyDirectoryInItIsMadeOnceAndRefusedWhenALinkOrOpenToOthers(@TempDir Path temporary)
            throws IOException {
        assumeTrue(OwnedTree.supported(temporary), "needs SecureDirectoryStream");
        UserTempDirectory base = UserTempDirectory.of(temporary);
        try (SecureDirectoryStream<Path> made = base.openOwnerOnly("lease")) {
            made.newByteChannel(Path.of("file"), Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE))
                    .close();
        }
        Path lease = base.path().resolve("lease");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(lease))).isEqualTo("rwx------");
        try (SecureDirectoryStream<Path> again = base.openOwnerOnly("lease")) {
            assertThat(again.iterator().next().getFileName().toString()).as("the same directory").isEqualTo("file");
        }

        Files.setPosixFilePermissions(lease, PosixFilePermissions.fromString("rwx--x--x"));
        assertThatThrownBy(() -> base.openOwnerOnly("lease")).isInstanceOf(UserTempDirectory.UnsafeException.class)
                .hasMessageContaining("bsm's owner-only directory " + lease + " has the permissions rwx--x--x");

        Path elsewhere = Files.createDirectory(temporary.resolve("elsewhere"));
        Files.createSymbolicLink(base.path().resolve("linked"), elsewhere);
        assertThatThrownBy(() -> base.openOwnerOnly("linked")).isInstanceOf(UserTempDirectory.UnsafeException.class)
                .hasMessageContaining("is not a directory (it is a symbolic link or a file)");
        assertThat(elsewhere).isEmptyDirectory();
        assertThatThrownBy(() -> base.openOwnerOnly("../escape")).isInstanceOf(IllegalArgumentException.class);
    }

    /** A group, other than the directory's and one named as its owner, that the directory can be given to. */
    private static GroupPrincipal groupOtherThan(Path directory, PosixFileAttributes attributes) {
        for (String name : new String[] {"nogroup", "nobody", "users", "daemon"}) {
            try {
                GroupPrincipal group = directory.getFileSystem().getUserPrincipalLookupService()
                        .lookupPrincipalByGroupName(name);
                if (!group.equals(attributes.group()) && !name.equals(attributes.owner().getName())) {
                    Files.getFileAttributeView(directory, PosixFileAttributeView.class).setGroup(group);
                    Files.getFileAttributeView(directory, PosixFileAttributeView.class).setGroup(attributes.group());
                    return group;
                }
            } catch (IOException e) {
                // no such group, or the user is not in it: try the next
            }
        }
        return null;
    }

    private static UserPrincipal lookup(Path path, String name) {
        try {
            return path.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(name);
        } catch (IOException e) {
            return null;
        }
    }
}
