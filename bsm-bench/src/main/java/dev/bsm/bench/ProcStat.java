package dev.bsm.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The fields of Linux's {@code /proc/<pid>/stat} that the benchmarks read: state, parent, start time and CPU time.
 *
 * @param state the state letter ({@code R}, {@code S}, {@code Z}, ...)
 * @param parentPid the parent's pid
 * @param startTime when the process started, in clock ticks since boot: with the pid, which process this is
 * @param cpuTicks user and system CPU time, in clock ticks
 */
public record ProcStat(char state, long parentPid, String startTime, long cpuTicks) {
    /** Linux's USER_HZ, which {@code /proc/<pid>/stat} counts in on every architecture the JDK runs on. */
    private static final long TICKS_PER_SECOND = 100;

    /** {@return the process's fields, or empty if it is gone, another user's, or this is not Linux} */
    public static Optional<ProcStat> of(long pid) {
        try {
            String text = new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "stat")),
                    StandardCharsets.ISO_8859_1);
            // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so count fields after the last ')'.
            String[] fields = text.substring(text.lastIndexOf(')') + 2).split(" ");
            // fields 3, 4, 14 + 15 and 22 of proc(5)
            return Optional.of(new ProcStat(fields[0].charAt(0), Long.parseLong(fields[1]), fields[19],
                    Long.parseLong(fields[11]) + Long.parseLong(fields[12])));
        } catch (IOException | RuntimeException e) { // gone, another user's, or not Linux
            return Optional.empty();
        }
    }

    /** {@return whether the process has exited (a zombie, or dead)} */
    public boolean exited() {
        return state == 'Z' || state == 'X';
    }

    /** {@return the CPU time in milliseconds} */
    public long cpuMillis() {
        return cpuTicks * 1000 / TICKS_PER_SECOND;
    }
}
