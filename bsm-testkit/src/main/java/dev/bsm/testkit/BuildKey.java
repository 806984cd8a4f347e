package dev.bsm.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Which build's shared emulator a JVM uses: JVMs with the same build (the explicit
 * {@value TestkitSettings#EMULATOR_BUILD_ID_PROPERTY}, else the project directory), the same emulator (its
 * {@link Kind} and whatever changes it: moto's executable; LocalStack's image, auth token and Docker host)
 * and the same PID and network namespaces (a JVM in another container could neither see the supervisor's pid nor
 * reach its {@code 127.0.0.1}) meet in one lease directory, named after a hash of all of these. The user and the
 * temporary directory are implied: the lease directory lives in the user's {@code bsm-<uid>} of
 * {@code java.io.tmpdir}.
 *
 * @param directoryName the lease directory's name, {@code bsm-emulator-} and 32 hex digits
 * @param description the build and the emulator in words, for messages; no secret
 * @param kind what the lease's supervisor runs
 */
record BuildKey(String directoryName, String description, Kind kind) {

    /** What a lease's supervisor runs: the same lease machinery, a different emulator. */
    enum Kind {
        /** A {@code moto_server} process under the supervisor's {@link OwnerWatchdog}. */
        MOTO("moto_server"),
        /** A LocalStack container that the supervisor starts through Testcontainers (Ryuk removes it if it dies). */
        LOCALSTACK("LocalStack container");

        private final String what;

        Kind(String what) {
            this.what = what;
        }

        /** {@return the emulator in words, for messages} */
        String what() {
            return what;
        }
    }

    static final String PREFIX = "bsm-emulator-";
    /** What a project's root directory holds: Maven's {@code .mvn} (wrapper, {@code maven.config}), Gradle's settings. */
    private static final String[] ROOT_MARKERS = {".mvn", "settings.gradle", "settings.gradle.kts"};

    /** {@return the key of the build's {@code moto_server}, run from {@code executable}} */
    static BuildKey forMoto(Path executable) {
        return of("moto_server " + realPath(executable), build(Path.of(System.getProperty("user.dir"))));
    }

    /**
     * {@return the key of the build's LocalStack container}: its image, whether (and which, by a hash never shown)
     * auth token it gets, and the Docker host it runs on, so that JVMs that would start different containers never
     * share one
     */
    static BuildKey forLocalStack(String image, Optional<String> authToken, Optional<String> dockerHost) {
        return forLocalStack(image, authToken, dockerHost, build(Path.of(System.getProperty("user.dir"))));
    }

    /** {@link #forLocalStack(String, Optional, Optional)} for a build given in words, as {@link #build} says it. */
    static BuildKey forLocalStack(String image, Optional<String> authToken, Optional<String> dockerHost,
            String build) {
        String emulator = "LocalStack " + image + " (auth token " + (authToken.isPresent() ? "set" : "not set")
                + ", Docker " + dockerHost.orElse("default") + ")";
        String identity = emulator + "\0" + authToken.map(BuildKey::sha256).orElse("");
        return of(Kind.LOCALSTACK, identity, emulator, build);
    }

    static BuildKey of(String emulator, String build) {
        return of(Kind.MOTO, emulator, emulator, build);
    }

    private static BuildKey of(Kind kind, String emulator, String described, String build) {
        // moto's identity is as it was before LocalStack had leases, so that its lease directories keep their names.
        String identity = "bsm build emulator 1\0" + (kind == Kind.MOTO ? "" : kind.name() + "\0") + emulator
                + "\0" + build + "\0"
                + ProcessStamp.currentNamespace("pid") + "\0" + ProcessStamp.currentNamespace("net");
        return new BuildKey(PREFIX + sha256(identity).substring(0, 32), build + ", " + described, kind);
    }

    private static String sha256(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /**
     * The build a JVM belongs to, in words: the explicit build id, else the project directory (see
     * {@link TestkitSettings#EMULATOR_BUILD_ID_PROPERTY}).
     */
    static String build(Path workingDirectory) {
        Optional<String> id = TestkitSettings.emulatorBuildId();
        if (id.isPresent()) {
            return "build " + id.get();
        }
        String maven = System.getProperty("maven.multiModuleProjectDirectory");
        if (maven != null && !maven.isBlank()) {
            return "project " + realPath(Path.of(maven.strip()));
        }
        return "project " + projectDirectory(realPath(workingDirectory));
    }

    /** {@return the nearest directory at or above {@code start} holding a root marker, else {@code start}} */
    static Path projectDirectory(Path start) {
        for (Path directory = start; directory != null; directory = directory.getParent()) {
            for (String marker : ROOT_MARKERS) {
                if (Files.exists(directory.resolve(marker))) {
                    return directory;
                }
            }
        }
        return start;
    }

    private static Path realPath(Path path) {
        try {
            return path.toRealPath();
        } catch (IOException e) {
            return path.toAbsolutePath().normalize();
        }
    }
}
