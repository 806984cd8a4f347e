package dev.bsm.testkit;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Finds the {@code moto_server} executable: system property {@value TestkitSettings#MOTO_EXECUTABLE_PROPERTY}, then
 * environment variable {@value TestkitSettings#MOTO_EXECUTABLE_VARIABLE}, then the {@code PATH} directories. A
 * property or variable that is set but points nowhere is reported, not skipped.
 */
final class MotoExecutable {

    static final String NAME = "moto_server";

    private static final String INSTALL_HINT = "Install " + NAME + " with `pip install 'moto[server]'` (or "
            + "`pipx install 'moto[server]'`) so that it is on PATH, or point -D"
            + TestkitSettings.MOTO_EXECUTABLE_PROPERTY + "=/path/to/" + NAME + " or the "
            + TestkitSettings.MOTO_EXECUTABLE_VARIABLE + " environment variable at it.";

    private MotoExecutable() {
    }

    /** Where the executable is, or why there is none; exactly one of the two is non-null. */
    record Lookup(Path executable, String problem) {
    }

    /**
     * @return the executable's absolute path
     * @throws EmulatorUnavailableException if there is none; the message says what was looked for
     */
    static Path resolve() {
        Lookup lookup = lookupFromEnvironment();
        if (lookup.executable() == null) {
            throw new EmulatorUnavailableException(lookup.problem());
        }
        return lookup.executable();
    }

    /** @return where the executable is, or why there is none, from the system property, variable and PATH */
    static Lookup lookupFromEnvironment() {
        return lookup(TestkitSettings.motoExecutableProperty(), TestkitSettings.motoExecutableVariable(),
                System.getenv("PATH"));
    }

    static Lookup lookup(String property, String environmentVariable, String path) {
        if (property != null && !property.isBlank()) {
            return explicit("System property " + TestkitSettings.MOTO_EXECUTABLE_PROPERTY, property.strip());
        }
        if (environmentVariable != null && !environmentVariable.isBlank()) {
            return explicit("Environment variable " + TestkitSettings.MOTO_EXECUTABLE_VARIABLE,
                    environmentVariable.strip());
        }
        List<String> directories = path == null ? List.of()
                : Pattern.compile(Pattern.quote(File.pathSeparator)).splitAsStream(path)
                        .filter(directory -> !directory.isBlank())
                        .collect(Collectors.toList());
        for (String directory : directories) {
            for (String name : executableNames()) {
                try {
                    Path candidate = Path.of(directory, name);
                    if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                        return new Lookup(candidate.toAbsolutePath(), null);
                    }
                } catch (InvalidPathException ignored) {
                    // a malformed PATH entry cannot hold the executable
                }
            }
        }
        return new Lookup(null, NAME + " was not found. Looked for: system property "
                + TestkitSettings.MOTO_EXECUTABLE_PROPERTY + " (not set), environment variable "
                + TestkitSettings.MOTO_EXECUTABLE_VARIABLE + " (not set), and an executable named "
                + String.join(" or ", executableNames()) + " in the PATH directories "
                + (directories.isEmpty() ? "(PATH is empty or not set)" : directories) + ". " + INSTALL_HINT);
    }

    private static Lookup explicit(String source, String value) {
        Path candidate;
        try {
            candidate = Path.of(value);
        } catch (InvalidPathException e) {
            return new Lookup(null, source + " is set to '" + value + "', which is not a valid path. Fix or unset "
                    + "it. " + INSTALL_HINT);
        }
        if (!Files.exists(candidate)) {
            return new Lookup(null, source + " is set to '" + value + "', but no such file exists. Fix or unset "
                    + "it to search PATH instead. " + INSTALL_HINT);
        }
        if (!Files.isRegularFile(candidate) || !Files.isExecutable(candidate)) {
            return new Lookup(null, source + " is set to '" + value + "', but that is not an executable file. "
                    + "Fix or unset it to search PATH instead. " + INSTALL_HINT);
        }
        return new Lookup(candidate.toAbsolutePath(), null);
    }

    private static List<String> executableNames() {
        if (!Platform.windows()) {
            return List.of(NAME);
        }
        String pathext = System.getenv("PATHEXT");
        List<String> names = new ArrayList<>();
        for (String extension : (pathext == null ? ".EXE;.CMD;.BAT" : pathext).split(";")) {
            if (!extension.isBlank()) {
                names.add(NAME + extension.strip().toLowerCase(Locale.ROOT));
            }
        }
        return names;
    }
}
