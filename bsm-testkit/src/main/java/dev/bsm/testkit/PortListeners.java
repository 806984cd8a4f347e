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
 *
 * <p>Which sockets take the connections to {@code 127.0.0.1:PORT} follows the kernel's choice: a listener bound to
 * exactly that address ({@code 127.0.0.1}, or {@code ::ffff:127.0.0.1}) is chosen before any wildcard one, so while
 * one exists, wildcard listeners ({@code 0.0.0.0}, {@code ::}) on the port get none of them and do not count. Where
 * none exists, a {@code 0.0.0.0} listener takes them, and a {@code ::} one too unless it is {@code IPV6_V6ONLY},
 * which the tables do not tell ({@link Holder#UNSURE}).
 */
final class PortListeners {

    /** Who listens on the port. */
    enum Holder {
        /** Every socket that takes connections to {@code 127.0.0.1:PORT} belongs to the given processes. */
        OURS,
        /** Some socket that takes connections to {@code 127.0.0.1:PORT} belongs to another process. */
        OTHER,
        /**
         * No socket is bound to exactly {@code 127.0.0.1:PORT} and no {@code 0.0.0.0:PORT} one is another
         * process's, but another process listens on {@code [::]:PORT}: it takes the connections unless it is
         * {@code IPV6_V6ONLY}, which the tables do not tell. (A server binding {@code 127.0.0.1:PORT} then either
         * fails, "address in use", or succeeds because the other socket is IPv6-only, and is then {@link #OURS}.)
         */
        UNSURE,
        /** Nothing listens on the port (yet). */
        NONE,
        /** This system does not tell (no readable {@code /proc/net/tcp}). */
        UNKNOWN
    }

    private static final Path TCP = Path.of("/proc/net/tcp");
    private static final Path TCP6 = Path.of("/proc/net/tcp6");
    private static final String LISTEN = "0A";
    /** Local addresses that are exactly 127.0.0.1, as the kernel prints them (either byte order). */
    private static final Set<String> IPV4_EXACT = Set.of("0100007F", "7F000001");
    private static final Set<String> IPV6_EXACT = Set.of(
            "0000000000000000FFFF00000100007F", // ::ffff:127.0.0.1
            "00000000000000000000FFFF7F000001");
    /** Wildcard addresses, which take connections to 127.0.0.1 only where no exact listener exists. */
    private static final Set<String> IPV4_WILDCARD = Set.of("00000000");
    /** {@code ::}, which takes them too unless it is IPV6_V6ONLY. */
    private static final Set<String> IPV6_WILDCARD = Set.of("00000000000000000000000000000000");
    private static final Pattern SOCKET_LINK = Pattern.compile("socket:\\[(\\d+)]");

    private PortListeners() {
    }

    /**
     * @return whether the processes hold all sockets that take connections to {@code 127.0.0.1:port}; a process
     *         that has exited holds none
     */
    static Holder holder(int port, Collection<ProcessHandle> processes) {
        Optional<Sockets> found = sockets(port);
        if (found.isEmpty()) {
            return Holder.UNKNOWN;
        }
        Sockets sockets = found.get();
        if (sockets.exact().isEmpty() && sockets.wildcard4().isEmpty() && sockets.wildcard6().isEmpty()) {
            return Holder.NONE;
        }
        Set<Long> held = new HashSet<>();
        processes.forEach(process -> held.addAll(socketInodes(process.pid())));
        if (!sockets.exact().isEmpty()) {
            return held.containsAll(sockets.exact()) ? Holder.OURS : Holder.OTHER;
        }
        if (!held.containsAll(sockets.wildcard4())) {
            return Holder.OTHER;
        }
        return held.containsAll(sockets.wildcard6()) ? Holder.OURS : Holder.UNSURE;
    }

    /**
     * @return the inodes of the listening TCP sockets that take connections to {@code 127.0.0.1:port}: those bound
     *         to exactly that address, or the wildcard ones where there are none ({@code ::} ones included,
     *         IPv6-only or not); empty where this system does not tell
     */
    static Optional<Set<Long>> listening(int port) {
        return sockets(port).map(sockets -> {
            if (!sockets.exact().isEmpty()) {
                return sockets.exact();
            }
            Set<Long> wildcard = new HashSet<>(sockets.wildcard4());
            wildcard.addAll(sockets.wildcard6());
            return wildcard;
        });
    }

    /** The listening sockets on a port, by local address: exactly 127.0.0.1, {@code 0.0.0.0}, {@code ::}. */
    private record Sockets(Set<Long> exact, Set<Long> wildcard4, Set<Long> wildcard6) {
    }

    private static Optional<Sockets> sockets(int port) {
        if (!Files.isReadable(TCP)) {
            return Optional.empty();
        }
        String hexPort = String.format(Locale.ROOT, "%04X", port);
        Sockets sockets = new Sockets(new HashSet<>(), new HashSet<>(), new HashSet<>());
        try {
            List<String> tcp = Files.readAllLines(TCP);
            addListening(tcp, hexPort, IPV4_EXACT, sockets.exact());
            addListening(tcp, hexPort, IPV4_WILDCARD, sockets.wildcard4());
            if (Files.isReadable(TCP6)) {
                List<String> tcp6 = Files.readAllLines(TCP6);
                addListening(tcp6, hexPort, IPV6_EXACT, sockets.exact());
                addListening(tcp6, hexPort, IPV6_WILDCARD, sockets.wildcard6());
            }
        } catch (IOException | UncheckedIOException e) {
            return Optional.empty();
        }
        return Optional.of(sockets);
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
