package dev.bsm.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Member;
import java.lang.reflect.Modifier;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The coding-agent skill {@code .claude/skills/bsm/SKILL.md} must not invent API: its code blocks are example tests
 * that run, and every bsm name it mentions in backticks exists.
 */
class SkillTests {
    private static final Path SKILL = Snippets.ROOT.resolve(".claude/skills/bsm/SKILL.md");
    private static final List<String> PACKAGES = List.of("dev.bsm.core", "dev.bsm.junit5", "dev.bsm.testkit",
            "dev.bsm.testkit.assertj");
    /** Names from Java, the SDK and the environment that the skill mentions beside bsm's own. */
    private static final Set<String> NOT_BSM = Set.of("S3Client", "Optional", "Consumer", "Map", "Path", "Duration",
            "String", "URI", "ProcessBuilder", "BSM_SNAPSHOT_FILE", "AWS_ENDPOINT_URL", "LOCALSTACK_AUTH_TOKEN", "bsm",
            "SkillTests", "argLine", "ResourceLock");
    private static final Pattern CODE_SPAN = Pattern.compile("`([^`\\n]+)`");
    private static final Pattern NAME = Pattern.compile("@?[A-Za-z_][\\w.]*(\\([^)]*\\))?");

    @Test
    void theSkillsCodeBlocksAreExamplesThatRun() {
        Map<String, String> skill = Snippets.in(Snippets.read(SKILL));
        Map<String, String> examples = Snippets.examples();
        assertThat(skill).isNotEmpty();
        skill.forEach((name, code) -> assertThat(code).as("SKILL.md block '%s' differs from its example", name)
                .isEqualTo(examples.get(name)));
    }

    @Test
    void everyBsmNameTheSkillMentionsExists() {
        List<Class<?>> api = publicClasses();
        assertThat(api).extracting(Class::getSimpleName).contains("BotoSesManager", "WithAwsSession", "MotoServer");
        String skill = Snippets.read(SKILL).replaceAll("(?s)```.*?```", "");
        List<String> missing = new ArrayList<>();
        Matcher spans = CODE_SPAN.matcher(skill);
        int checked = 0;
        while (spans.find()) {
            String span = spans.group(1).trim();
            if (!NAME.matcher(span).matches() || span.contains("/") || span.startsWith("bsm.")
                    && Character.isLowerCase(span.charAt(4)) && !span.contains("(")) {
                continue; // flags, paths, configuration parameters, code that is not a name
            }
            checked++;
            if (!exists(span, api)) {
                missing.add(span);
            }
        }
        assertThat(checked).as("names checked").isGreaterThan(60);
        assertThat(missing).as("names in SKILL.md that bsm does not have").isEmpty();
    }

    private static boolean exists(String span, List<Class<?>> api) {
        String name = span.replaceFirst("\\(.*\\)$", "").replaceFirst("^@", "");
        if (NOT_BSM.contains(name)) {
            return true;
        }
        if (name.startsWith("dev.bsm.")) {
            return api.stream().anyMatch(c -> c.getName().equals(name));
        }
        int dot = name.lastIndexOf('.');
        if (dot < 0) {
            return api.stream().anyMatch(c -> c.getSimpleName().equals(name) || hasMember(c, name));
        }
        String owner = name.substring(0, dot);
        String member = name.substring(dot + 1);
        if (member.equals("class")) {
            return true; // S3Client.class
        }
        Optional<Class<?>> type = owner.equals("bsm") ? api.stream().filter(c -> c.getSimpleName().equals("BotoSesManager")).findFirst()
                : api.stream().filter(c -> c.getName().endsWith("." + owner) || c.getName().endsWith("." + owner.replace('.', '$'))
                        || c.getCanonicalName() != null && c.getCanonicalName().endsWith("." + owner)).findFirst();
        return type.map(c -> hasMember(c, member)).orElse(NOT_BSM.contains(owner));
    }

    private static boolean hasMember(Class<?> type, String name) {
        List<Member> members = new ArrayList<>();
        Collections.addAll(members, type.getMethods());
        Collections.addAll(members, type.getFields());
        return members.stream().anyMatch(m -> m.getName().equals(name))
                || Stream.of(type.getClasses()).anyMatch(c -> c.getSimpleName().equals(name));
    }

    /** Every public class of bsm's API packages, nested ones included. */
    private static List<Class<?>> publicClasses() {
        Set<Class<?>> classes = new LinkedHashSet<>();
        for (String pkg : PACKAGES) {
            for (String className : classNames(pkg)) {
                try {
                    Class<?> type = Class.forName(className);
                    if (Modifier.isPublic(type.getModifiers())) {
                        classes.add(type);
                        Collections.addAll(classes, type.getClasses());
                    }
                } catch (ClassNotFoundException | LinkageError e) {
                    // a class that needs an optional dependency: not part of what the skill may name
                }
            }
        }
        return List.copyOf(classes);
    }

    private static List<String> classNames(String pkg) {
        String path = pkg.replace('.', '/');
        List<String> names = new ArrayList<>();
        try {
            for (URL url : Collections.list(SkillTests.class.getClassLoader().getResources(path))) {
                if (url.getProtocol().equals("jar")) {
                    try (JarFile jar = ((JarURLConnection) url.openConnection()).getJarFile()) {
                        jar.stream().map(e -> e.getName())
                                .filter(n -> n.startsWith(path + "/") && n.endsWith(".class") && !n.contains("$")
                                        && n.indexOf('/', path.length() + 1) < 0)
                                .forEach(n -> names.add(n.replace('/', '.').replace(".class", "")));
                    }
                } else {
                    try (Stream<Path> files = Files.list(Path.of(url.toURI()))) {
                        files.map(f -> f.getFileName().toString())
                                .filter(n -> n.endsWith(".class") && !n.contains("$"))
                                .forEach(n -> names.add(pkg + "." + n.replace(".class", "")));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        return names;
    }
}
