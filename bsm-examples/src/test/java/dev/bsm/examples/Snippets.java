package dev.bsm.examples;

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

/**
 * Code regions of the example tests ({@code // tag::name[]} ... {@code // end::name[]}) and the documents' Java
 * blocks marked {@code <!-- snippet: name -->}, both de-indented, so documents can be compared with running code.
 */
final class Snippets {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern DOCUMENT_SNIPPET =
            Pattern.compile("<!-- snippet: ([\\w-]+) -->\\s*```java\\n(.*?)```", Pattern.DOTALL);
    private static final String SNIPPET_MARKER = "<!-- snippet:";
    private static final Pattern SOURCE_TAG =
            Pattern.compile("// tag::([\\w-]+)\\[]\\n(.*?)\\n\\s*// end::\\1\\[]", Pattern.DOTALL);

    private Snippets() {
    }

    /** The example sources: these tests', and the Spring example's (built after this module, read as text). */
    private static final List<String> EXAMPLE_SOURCES =
            List.of("bsm-examples/src/test/java", "bsm-spring-example/src/test/java");

    /** @return the tagged regions of every example test, by tag */
    static Map<String, String> examples() {
        Map<String, String> sources = new LinkedHashMap<>();
        for (String directory : EXAMPLE_SOURCES) {
            try (Stream<Path> files = Files.walk(ROOT.resolve(directory))) {
                files.filter(f -> f.toString().endsWith(".java")).sorted()
                        .forEach(f -> sources.putAll(find(read(f), SOURCE_TAG)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return sources;
    }

    /** @return the marked Java blocks of a document, by name */
    static Map<String, String> in(String document) {
        return find(document, DOCUMENT_SNIPPET);
    }

    /**
     * @return the marked Java blocks of all the documents, by name
     * @throws AssertionError when a name is in two documents (or twice in one), naming both, or when a marker is not
     *     followed by a Java block
     */
    static Map<String, String> in(Documents documents) {
        Map<String, String> snippets = new LinkedHashMap<>();
        Map<String, String> where = new LinkedHashMap<>();
        documents.texts().forEach((document, text) -> {
            Matcher matcher = DOCUMENT_SNIPPET.matcher(text);
            int blocks = 0;
            while (matcher.find()) {
                blocks++;
                String name = matcher.group(1);
                String before = where.putIfAbsent(name, document);
                if (before != null) {
                    throw new AssertionError("snippet '" + name + "' is marked in " + before + " and in " + document
                            + ": a snippet name must be unique across README.md and docs/*.md");
                }
                snippets.put(name, dedent(matcher.group(2)));
            }
            int markers = 0;
            for (int at = text.indexOf(SNIPPET_MARKER); at >= 0; at = text.indexOf(SNIPPET_MARKER, at + 1)) {
                markers++;
            }
            if (markers != blocks) {
                throw new AssertionError(document + " has " + markers + " '" + SNIPPET_MARKER + "' markers but "
                        + blocks + " of them are followed by a ```java block");
            }
        });
        return snippets;
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, String> find(String text, Pattern pattern) {
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
}
