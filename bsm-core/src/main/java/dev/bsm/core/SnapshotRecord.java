package dev.bsm.core;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What an open snapshot writes beside its file, so that after its JVM died the next snapshot at the path knows
 * what is left of it: which JVM (pid and start time, as a pid is reused), what it wrote at the path (size and
 * SHA-256: a file the user wrote there afterwards is not it), and which file it moved aside (that file's key: a
 * file someone put under the aside name is not it). Owner-only; removed on close. Only a record the user owns
 * counts: anyone who can write in the directory could write one.
 *
 * <p>The names beside the path start with the path's file name, or, for a name longer than {@link #LONG_NAME}
 * bytes, with its first bytes and a hash of the whole name: so that no name bsm adds is too long where the path's
 * is not. Of those names, the record's is the longest and is made first, before anything is moved.
 *
 * <p>A JVM is told apart by pid and start time only: one in another PID namespace (a container sharing the
 * directory) looks gone. That is why records are read only under the path's lock, which works across namespaces.
 */
final class SnapshotRecord {
    private static final String FORMAT = "bsm-snapshot-record 1";
    private static final String NONE = "-";
    private static final int MAX_BYTES = 1024;
    /** This JVM's start time, read once: {@code ProcessHandle.info()} also looks up the user. */
    private static final String START = startOf(ProcessHandle.current());
    /** The tokens of the records of this JVM's open snapshots: any other record of this JVM is left behind. */
    private static final Set<String> OPEN = ConcurrentHashMap.newKeySet();
    /** Longer file names (in UTF-8 bytes) are shortened in the names bsm adds beside them. */
    static final int LONG_NAME = 100;
    private static final int KEPT_BYTES = 40;

    private final Path target;
    private final long pid;
    private final String token;
    private final Map<String, String> fields;

    private SnapshotRecord(Path target, long pid, String token, Map<String, String> fields) {
        this.target = target;
        this.pid = pid;
        this.token = token;
        this.fields = fields;
    }

    /**
     * Writes the record of a snapshot this JVM is about to open.
     *
     * @param original the key of the file at the path that will be moved aside, if there is one
     */
    static SnapshotRecord create(Path target, byte[] snapshot, Optional<String> original) throws IOException {
        String token = UUID.randomUUID().toString();
        Map<String, String> fields = Map.of("token", token, "start", START,
                "size", Integer.toString(snapshot.length), "sha256", sha256(snapshot),
                "original", original.orElse(NONE));
        SnapshotRecord record = new SnapshotRecord(target, ProcessHandle.current().pid(), token, fields);
        String text = FORMAT + "\n" + fields.entrySet().stream().map(e -> e.getKey() + " " + e.getValue() + "\n")
                .sorted().collect(Collectors.joining());
        OPEN.add(token);
        try {
            OwnerOnlyFiles.createNew(record.file(), text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            OPEN.remove(token);
            throw e;
        }
        return record;
    }

    /** Removes the record: its snapshot is undone. */
    void delete() throws IOException {
        Files.deleteIfExists(file());
        OPEN.remove(token);
    }

    /**
     * {@return the records beside the path that JVMs which no longer run left}: only the user's own, well formed
     * ones; anything else under a record's name is someone else's and left alone
     */
    static List<SnapshotRecord> leftBehind(Path target, CurrentUser user) throws IOException {
        return all(target, user, false);
    }

    /**
     * {@return whether a record of another open snapshot at the path is the user's, of a JVM that runs}: the path's
     * lock was lost (its lock file removed, or closed by its own JVM), and that snapshot still holds the path
     */
    boolean anotherIsOpen(CurrentUser user) throws IOException {
        return all(target, user, true).stream().anyMatch(other -> !other.token.equals(token));
    }

    private static List<SnapshotRecord> all(Path target, CurrentUser user, boolean running) throws IOException {
        String prefix = prefix(target, "record");
        List<SnapshotRecord> records = new ArrayList<>();
        // A filter, not a glob: the file's name may hold glob characters.
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(target.getParent(),
                entry -> entry.getFileName().toString().startsWith(prefix))) {
            for (Path entry : entries) {
                read(target, entry.getFileName().toString().substring(prefix.length()), user)
                        .filter(record -> record.jvmRuns() == running).ifPresent(records::add);
            }
        } catch (DirectoryIteratorException e) {
            throw e.getCause();
        }
        return records;
    }

