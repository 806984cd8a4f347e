package dev.bsm.examples;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The project's documents: README.md and every {@code docs/*.md}, by their path under the project's root
 * ({@code README.md}, {@code docs/junit5.md}). What the document checks read, so that a section moved from README
 * into {@code docs/} (or back) stays checked.
 *
 * @param root the directory holding README.md and docs/
 * @param texts each document's text, by its path under root, README.md first, then docs/ by name
 */
record Documents(Path root, Map<String, String> texts) {

    /** @return this project's documents */
    static Documents project() {
        return of(Snippets.ROOT);
    }

    /** @return the documents under {@code root}: its README.md, then the Markdown files of its {@code docs/} */
    static Documents of(Path root) {
        Map<String, String> texts = new LinkedHashMap<>();
        texts.put("README.md", Snippets.read(root.resolve("README.md")));
        try (Stream<Path> docs = Files.list(root.resolve("docs"))) {
            docs.map(f -> f.getFileName().toString()).filter(f -> f.endsWith(".md")).sorted()
                    .forEach(f -> texts.put("docs/" + f, Snippets.read(root.resolve("docs").resolve(f))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Documents(root, texts);
    }
}
