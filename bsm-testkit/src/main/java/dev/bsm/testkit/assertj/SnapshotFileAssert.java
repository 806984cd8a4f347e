package dev.bsm.testkit.assertj;

import dev.bsm.core.BotoSesManager;
import dev.bsm.core.InvalidSnapshotException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.assertj.core.api.AbstractAssert;

/**
 * AssertJ assertions on a session snapshot file, as written by {@link BotoSesManager#tempSnapshot(Path)} or the
 * Python library; get one from {@link BsmAssertions#assertThatSnapshot(Path)}.
 *
 * <pre>{@code
 * try (TempSnapshot snapshot = bsm.tempSnapshot(dir.resolve("session.json"))) {
 *     assertThatSnapshot(snapshot.path()).isOwnerOnly().holdsSessionOf(bsm);
 * }
 * }</pre>
 *
 * <p>The content is read as the code under test reads it, with {@link BotoSesManager#fromSnapshotFile(Path)}:
 * bsm-core owns the snapshot format, and these assertions use only its public API.
 *
 * <p>Failure messages name the file, what was checked and what is wrong (its permissions, why it is not a snapshot,
 * or which snapshot field differs), and what to do. They show regions and access key ids, never a secret access key
 * or session token, and never the file's content.
 */
public class SnapshotFileAssert extends AbstractAssert<SnapshotFileAssert, Path> {

    // The keys of BotoSesManager.toSnapshot(), the Python library's snapshot format.
    private static final String REGION_NAME = "region_name";
    private static final String ACCESS_KEY_ID = "aws_access_key_id";
    private static final String SECRET_ACCESS_KEY = "aws_secret_access_key";
    private static final String SESSION_TOKEN = "aws_session_token";

    private static final Set<PosixFilePermission> GROUP_AND_OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    /**
     * Creates assertions on a snapshot file.
     *
     * @param actual the snapshot file under test; {@link BsmAssertions#assertThatSnapshot(Path)} is the usual way in
     */
    public SnapshotFileAssert(Path actual) {
        super(actual, SnapshotFileAssert.class);
    }

    /**
     * Verifies that the file exists and neither group nor others have any permission on it (owner-only, like
     * {@code rw-------}). Needs a file system with POSIX permissions; elsewhere (Windows) it fails saying so.
     *
     * @return this assertion
     */
    public SnapshotFileAssert isOwnerOnly() {
        existsAsFile("to be owner-only (no permission for group or others, like rw-------)");
        PosixFileAttributeView view = Files.getFileAttributeView(actual, PosixFileAttributeView.class);
        if (view == null) {
            fail(expecting() + "to be owner-only\nbut its file system has no POSIX permissions to check ("
                    + actual.getFileSystem().supportedFileAttributeViews() + ")");
            return myself;
        }
        Set<PosixFilePermission> permissions;
        try {
            permissions = view.readAttributes().permissions();
        } catch (IOException e) {
            fail(expecting() + "to be owner-only\nbut its permissions cannot be read: " + e);
            return myself;
        }
        Set<PosixFilePermission> tooWide = EnumSet.noneOf(PosixFilePermission.class);
        tooWide.addAll(permissions);
        tooWide.retainAll(GROUP_AND_OTHERS);
        if (!tooWide.isEmpty()) {
            fail(expecting() + "to be owner-only (no permission for group or others, like rw-------)\nbut its"
                    + " permissions are:\n  " + PosixFilePermissions.toString(permissions) + "\n(too wide: "
                    + tooWide + ")\nWrite it with BotoSesManager.tempSnapshot(path), which makes it owner-only from the"
                    + " start, or take the permissions away (chmod 600).");
        }
        return myself;
    }