    private static Optional<SnapshotRecord> read(Path target, String id, CurrentUser user) throws IOException {
        int dash = id.indexOf('-');
        Path file = target.resolveSibling(prefix(target, "record") + id);
        if (dash <= 0 || !user.ownsRegularFile(file)) {
            return Optional.empty();
        }
        long pid;
        try {
            pid = Long.parseLong(id.substring(0, dash));
        } catch (NumberFormatException notOurs) {
            return Optional.empty();
        }
        Optional<String> text = OwnerOnlyFiles.readAtMost(file, MAX_BYTES)
                .map(bytes -> new String(bytes, StandardCharsets.UTF_8));
        if (text.isEmpty() || !text.get().startsWith(FORMAT + "\n")) {
            return Optional.empty();
        }
        Map<String, String> fields = Stream.of(text.get().substring(FORMAT.length() + 1).split("\n"))
                .map(line -> line.split(" ", 2)).filter(pair -> pair.length == 2)
                .collect(Collectors.toMap(pair -> pair[0], pair -> pair[1], (a, b) -> a));
        String token = id.substring(dash + 1);
        boolean wellFormed = token.equals(fields.get("token")) && fields.containsKey("original")
                && fields.getOrDefault("start", "").matches("-|\\d{1,19}")
                && fields.getOrDefault("size", "").matches("\\d{1,9}")
                && fields.getOrDefault("sha256", "").matches("[0-9a-f]{64}");
        return wellFormed ? Optional.of(new SnapshotRecord(target, pid, token, fields)) : Optional.empty();
    }

    /**
     * A JVM runs with the record's pid and start time (an unknown start time counts as the same); in this JVM, the
     * record's snapshot is open.
     */
    private boolean jvmRuns() {
        String start = fields.get("start");
        if (pid == ProcessHandle.current().pid() && start.equals(START)) {
            return OPEN.contains(token);
        }
        return ProcessHandle.of(pid).map(process -> start.equals(NONE) || startOf(process).equals(NONE)
                || startOf(process).equals(start)).orElse(false);
    }

    private static String startOf(ProcessHandle process) {
        return process.info().startInstant().map(s -> Long.toString(s.toEpochMilli())).orElse(NONE);
    }

    private static String prefix(Path target, String kind) {
        return "." + stem(target) + ".bsm-" + kind + "-";
    }

    /**
     * {@return the path's file name, or for a long one its first bytes (whole characters), {@code ~} and a hash of
     * the whole name}: what the names bsm adds beside the path start with
     */
    static String stem(Path target) {
        String name = target.getFileName().toString();
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= LONG_NAME) {
            return name;
        }
        int kept = 0;
        int bytesKept = 0;
        while (kept < name.length()) {
            int next = name.offsetByCodePoints(kept, 1);
            bytesKept += name.substring(kept, next).getBytes(StandardCharsets.UTF_8).length;
            if (bytesKept > KEPT_BYTES) {
                break;
            }
            kept = next;
        }
        return name.substring(0, kept) + "~" + sha256(bytes).substring(0, 32);
    }

    private String id() {
        return pid + "-" + token;
    }

    Path file() {
        return target.resolveSibling(prefix(target, "record") + id());
    }

    /** {@return where the file that was at the path waits while the snapshot is open} */
    Path aside() {
        return target.resolveSibling(prefix(target, "aside") + id());
    }

    /** {@return the new snapshot's name until it is moved into place} */
    Path temp() {
        // No suffix: the record's name, made first, stays the longest.
        return target.resolveSibling(prefix(target, "write") + id());
    }

    /**
     * {@return a name of its own for the file that was at the path, where another file took the path}
     *
     * @param random an unpredictable part, so that no one can take the name beforehand
     */
    Path recovered(String time, String random) {
        return target.resolveSibling(stem(target) + ".bsm-recovered-" + time + "-" + random);
    }

    /** {@return whether the file is the one that was at the path when the record was written} */
    boolean isOriginal(Path file) {
        String original = fields.get("original");
        if (original.equals(NONE)) {
            return false;
        }
        try {
            return original.equals(fileKey(file));
        } catch (NoSuchFileException gone) {
            return false;
        } catch (IOException unknown) {
            return true; // cannot tell: taken for the user's, so never deleted
        }
    }

    /** {@return whether the file is the one the record's snapshot moved aside: the same file, not a namesake} */
    boolean isMovedAside(Path file) throws IOException {
        return !fields.get("original").equals(NONE) && Files.exists(file, LinkOption.NOFOLLOW_LINKS)
                && fields.get("original").equals(fileKey(file));
    }

    /** {@return whether the file is the user's and holds exactly what the record's snapshot wrote} */
    boolean isSnapshotAt(Path file, CurrentUser user) throws IOException {
        BasicFileAttributes attributes = user.owned(file);
        if (attributes == null || !attributes.isRegularFile()
                || attributes.size() != Long.parseLong(fields.get("size"))) {
            return false;
        }
        Optional<byte[]> content = OwnerOnlyFiles.readAtMost(file, SnapshotCodec.MAX_BYTES);
        return content.isPresent() && sha256(content.get()).equals(fields.get("sha256"));
    }

    /** The file's identity (device and inode on Unix), or its creation time where the system has none. */
    static String fileKey(Path file) throws IOException {
        BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class,
                LinkOption.NOFOLLOW_LINKS);
        return String.valueOf(attributes.fileKey() != null ? attributes.fileKey() : attributes.creationTime());
    }

    private static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return "SnapshotRecord[" + file() + "]";
    }
}
