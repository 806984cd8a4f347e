package dev.bsm.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * Runs an emulator's command under a small POSIX {@code sh} script that stops it when the JVM that started it is
 * gone, however the JVM died ({@code kill -9} included), so that no emulator outlives its users.
 *
 * <p>The JVM keeps the write end of the script's stdin pipe open for as long as the server runs and never writes
 * to it. The kernel closes it when the JVM exits, for whatever reason; the script's watcher then reads end-of-file,
 * asks the server and its descendants (captured with {@code ps} before anything is signalled) to exit, kills the ones
 * still running (zombies aside) after {@link #GRACE_TENTHS} tenths of a second, and removes the server's log file
 * and its {@code .server} record; the watchdog that finds no other log left in the directory also removes the
 * JVM's {@code owner} and {@code lock} files there and the directory (see {@link MotoLogs}).
 *
 * <p>The script starts the command in the background with stdin from {@code /dev/null} and stdout and stderr on
 * the script's stderr (the log file), writes the command's pid as the one line of its own stdout, and waits for the
 * command: when it exits, the script reaps it, stops watching and exits with the command's status. A JVM that
 * closes the server signals the server's tree, waits for the script to exit, and only then closes the pipe, so the
 * watcher's clean-up does not run then. The script ignores {@code SIGINT} and {@code SIGQUIT} (a Ctrl-C in the
 * terminal reaches the whole process group; the JVM's shutdown hook stops the server then), so that it outlives
 * the server it reaps and its watcher never signals a pid that may have been reused. The server ignores them too,
 * as every background command of a non-interactive shell does.
 *
 * <p>Only where {@code /bin/sh} exists and the OS is not Windows; elsewhere servers run without a watchdog and are
 * stopped by the JVM's shutdown hook only.
 */
final class OwnerWatchdog {

    static final Path SHELL = Path.of("/bin/sh");
    /** How long the watcher waits after asking the server tree to exit, in tenths of a second, before killing it. */
    static final int GRACE_TENTHS = 50;
    /** The script's name, {@code $0}, as {@code ps} shows it. */
    static final String NAME = "bsm-moto-watchdog";

    /*
     * $1 is the log file; the rest is the server's command. fd 3 keeps the pipe from the JVM (the watcher's
     * stdin), fd 4 the pipe to the JVM (for the pid line); every other process gets neither. An asynchronous list
     * in a non-interactive shell would read /dev/null unless its stdin is redirected explicitly, hence <&3.
     */
    static final String SCRIPT = String.join("\n",
            "log=$1",
            "shift",
            "trap '' INT QUIT",
            "exec 3<&0 4>&1 1>&2 </dev/null",
            "\"$@\" 3<&- 4>&- &",
            "server=$!",
            "tree() {",
            "  ps -A -o pid= -o ppid= 2>/dev/null | awk -v root=\"$1\" '",
            "    { children[$2] = children[$2] \" \" $1 }",
            "    END { n = 1; queue[1] = root",
            "      for (i = 1; i <= n; i++) { print queue[i]; m = split(children[queue[i]], c, \" \")",
            "        for (j = 1; j <= m; j++) queue[++n] = c[j] } }'",
            "}",
            "alive() {",
            "  for p in $pids; do",
            "    kill -0 \"$p\" 2>/dev/null || continue",
            "    case $(ps -o stat= -p \"$p\" 2>/dev/null) in *Z*) ;; *) return 0 ;; esac",
            "  done",
            "  return 1",
            "}",
            "{",
            "  while read -r _; do :; done",
            "  trap '' TERM",
            "  pids=$(tree \"$server\")",
            "  [ -n \"$pids\" ] || pids=$server",
            "  kill -TERM $pids 2>/dev/null",
            "  i=0",
            "  while [ \"$i\" -lt " + GRACE_TENTHS + " ] && alive; do sleep 0.1; i=$((i + 1)); done",
            "  kill -KILL $pids 2>/dev/null",
            "  rm -f -- \"$log\" \"${log%.log}.server\"",
            "  dir=${log%/*}",
            "  set -- \"$dir\"/*.log",
            "  [ -e \"$1\" ] || { rm -f -- \"$dir/owner\" \"$dir/lock\"; rmdir -- \"$dir\" 2>/dev/null; }",
            "} <&3 3<&- 4>&- &",
            "watcher=$!",
            "exec 3<&-",
            "echo \"$server\" >&4",
            "exec 4>&-",
            "wait \"$server\"",
            "status=$?",
            "kill -TERM \"$watcher\" 2>/dev/null",
            "wait \"$watcher\"",
            "exit \"$status\"",
            "");

    private OwnerWatchdog() {
    }

    /** @return whether servers can run under the watchdog here: a POSIX {@code /bin/sh}, not Windows */
    static boolean available() {
        return !Platform.windows() && Files.isExecutable(SHELL);
    }

    /** @return the command that runs {@code server} under the watchdog, its output appended to {@code logFile} */
    static List<String> command(Path logFile, List<String> server) {
        List<String> command = new ArrayList<>(List.of(SHELL.toString(), "-c", SCRIPT, NAME, logFile.toString()));
        command.addAll(server);
        return command;
    }

    /**
     * Reads the server's pid, the one line the script writes to its stdout right after starting it, and closes
     * that stream.
     *
     * @return the pid, or empty if the script exited or wrote something else
     */
    static OptionalLong readServerPid(Process watchdog) {
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(watchdog.getInputStream(), StandardCharsets.US_ASCII))) {
            String line = reader.readLine();
            return line != null && line.strip().matches("\\d{1,18}")
                    ? OptionalLong.of(Long.parseLong(line.strip()))
                    : OptionalLong.empty();
        } catch (IOException e) {
            return OptionalLong.empty();
        }
    }
}
