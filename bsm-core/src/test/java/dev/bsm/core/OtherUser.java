package dev.bsm.core;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileOwnerAttributeView;
import java.nio.file.attribute.UserPrincipal;

/**
 * A second local user, for the tests in which someone else plants files beside the user's: made where the tests
 * run as root on Linux (as in CI), and the calling test is skipped, saying why, everywhere else. The user is kept
 * for later runs: other test JVMs on the machine may be using it.
 */
final class OtherUser {
    static final String NAME = "bsm-attacker";

    private OtherUser() {
    }

    /** {@return the other user, made if missing}; skips the calling test where that cannot be done */
    static UserPrincipal require() throws Exception {
        assumeTrue(System.getProperty("os.name").startsWith("Linux"), "another user is only made on Linux");
        String uid = run("id", "-u");
        assumeTrue(uid.equals("0"), "making another user needs root; these tests run as uid " + uid);
        for (int attempt = 0; attempt < 20 && !run("id", "-u", NAME).matches("\\d+"); attempt++) {
            // useradd fails while a parallel one holds /etc/passwd: try again
            run("useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", NAME);
            Thread.sleep(100);
        }
        return FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByName(NAME);
    }

    /**
     * {@return a directory like /tmp in a private temporary directory}: everyone may write in it, only an entry's
     * owner may rename or remove it (mode 1777)
     */
    static Path sharedDirectory(Path privateTemp) throws Exception {
        run("chmod", "755", privateTemp.toString());
        Path shared = Files.createDirectory(privateTemp.resolve("shared"));
        run("chmod", "1777", shared.toString());
        return shared;
    }

    /** Gives a file (a link itself, not what it points to) to the other user, as if that user had made it. */
    static Path owns(UserPrincipal user, Path path) throws IOException {
        Files.getFileAttributeView(path, FileOwnerAttributeView.class, LinkOption.NOFOLLOW_LINKS).setOwner(user);
        return path;
    }

    /** {@return the pid of a process that has exited} */
    static long deadPid() throws Exception {
        Process finished = new ProcessBuilder("true").start();
        finished.waitFor();
        return finished.pid();
    }

    static String run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        process.waitFor();
        return output;
    }
}
