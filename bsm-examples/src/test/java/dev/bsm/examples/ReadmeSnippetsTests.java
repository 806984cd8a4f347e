package dev.bsm.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every Java block in README.md or docs/*.md marked {@code <!-- snippet: name -->} must be, line for line, the region
 * {@code // tag::name[]} ... {@code // end::name[]} of an example test, which is compiled and run; every region must
 * be in exactly one document. So the documents' code cannot rot.
 */
class ReadmeSnippetsTests {
    private static final String BLOCK = "<!-- snippet: %s -->\n```java\nint x = 1;\n```\n";

    @Test
    void everyDocumentedSnippetIsAnExampleThatRuns() {
        Map<String, String> documented = Snippets.in(Documents.project());
        Map<String, String> examples = Snippets.examples();

        assertThat(documented.keySet()).as("snippets of README.md and docs/*.md")
                .containsExactlyInAnyOrderElementsOf(examples.keySet());
        documented.forEach((name, code) -> assertThat(code).as("documented snippet '%s' differs from its example", name)
                .isEqualTo(examples.get(name)));
    }

    @Test
    void theDocumentsAreReadmeAndEveryPageOfDocs() {
        assertThat(Documents.project().texts().keySet()).startsWith("README.md")
                .contains("docs/README.md", "docs/junit5.md", "docs/configuration.md");
    }

    @Test
    void aSnippetNameInTwoDocumentsFailsNamingBoth(@TempDir Path root) throws IOException {
        Files.createDirectories(root.resolve("docs"));
        Files.writeString(root.resolve("README.md"), BLOCK.formatted("twice"));
        Files.writeString(root.resolve("docs/a.md"), BLOCK.formatted("once"));
        Files.writeString(root.resolve("docs/b.md"), "text\n\n" + BLOCK.formatted("twice"));

        assertThatThrownBy(() -> Snippets.in(Documents.of(root))).isInstanceOf(AssertionError.class)
                .hasMessageContaining("'twice'").hasMessageContaining("README.md").hasMessageContaining("docs/b.md")
                .hasMessageNotContaining("docs/a.md");
    }

    @Test
    void aMarkerWithoutAJavaBlockFails(@TempDir Path root) throws IOException {
        Files.createDirectories(root.resolve("docs"));
        Files.writeString(root.resolve("README.md"), BLOCK.formatted("fine"));
        Files.writeString(root.resolve("docs/a.md"), "<!-- snippet: lost -->\nprose, then\n```java\nint y;\n```\n");

        assertThatThrownBy(() -> Snippets.in(Documents.of(root))).isInstanceOf(AssertionError.class)
                .hasMessageContaining("docs/a.md has 1 '<!-- snippet:' markers but 0");
    }
}
