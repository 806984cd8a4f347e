package dev.bsm.examples;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The relative Markdown links of the documents, checked: each must name an existing file or directory and, with a
 * {@code #anchor}, a heading of that Markdown file under GitHub's anchor rules. Links inside code (fenced blocks, code
 * spans) are not links, and web addresses are not checked.
 */
final class DocumentLinks {
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)(?:\\s+\"[^\"]*\")?\\)");
    private static final Pattern CODE_SPAN = Pattern.compile("`[^`\\n]*`");
    private static final Pattern HEADING = Pattern.compile("^#{1,6}\\s+(.*?)\\s*#*\\s*$");
    private static final Pattern INLINE_LINK = Pattern.compile("\\[([^\\]]*)]\\([^)]*\\)");
    /** GitHub keeps letters, marks, digits, connector punctuation ('_'), spaces and '-'; it drops the rest. */
    private static final Pattern DROPPED = Pattern.compile("[^\\p{L}\\p{M}\\p{N}\\p{Pc} -]");

    private DocumentLinks() {
    }

    /** @return one line per broken link, naming the document, the link and what is wrong; empty when all resolve */
    static List<String> problems(Documents documents) {
        List<String> problems = new ArrayList<>();
        documents.texts().forEach((document, text) -> {
            Path here = documents.root().resolve(document).getParent();
            for (String target : targets(text)) {
                check(documents.root(), document, here, target).ifPresent(problems::add);
            }
        });
        return problems;
    }

    /** @return the relative link targets of a Markdown text, in order */
    static List<String> targets(String markdown) {
        List<String> targets = new ArrayList<>();
        Matcher link = LINK.matcher(CODE_SPAN.matcher(prose(markdown)).replaceAll("code"));
        while (link.find()) {
            String target = link.group(1);
            if (!target.matches("(?i)[a-z][a-z0-9+.-]*:.*")) { // https:, mailto: ... are not files
                targets.add(target);
            }
        }
        return targets;
    }

    /** @return the anchors GitHub gives the headings of a Markdown text: a repeated one gets -1, -2, ... */
    static Set<String> anchors(String markdown) {
        Set<String> anchors = new LinkedHashSet<>();
        Map<String, Integer> seen = new HashMap<>();
        for (String line : prose(markdown).split("\n")) {
            Matcher heading = HEADING.matcher(line);
            if (heading.matches()) {
                String slug = anchor(heading.group(1));
                int times = seen.merge(slug, 1, Integer::sum);
                anchors.add(times == 1 ? slug : slug + "-" + (times - 1));
            }
        }
        return anchors;
    }

    /** @return GitHub's anchor of a heading: its text lowercased, punctuation but '-' and '_' dropped, spaces '-' */
    static String anchor(String heading) {
        String text = INLINE_LINK.matcher(heading).replaceAll("$1");
        return DROPPED.matcher(text.toLowerCase(Locale.ROOT)).replaceAll("").replace(' ', '-');
    }

    private static Optional<String> check(Path root, String document, Path here, String target) {
        int hash = target.indexOf('#');
        String file = hash < 0 ? target : target.substring(0, hash);
        Path resolved = file.isEmpty() ? root.resolve(document) : here.resolve(file).normalize();
        if (!Files.exists(resolved)) {
            return Optional.of(document + ": link (" + target + "): no file " + root.relativize(resolved));
        }
        if (hash < 0) {
            return Optional.empty();
        }
        String anchor = target.substring(hash + 1);
        if (!resolved.toString().endsWith(".md") || !Files.isRegularFile(resolved)) {
            return Optional.of(document + ": link (" + target + "): an anchor into "
                    + root.relativize(resolved) + ", which is not a Markdown file");
        }
        Set<String> anchors = anchors(Snippets.read(resolved));
        if (!anchors.contains(anchor)) {
            return Optional.of(document + ": link (" + target + "): no heading with anchor '" + anchor
                    + "' in " + root.relativize(resolved) + " (its anchors: " + anchors + ")");
        }
        return Optional.empty();
    }

    /** @return the text with every fenced code block blanked out, line for line */
    private static String prose(String markdown) {
        StringBuilder prose = new StringBuilder();
        boolean fenced = false;
        for (String line : markdown.split("\n", -1)) {
            boolean fence = line.stripLeading().startsWith("```");
            prose.append(fenced || fence ? "" : line).append('\n');
            if (fence) {
                fenced = !fenced;
            }
        }
        return prose.toString();
    }
}
