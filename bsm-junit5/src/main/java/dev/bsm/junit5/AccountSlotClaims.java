package dev.bsm.junit5;

import dev.bsm.testkit.internal.OwnedFiles;
import dev.bsm.testkit.internal.UserTempDirectory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Account slots claimed through the file system: one empty file per claimed prefix in the owner-only directory
 * {@value #DIRECTORY} of the user's {@code bsm-<uid>} (see {@link UserTempDirectory}), made with
 * {@code CREATE_NEW} (atomic: of two JVMs making the same name, one fails) and without following links. Claims are
 * kept: a prefix handed to one JVM is never handed to a later one, so a Failsafe JVM after a Surefire one, or a
 * second build against a long-running emulator, does not meet the state an earlier JVM left in its accounts.
 *
 * <p>Where the temporary directory is not POSIX (Windows), only this JVM's claims are known: its own slots never
 * repeat, while other JVMs' are apart by chance alone (see {@link AccountIds}).
 */
final class AccountSlotClaims implements AccountIds.SlotClaims {
    static final String DIRECTORY = "bsm-accounts";
    /** Where there are no files: the prefixes this JVM claimed, so they never repeat here at least. */
    private static final Set<String> CLAIMED_HERE = ConcurrentHashMap.newKeySet();

    private final Path tempDirectory;

    AccountSlotClaims(Path tempDirectory) {
        this.tempDirectory = tempDirectory;
    }

    /** The claims of {@code java.io.tmpdir}, as read now. */
    static AccountSlotClaims ofJvm() {
        return new AccountSlotClaims(Path.of(System.getProperty("java.io.tmpdir")));
    }

    /**
     * @throws IllegalStateException when the directory is not safe to use (another user's, a link, not 0700), with
     *     the reason and the fix
     * @throws UncheckedIOException when it cannot be made or written
     */
    @Override
    public boolean claim(String prefix) {
        if (!UserTempDirectory.supported(tempDirectory)) {
            return CLAIMED_HERE.add(prefix);
        }
        try (SecureDirectoryStream<Path> claims = UserTempDirectory.of(tempDirectory).openOwnerOnly(DIRECTORY);
                SeekableByteChannel claim = claims.newByteChannel(Path.of(prefix), Set.of(
                        StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS),
                        PosixFilePermissions.asFileAttribute(OwnedFiles.OWNER_ONLY))) {
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        } catch (UserTempDirectory.UnsafeException e) {
            throw new IllegalStateException("bsm cannot claim account ids for isolated tests: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("bsm cannot claim account ids for isolated tests in " + where() + ": "
                    + e + ". Make room there or make it writable, or set java.io.tmpdir to a directory you can write"
                    + " (-Djava.io.tmpdir=... in the test JVMs' argLine).", e);
        }
    }

    @Override
    public String where() {
        return tempDirectory.resolve("bsm-<uid>").resolve(DIRECTORY).toString();
    }
}
