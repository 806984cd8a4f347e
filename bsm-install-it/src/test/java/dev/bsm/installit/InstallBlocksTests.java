package dev.bsm.installit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The install blocks the Maven builds use are found wherever they are, and their absence or a second copy fails. */
class InstallBlocksTests {
    private static final String BLOCK = "<!-- install: %s -->\n```xml\n<%s/>\n```\n";

    @Test
    void theProjectsPomIsInReadmeAndThePluginBlockIsFound() throws IOException {
        assertThat(InstallBlocks.find("maven-pom").document()).as("where newcomers copy the pom from")
                .isEqualTo("README.md");
        assertThat(InstallBlocks.find("maven-plugin").xml()).contains("<artifactId>bsm-maven-plugin</artifactId>");
    }

    @Test
    void aBlockIsFoundInWhicheverDocumentHoldsIt(@TempDir Path root) throws IOException {
        Files.createDirectories(root.resolve("docs"));
        Files.writeString(root.resolve("README.md"), BLOCK.formatted("maven-pom", "project"));
        Files.writeString(root.resolve("docs/plugin.md"), "text\n\n" + BLOCK.formatted("maven-plugin", "plugin"));

        assertThat(InstallBlocks.find(root, "maven-plugin"))
                .isEqualTo(new InstallBlocks.Block("docs/plugin.md", "<plugin/>\n"));
        assertThat(InstallBlocks.find(root, "maven-pom")).isEqualTo(new InstallBlocks.Block("README.md", "<project/>\n"));
    }

    @Test
    void aMissingBlockOrASecondOneFailsNamingTheDocuments(@TempDir Path root) throws IOException {
        Files.createDirectories(root.resolve("docs"));
        Files.writeString(root.resolve("README.md"), BLOCK.formatted("maven-pom", "project"));
        Files.writeString(root.resolve("docs/copy.md"), BLOCK.formatted("maven-pom", "project"));

        assertThatThrownBy(() -> InstallBlocks.find(root, "maven-plugin")).isInstanceOf(AssertionError.class)
                .hasMessage("no document (README.md, docs/*.md) has an ```xml block marked <!-- install: maven-plugin -->");
        assertThatThrownBy(() -> InstallBlocks.find(root, "maven-pom")).isInstanceOf(AssertionError.class)
                .hasMessageContaining("[README.md, docs/copy.md]");
    }
}
