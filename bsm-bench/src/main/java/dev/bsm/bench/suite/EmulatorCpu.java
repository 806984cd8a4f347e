package dev.bsm.bench.suite;

import dev.bsm.bench.ProcStat;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The CPU time a moto_server has used so far (user and system, from {@code /proc/<pid>/stat}): what the emulator
 * itself spent serving a benchmark, which the JVM's own CPU time leaves out. Finds the process by the port in its
 * command line ({@code moto_server ... -p <port>}), however it was started (by this JVM or by a build's lease
 * supervisor). Linux only; elsewhere, or when no such process is found, {@code -1}.
 */
final class EmulatorCpu {
    private EmulatorCpu() {
    }

    /**
     * @return the CPU time in ms of the processes whose command runs moto_server on the endpoint's port (moto
     *     itself, and the owner watchdog whose command line carries moto's), or -1 if there are none to read
     */
    static long millis(URI endpoint) {
        String port = Integer.toString(endpoint.getPort());
        return ProcessHandle.allProcesses()
                .filter(p -> isMotoOnPort(p.pid(), port))
                .flatMap(p -> ProcStat.of(p.pid()).stream())
                .mapToLong(ProcStat::cpuMillis)
                .reduce(Long::sum).orElse(-1);
    }

    /**
     * @return the CPU time spent between two readings of {@link #millis}, or -1 when either found nothing to read (a
     *     difference with -1 would pass for a measured figure)
     */
    static long spent(long before, long after) {
        return before < 0 || after < 0 ? -1 : after - before;
    }

    private static boolean isMotoOnPort(long pid, String port) {
        try {
            List<String> arguments = List.of(new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid),
                    "cmdline")), StandardCharsets.UTF_8).split("\0"));
            int flag = arguments.indexOf("-p");
            return arguments.stream().anyMatch(a -> a.endsWith("moto_server"))
                    && flag >= 0 && flag + 1 < arguments.size() && arguments.get(flag + 1).equals(port);
        } catch (IOException | RuntimeException e) {
            return false; // gone, or not ours to read
        }
    }
}
