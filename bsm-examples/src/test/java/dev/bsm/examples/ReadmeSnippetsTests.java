package dev.bsm.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every Java block in README.md marked {@code <!-- snippet: name -->} must be, line for line, the region
 * {@code // tag::name[]} ... {@code // end::name[]} of an example test, which is compiled and run; and every region
 * must be in README. So README's code cannot rot.
 */
class ReadmeSnippetsTests {

    @Test
    void everyReadmeSnippetIsAnExampleThatRuns() {
        Map<String, String> readme = Snippets.in(Snippets.read(Snippets.ROOT.resolve("README.md")));
        Map<String, String> examples = Snippets.examples();

        assertThat(readme.keySet()).as("README snippets").containsExactlyInAnyOrderElementsOf(examples.keySet());
        readme.forEach((name, code) -> assertThat(code).as("README snippet '%s' differs from its example", name)
                .isEqualTo(examples.get(name)));
    }
}
