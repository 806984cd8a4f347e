package dev.bsm.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every relative link of README.md and docs/*.md reaches an existing file and, with an anchor, a heading of it. */
class DocumentLinksTests {

    @Test
    void everyRelativeLinkOfTheDocumentsResolves() {
        Documents documents = Documents.project();

        assertThat(DocumentLinks.problems(documents)).as("broken links").isEmpty();
        assertThat(documents.texts().values().stream().mapToInt(t -> DocumentLinks.targets(t).size()).sum())
                .as("relative links checked").isGreaterThan(50);
    }

    @Test
    void aMissingFileAndAMissingHeadingAreReportedAndCodeIsNotALink(@TempDir Path root) throws IOException {
        Files.createDirectories(root.resolve("docs"));
        Files.writeString(root.resolve("README.md"), """
                # Title
                [fine](docs/a.md#one-two) [fine too](#title) [web](https://example.com/x.md#nothing)
                [gone](docs/missing.md) and [no heading](docs/a.md#three)
                `[a span](nowhere.md)`
                ```java
                String s = "[in code](nowhere.md)";
                ```
                """);
        Files.writeString(root.resolve("docs/a.md"), "# One, `two`\n[back](../README.md#title) [up](../docs)\n");

        assertThat(DocumentLinks.problems(Documents.of(root))).containsExactly(
                "README.md: link (docs/missing.md): no file docs/missing.md",
                "README.md: link (docs/a.md#three): no heading with anchor 'three' in docs/a.md (its anchors: [one-two])");
    }

    @Test
    void anchorsFollowGitHubsRules() {
        assertThat(DocumentLinks.anchor("JUnit 5: `@WithAwsSession`")).isEqualTo("junit-5-withawssession");
        assertThat(DocumentLinks.anchor("Test fixture: a local moto_server")).isEqualTo("test-fixture-a-local-moto_server");
        assertThat(DocumentLinks.anchor("Cached, typed clients for every service"))
                .isEqualTo("cached-typed-clients-for-every-service");
        assertThat(DocumentLinks.anchor("30-second example")).isEqualTo("30-second-example");
        assertThat(DocumentLinks.anchors("## Errors\ntext\n## Errors\n```\n# not a heading\n```\n"))
                .containsExactly("errors", "errors-1");
    }

    @Test
    void linksWithAnyTitleAndReferenceDefinitionsAreChecked() {
        assertThat(DocumentLinks.targets("""
                [double](a.md "T") [single](b.md 'T') [parens](c.md (T)) [angled](<d e.md>)
                [ref][r] and [collapsed][]

                [r]: f.md#x
                  [collapsed]: <g.md> "title"
                [web]: https://example.com/h.md
                """)).containsExactly("a.md", "b.md", "c.md", "d e.md", "f.md#x", "g.md");
    }

    @Test
    void longerAndTildeFencesAndLongerCodeSpansHideLinks() {
        assertThat(DocumentLinks.targets("""
                ````markdown
                ```
                [inside a markdown example](nowhere.md)
                ```
                [still inside](nowhere.md)
                ````
                ~~~
                [in a tilde fence](nowhere.md)
                ~~~
                ``a span with ` and [a link](nowhere.md)`` [after](after.md)
                """)).containsExactly("after.md");
        assertThat(DocumentLinks.anchors("~~~\n# not a heading\n~~~\n# Real\n")).containsExactly("real");
    }

    @Test
    void aRepeatedHeadingSkipsAnAnchorThatAnotherHeadingHasAsGitHubDoes() {
        // github-slugger: "errors", then "errors-1" (taken by "Errors 1"), so the second "Errors" is "errors-2".
        assertThat(DocumentLinks.anchors("## Errors\n## Errors 1\n## Errors\n"))
                .containsExactly("errors", "errors-1", "errors-2");
    }
}
