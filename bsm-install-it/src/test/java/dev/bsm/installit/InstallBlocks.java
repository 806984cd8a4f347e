package dev.bsm.installit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The XML blocks the documents mark {@code <!-- install: name -->}, found in whichever of README.md and docs/*.md
 * holds them, so that a section can move between them and its block is still the one the tests build.
 */
final class InstallBlocks {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    private InstallBlocks() {
    }

    /**
     * A marked block and where it is.
     *
     * @param document the document's path under the project's root, such as {@code README.md}
     * @param xml the block, exactly as written
     */
    record Block(String document, String xml) {
    }

    /** @return the block marked {@code <!-- install: name -->} in this project's documents */
    static Block find(String name) throws IOException {
        return find(ROOT, name);
    }

    /**
     * @return the block marked {@code <!-- install: name -->} in README.md or docs/*.md under {@code root}
     * @throws AssertionError when no document, or more than one, holds it, naming the documents
     */
    static Block find(Path root, String name) throws IOException {
        Pattern marked = Pattern.compile("<!-- install: " + Pattern.quote(name) + " -->\\s*```xml\\n(.*?)```",
                Pattern.DOTALL);
        List<Block> found = new ArrayList<>();
        documents(root).forEach((document, text) -> {
            Matcher block = marked.matcher(text);
            while (block.find()) {
                found.add(new Block(document, block.group(1)));
            }
        });
        if (found.isEmpty()) {
            throw new AssertionError("no document (README.md, docs/*.md) has an ```xml block marked <!-- install: "
                    + name + " -->");
        }
        if (found.size() > 1) {
            throw new AssertionError("the block marked <!-- install: " + name + " --> must be in one place, but is in "
                    + found.stream().map(Block::document).toList());
        }
        return found.get(0);
    }

    /** @return README.md and the Markdown files of docs/ (when there is one), by their path under root */
    private static Map<String, String> documents(Path root) throws IOException {
        Map<String, String> texts = new LinkedHashMap<>();
        texts.put("README.md", Files.readString(root.resolve("README.md")));
        Path docs = root.resolve("docs");
        if (Files.isDirectory(docs)) {
            try (Stream<Path> files = Files.list(docs)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".md")).sorted().toList()) {
                    texts.put("docs/" + file.getFileName(), Files.readString(file));
                }
            }
        }
        return texts;
    }
}