    /**
     * Verifies that the file is a valid snapshot holding the session's current credentials and region: the file is
     * read with {@link BotoSesManager#fromSnapshotFile(Path)}, and the {@link BotoSesManager#toSnapshot()} of what it
     * gives is compared with the session's, field by field: {@code region_name}, {@code aws_access_key_id},
     * {@code aws_secret_access_key} and {@code aws_session_token}. Every differing field is listed; secret values
     * are compared without being shown.
     *
     * <p>The region is the one a reader of the file gets. A file without {@code region_name} (written from a
     * session without a region) therefore gets this JVM's region from the SDK's default chain ({@code aws.region},
     * {@code AWS_REGION}, the profile), as {@code fromSnapshotFile} gives it to any reader; where none of them has
     * one, finding that out may ask EC2 instance metadata, as for any manager without a region.
     *
     * @param session the session the file should hold
     * @return this assertion
     * @throws dev.bsm.core.NoCredentialsException when the session has no credentials
     */
    public SnapshotFileAssert holdsSessionOf(BotoSesManager session) {
        Objects.requireNonNull(session, "session");
        String expectation = "to hold the session of:\n  " + session;
        existsAsFile(expectation);
        Map<String, String> expected = session.toSnapshot();
        Map<String, String> fromFile;
        // Static credentials and the file's region: no network call (for a file without region_name, see above).
        try (BotoSesManager reader = BotoSesManager.fromSnapshotFile(actual)) {
            fromFile = reader.toSnapshot();
        } catch (InvalidSnapshotException e) {
            // bsm-core's message names the file and the problem, never the content
            fail(expecting() + expectation + "\nbut it is not a valid snapshot: " + e.getMessage()
                    + "\nWrite it with BotoSesManager.tempSnapshot(path) or the Python library's snapshot.");
            return myself;
        }
        List<String> differences = new ArrayList<>();
        compareShown(REGION_NAME, expected.get(REGION_NAME), fromFile.get(REGION_NAME), differences);
        compareShown(ACCESS_KEY_ID, expected.get(ACCESS_KEY_ID), fromFile.get(ACCESS_KEY_ID), differences);
        compareSecret(SECRET_ACCESS_KEY, expected.get(SECRET_ACCESS_KEY), fromFile.get(SECRET_ACCESS_KEY),
                "a secret access key", differences);
        compareSecret(SESSION_TOKEN, expected.get(SESSION_TOKEN), fromFile.get(SESSION_TOKEN),
                "a session token", differences);
        if (!differences.isEmpty()) {
            fail(expecting() + expectation + "\nbut " + (differences.size() == 1 ? "this field differs" : "these fields"
                    + " differ") + ":\n  - " + String.join("\n  - ", differences) + "\nA snapshot holds the"
                    + " credentials of the moment it was written: write it again with tempSnapshot(path) of this"
                    + " session, or compare it with the session it was written from.");
        }
        return myself;
    }

    private void existsAsFile(String expectation) {
        isNotNull();
        if (!Files.exists(actual)) {
            fail(expecting() + expectation + "\nbut it does not exist");
        }
        if (!Files.isRegularFile(actual)) {
            fail(expecting() + expectation + "\nbut it is not a regular file");
        }
    }

    private static void compareShown(String field, String expected, String actual, List<String> differences) {
        if (!Objects.equals(blankToNull(expected), blankToNull(actual))) {
            differences.add(field + ": expected " + shown(expected) + " but the file has " + shown(actual));
        }
    }

    private static void compareSecret(String field, String expected, String actual, String what,
            List<String> differences) {
        String want = blankToNull(expected);
        String have = blankToNull(actual);
        if (want == null && have != null) {
            differences.add(field + ": expected none but the file has " + what + " (not shown)");
        } else if (want != null && have == null) {
            differences.add(field + ": expected " + what + " but the file has none");
        } else if (want != null && !MessageDigest.isEqual(want.getBytes(StandardCharsets.UTF_8),
                have.getBytes(StandardCharsets.UTF_8))) {
            differences.add(field + ": the file has a different " + what.substring(2) + " (values not shown)");
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }

    private static String shown(String value) {
        return value == null || value.isEmpty() ? "none" : BotoSesManagerAssert.quote(value);
    }

    private String expecting() {
        return "\nExpecting snapshot file:\n  " + actual + "\n";
    }

    private void fail(String message) {
        failWithMessage(message.replace("%", "%%"));
    }
}
