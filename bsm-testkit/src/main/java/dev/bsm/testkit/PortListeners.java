package dev.bsm.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which process holds the TCP socket listening on a loopback port, read from Linux's {@code /proc}: the kernel's
 * socket tables ({@code /proc/net/tcp}, {@code /proc/net/tcp6}) name each listening socket's inode, and a process's
 * {@code /proc/PID/fd} links name the inodes of the sockets it holds. Elsewhere, or where {@code /proc} cannot be
 * read, the answer is {@link Holder#UNKNOWN}.
 */
final class PortListeners {

    /** Who listens on the port. */
    enum Holder {
        /** Every socket that accepts connections to {@code 127.0.0.1:PORT} belongs to the given processes. */
        OURS,
        /** Some socket that accepts connections to {@code 127.0.0.1:PORT} belongs to another process. */
        OTHER,
        /** Nothing listens on the port (yet). */
        NONE,
        /** This system does not tell (no readable {@code /proc/net/tcp}). */
        UNKNOWN
    }

    private static final Path TCP = Path.of("/proc/net/tcp");
    private static final Path TCP6 = Path.of("/proc/net/tcp6");
    private static final String LISTEN = "0A";
    /** Local addresses that accept connections to 127.0.0.1, as the kernel prints them (either byte order). */
    private static final Set<String> IPV4_COVERING = Set.of("0100007F", "7F000001", "00000000");
    private static final Set<String> IPV6_COVERING = Set.of(
            "00000000000000000000000000000000", // ::, dual-stack unless IPV6_V6ONLY
            "0000000000000000FFFF00000100007F", // ::ffff:127.0.0.1
            "00000000000000000000FFFF7F000001");
    private static final Pattern SOCKET_LINK = Pattern.compile("socket:\\[(\\d+)]");

    private PortListeners() {
    }

    /**
     * @return whether the processes hold all sockets that accept connections to {@code 127.0.0.1:port}; a process
     *         that has exited holds none
     */
    static Holder holder(int port, Collection<ProcessHandle> processes) {
        Optional<Set<Long>> listening = listening(port);
        if (listening.isEmpty()) {
            return Holder.UNKNOWN;
        }
        if (listening.get().isEmpty()) {
            return Holder.NONE;
        }
        Set<Long> held = new HashSet<>();
        processes.forEach(process -> held.addAll(socketInodes(process.pid())));
        return held.containsAll(listening.get()) ? Holder.OURS : Holder.OTHER;
    }

    /**
     * @return the inodes of the listening TCP sockets that accept connections to {@code 127.0.0.1:port}; empty
     *         where this system does not tell
     */
    static Optional<Set<Long>> listening(int port) {
        if (!Files.isReadable(TCP)) {
            return Optional.empty();
        }
        String hexPort = String.format(Locale.ROOT, "%04X", port);
        Set<Long> inodes = new HashSet<>();
        try {
            addListening(Files.readAllLines(TCP), hexPort, IPV4_COVERING, inodes);
            if (Files.isReadable(TCP6)) {
                addListening(Files.readAllLines(TCP6), hexPort, IPV6_COVERING, inodes);
            }
        } catch (IOException | UncheckedIOException e) {
            return Optional.empty();
        }
        return Optional.of(inodes);
    }

    /** One line per socket: {@code sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode ...}. */
    private static void addListening(List<String> lines, String hexPort, Set<String> addresses, Set<Long> inodes) {
        for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
            String[] fields = line.trim().split("\\s+");
            if (fields.length < 10 || !LISTEN.equals(fields[3])) {
                continue;
            }
            int colon = fields[1].indexOf(':');
            if (colon < 0 || !fields[1].substring(colon + 1).equalsIgnoreCase(hexPort)
                    || !addresses.contains(fields[1].substring(0, colon).toUpperCase(Locale.ROOT))) {
                continue;
            }
            try {
                inodes.add(Long.parseLong(fields[9]));
            } catch (NumberFormatException ignored) {
                // not a socket line
            }
        }
    }

    /** @return the inodes of the sockets the process holds; empty if it is gone or its fds cannot be read */
    static Set<Long> socketInodes(long pid) {
        Set<Long> inodes = new HashSet<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "fd"))) {
            for (Path fd : fds) {
                try {
                    Matcher socket = SOCKET_LINK.matcher(Files.readSymbolicLink(fd).toString());
                    if (socket.matches()) {
                        inodes.add(Long.parseLong(socket.group(1)));
                    }
                } catch (IOException | UnsupportedOperationException ignored) {
                    // the fd was closed meanwhile
                }
            }
        } catch (IOException | DirectoryIteratorException e) {
            // the process is gone, or not ours to look at
        }
        return inodes;
    }
}
