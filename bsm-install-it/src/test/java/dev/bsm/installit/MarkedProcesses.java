package dev.bsm.installit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The processes that carry an entry in their environment, read from {@code /proc/<pid>/environ} (Linux; only this
 * user's processes can be read): a variable given to a build reaches everything it starts, its forked JVMs and
 * their {@code moto_server}s included, whichever parent they end up with. So a unique entry finds exactly the
 * processes of one build, and none of other builds running on the machine at the same time.
 */
final class MarkedProcesses {
    private static final Path PROC = Path.of("/proc");

    private MarkedProcesses() {
    }

    /** Whether this machine shows processes' environments. */
    static boolean available() {
        return Files.isReadable(PROC.resolve("self/environ"));
    }

    /** The live processes whose environment holds {@code entry} ({@code NAME=value}) exactly. */
    static List<ProcessHandle> carrying(String entry) {
        String wanted = "\0" + entry + "\0";
        return ProcessHandle.allProcesses().filter(p -> ("\0" + environment(p.pid())).contains(wanted)).toList();
    }

    /**
     * Whether a process runs moto_server itself: its command line names moto_server and its executable is not a
     * shell, nor is the first word of its command line (bsm's watchdog script and pyenv's shims, with their
     * subshells, name it in their arguments too).
     */
    static boolean isMotoServer(ProcessHandle process) {
        ProcessHandle.Info info = process.info();
        String commandLine = info.commandLine().orElse("");
        // The program and the command line are read one after the other: during an exec they may disagree.
        String program = commandLine.split(" ", 2)[0];
        return commandLine.contains("moto_server") && !isShell(info.command().orElse("")) && !isShell(program);
    }

    private static boolean isShell(String program) {
        return program.matches("(.*/)?(ba|da|z)?sh");
    }

    /** A process as messages show it: pid and command line. */
    static String describe(ProcessHandle process) {
        return process.pid() + " " + process.info().commandLine().orElse("(command unknown)");
    }

    private static String environment(long pid) {
        try {
            // Entries are NUL-terminated; ISO-8859-1 maps every byte, so no entry is mangled into another.
            return new String(Files.readAllBytes(PROC.resolve(Long.toString(pid)).resolve("environ")),
                    StandardCharsets.ISO_8859_1);
        } catch (IOException | SecurityException e) {
            return ""; // gone already, or another user's
        }
    }
}
