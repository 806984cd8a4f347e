package dev.bsm.testkit.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link OwnedFiles}: owner-only files reached relative to an open directory, on directories of the test's own. */
class OwnedFilesTests {

    private UserTempDirectory base;

    @BeforeEach
    void needsPosix(@TempDir Path temporary) throws IOException {
        assumeTrue(UserTempDirectory.supported(temporary) && OwnedTree.supported(temporary),
                "needs a POSIX file system and SecureDirectoryStream");
        base = UserTempDirectory.of(temporary);
    }

    @Test
    void aFileIsMadeOwnerOnlyAndReadBack() throws IOException {
        try (SecureDirectoryStream<Path> directory = OwnedTree.open(base.path());
                FileChannel file = OwnedFiles.openOrCreate(directory, Path.of("f"), base.user(), Path.of("f"))) {
            file.write(ByteBuffer.wrap("content".getBytes(StandardCharsets.UTF_8)));
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(base.path().resolve("f"))))
                    .isEqualTo("rw-------");
            assertThat(OwnedFiles.readOwnerOnly(directory, Path.of("f"), base.user(), 7, Path.of("f")))
                    .hasValueSatisfying(bytes -> assertThat(new String(bytes, StandardCharsets.UTF_8))
                            .isEqualTo("content"));
            assertThat(OwnedFiles.readOwnerOnly(directory, Path.of("f"), base.user(), 6, Path.of("f")))
                    .as("larger than allowed").isEmpty();
            assertThat(OwnedFiles.readOwnerOnly(directory, Path.of("missing"), base.user(), 6, Path.of("m")))
                    .isEmpty();
        }
    }

    @Test
    void aLinkOrAFileOpenToOthersIsRefusedAndNotFollowed(@TempDir Path elsewhere) throws IOException {
        Path target = Files.writeString(elsewhere.resolve("target"), "not bsm's");
        Files.createSymbolicLink(base.path().resolve("link"), target);
        Path open = Files.writeString(base.path().resolve("open"), "x");
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rw-r--r--"));
        try (SecureDirectoryStream<Path> directory = OwnedTree.open(base.path())) {
            assertThatThrownBy(() -> OwnedFiles.openOrCreate(directory, Path.of("link"), base.user(), Path.of("L")))
                    .isInstanceOf(UserTempDirectory.UnsafeException.class)
                    .hasMessageContaining("L is not a regular file");
            assertThatThrownBy(() -> OwnedFiles.readOwnerOnly(directory, Path.of("link"), base.user(), 99,
                    Path.of("L"))).isInstanceOf(UserTempDirectory.UnsafeException.class);
            assertThat(OwnedFiles.read(directory, Path.of("link"), base.user(), 99)).as("lenient read").isEmpty();
            assertThatThrownBy(() -> OwnedFiles.openOrCreate(directory, Path.of("open"), base.user(), Path.of("O")))
                    .isInstanceOf(UserTempDirectory.UnsafeException.class)
                    .hasMessageContaining("O has the permissions rw-r--r--, open to others");
            assertThat(OwnedFiles.open(directory, Path.of("link"), base.user())).isEmpty();
        }
        assertThat(target).hasContent("not bsm's");
    }
}
