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
    /** An inline link: its destination ({@code <...>}, or no spaces), then perhaps a title in "", '' or (). */
    private static final Pattern LINK = Pattern.compile("\\]\\(\\s*(?:<([^<>\\n]*)>|([^)\\s]+))"
            + "(?:\\s+(?:\"[^\"]*\"|'[^']*'|\\([^)]*\\)))?\\s*\\)");
    /** A link reference definition, {@code [label]: destination}; not a footnote ({@code [^1]: text}). */
    private static final Pattern DEFINITION = Pattern.compile("(?m)^ {0,3}\\[(?!\\^)[^\\]\\n]+]:[ \\t]*"
            + "(?:<([^<>\\n]*)>|(\\S+))");
    /** A code span: a run of backticks to the next run of the same length, within a paragraph. */
    private static final Pattern CODE_SPAN = Pattern.compile("(`+)(?!`)(?:(?!\\n[ \\t]*\\n).)*?(?<!`)\\1(?!`)",
            Pattern.DOTALL);
    /** An opening or closing code fence: three or more backticks or tildes, then perhaps an info string. */
    private static final Pattern FENCE = Pattern.compile("^\\s*(`{3,}|~{3,})(.*)$");
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
        String text = CODE_SPAN.matcher(prose(markdown)).replaceAll("code");
        for (Pattern kind : List.of(LINK, DEFINITION)) {
            Matcher link = kind.matcher(text);
            while (link.find()) {
                String target = link.group(1) != null ? link.group(1) : link.group(2);
                if (!target.matches("(?i)[a-z][a-z0-9+.-]*:.*")) { // https:, mailto: ... are not files
                    targets.add(target);
                }
            }
        }
        return targets;
    }

    /**
     * @return the anchors GitHub gives the headings of a Markdown text: a repeated one gets -1, -2, ..., skipping
     *     any that an earlier heading has (github-slugger's rule: "Errors", "Errors 1", "Errors" are errors,
     *     errors-1, errors-2)
     */
    static Set<String> anchors(String markdown) {
        Set<String> anchors = new LinkedHashSet<>();
        Map<String, Integer> repeats = new HashMap<>();
        for (String line : prose(markdown).split("\n")) {
            Matcher heading = HEADING.matcher(line);
            if (heading.matches()) {
                String slug = anchor(heading.group(1));
                String unique = slug;
                while (anchors.contains(unique)) {
                    unique = slug + "-" + repeats.merge(slug, 1, Integer::sum);
                }
                anchors.add(unique);
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

    /**
     * @return the text with every fenced code block blanked out, line for line: a block ends at a fence of its
     *     opening's character, at least as long and with nothing after it, so a {@code ````} block can show
     *     {@code ```} lines
     */
    private static String prose(String markdown) {
        StringBuilder prose = new StringBuilder();
        String open = null;
        for (String line : markdown.split("\n", -1)) {
            Matcher fence = FENCE.matcher(line);
            if (open == null) {
                // A backtick fence's info string has no backtick (else the line is text with a code span).
                if (fence.matches() && !(fence.group(1).charAt(0) == '`' && fence.group(2).contains("`"))) {
                    open = fence.group(1);
                    line = "";
                }
            } else {
                if (fence.matches() && fence.group(1).charAt(0) == open.charAt(0)
                        && fence.group(1).length() >= open.length() && fence.group(2).isBlank()) {
                    open = null;
                }
                line = "";
            }
            prose.append(line).append('\n');
        }
        return prose.toString();
    }
}
