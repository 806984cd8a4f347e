package dev.bsm.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every Java block in README.md marked {@code <!-- snippet: name -->} must be, line for line, the region
 * {@code // tag::name[]} ... {@code // end::name[]} of an example test, which is compiled and run. So README's
 * code cannot rot.
 */
class ReadmeSnippetsTests {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern README_SNIPPET =
            Pattern.compile("<!-- snippet: ([\\w-]+) -->\\s*```java\\n(.*?)```", Pattern.DOTALL);
    private static final Pattern SOURCE_TAG =
            Pattern.compile("// tag::([\\w-]+)\\[]\\n(.*?)\\n\\s*// end::\\1\\[]", Pattern.DOTALL);

    @Test
    void everyReadmeSnippetIsAnExampleThatRuns() throws IOException {
        Map<String, String> readme = snippets(Files.readString(ROOT.resolve("README.md")), README_SNIPPET);
        Map<String, String> sources = new LinkedHashMap<>();
        try (Stream<Path> files = Files.walk(ROOT.resolve("bsm-examples/src/test/java"))) {
            files.filter(f -> f.toString().endsWith(".java")).forEach(f -> sources.putAll(snippets(read(f), SOURCE_TAG)));
        }

        assertThat(readme.keySet()).as("README snippets").containsExactlyInAnyOrderElementsOf(sources.keySet());
        readme.forEach((name, code) -> assertThat(code).as("README snippet '%s' differs from its example", name)
                .isEqualTo(sources.get(name)));
    }

    private static Map<String, String> snippets(String text, Pattern pattern) {
        Map<String, String> found = new LinkedHashMap<>();
        Matcher matcher = pattern.matcher(text);
        while (matcher.find()) {
            found.put(matcher.group(1), dedent(matcher.group(2)));
        }
        return found;
    }

    private static String dedent(String code) {
        List<String> lines = code.stripTrailing().lines().toList();
        int indent = lines.stream().filter(l -> !l.isBlank())
                .mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
        return lines.stream().map(l -> l.isBlank() ? "" : l.substring(indent)).collect(Collectors.joining("\n"));
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
