package dev.bsm.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link PortListeners} on this JVM's own sockets; Linux only (elsewhere it answers UNKNOWN, checked once). */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class PortListenersTests {

    @BeforeEach
    void needsProcNetTcp() {
        assumeTrue(Files.isReadable(Path.of("/proc/net/tcp")), "needs Linux's /proc/net/tcp");
    }

    @Test
    void aLoopbackListenerOfThisJvmIsOursAndNotAnotherProcesss() throws Exception {
        try (ServerSocket socket = listen("127.0.0.1")) {
            int port = socket.getLocalPort();
            assertThat(PortListeners.listening(port)).hasValueSatisfying(inodes -> assertThat(inodes).hasSize(1));
            assertThat(PortListeners.holder(port, List.of(ProcessHandle.current())))
                    .isEqualTo(PortListeners.Holder.OURS);
            Process other = new ProcessBuilder("sleep", "30").start();
            try {
                assertThat(PortListeners.holder(port, List.of(other.toHandle())))
                        .isEqualTo(PortListeners.Holder.OTHER);
                assertThat(PortListeners.holder(port, List.of())).isEqualTo(PortListeners.Holder.OTHER);
            } finally {
                other.destroyForcibly();
            }
        }
    }

    @Test
    void aWildcardListenerCountsBecauseItAcceptsLoopbackConnections() throws Exception {
        try (PythonListener ipv4 = PythonListener.start("socket.AF_INET", "0.0.0.0", false)) {
            assertThat(PortListeners.holder(ipv4.port, List.of())).isEqualTo(PortListeners.Holder.OTHER);
            assertThat(PortListeners.holder(ipv4.port, List.of(ipv4.process.toHandle())))
                    .isEqualTo(PortListeners.Holder.OURS);
        }
        try (ServerSocket socket = listen("0.0.0.0")) {
            // Java listens on [::] for 0.0.0.0 where it has IPv6: dual-stack, which the tables do not tell.
            assertThat(PortListeners.holder(socket.getLocalPort(), List.of()))
                    .isIn(PortListeners.Holder.OTHER, PortListeners.Holder.UNSURE);
        }
    }

    @Test
    void aListenerOnAnotherLoopbackAddressOrAClosedOneDoesNotCount() throws Exception {
        int port;
        try (ServerSocket socket = listen("127.0.0.2")) {
            port = socket.getLocalPort();
            assertThat(PortListeners.holder(port, List.of())).as("127.0.0.2 does not answer 127.0.0.1")
                    .isEqualTo(PortListeners.Holder.NONE);
        }
        try (ServerSocket socket = listen("127.0.0.1")) {
            port = socket.getLocalPort();
        }
        assertThat(PortListeners.holder(port, List.of(ProcessHandle.current()))).isEqualTo(PortListeners.Holder.NONE);
    }

    @Test
    void aV6onlyWildcardListenerOfAnotherProcessDoesNotTakeOurLoopbackListenersConnections() throws Exception {
        try (PythonListener other = PythonListener.start("socket.AF_INET6", "::", true);
                ServerSocket ours = new ServerSocket()) {
            ours.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), other.port));
            // The kernel gives a connection to 127.0.0.1:PORT to a listener bound to exactly that address before
            // any wildcard one, and never to an IPV6_V6ONLY one.
            try (Socket client = new Socket(InetAddress.getByName("127.0.0.1"), other.port);
                    Socket accepted = ours.accept()) {
                assertThat(accepted.getPort()).isEqualTo(client.getLocalPort());
            }
            assertThat(PortListeners.holder(other.port, List.of(ProcessHandle.current())))
                    .as("127.0.0.1:%d ours, [::]:%d v6only of pid %d", other.port, other.port, other.process.pid())
                    .isEqualTo(PortListeners.Holder.OURS);
        }
    }

    @Test
    void anotherProcesssIpv6WildcardListenerAloneLeavesTheHolderUnsure() throws Exception {
        try (PythonListener other = PythonListener.start("socket.AF_INET6", "::", true)) {
            // Whether it is v6only /proc does not tell: it may take the connections, or not.
            assertThat(PortListeners.holder(other.port, List.of(ProcessHandle.current())))
                    .isEqualTo(PortListeners.Holder.UNSURE);
            assertThat(PortListeners.listening(other.port)).hasValueSatisfying(inodes -> assertThat(inodes)
                    .hasSize(1));
        }
        try (ServerSocket dualStack = listen("::")) {
            assertThat(PortListeners.holder(dualStack.getLocalPort(), List.of()))
                    .isEqualTo(PortListeners.Holder.UNSURE);
            assertThat(PortListeners.holder(dualStack.getLocalPort(), List.of(ProcessHandle.current())))
                    .isEqualTo(PortListeners.Holder.OURS);
        }
    }

    /** Another process listening on a free port (Python, which can set {@code IPV6_V6ONLY}; Java cannot). */
    static final class PythonListener implements AutoCloseable {
        final Process process;
        final int port;

        private PythonListener(Process process, int port) {
            this.process = process;
            this.port = port;
        }

        /** @param family {@code socket.AF_INET} or {@code socket.AF_INET6} */
        static PythonListener start(String family, String address, boolean v6only) throws IOException {
            assumeTrue(family.endsWith("INET") || Files.isReadable(Path.of("/proc/net/tcp6")), "needs IPv6");
            Process process;
            try {
                process = new ProcessBuilder("python3", "-c", String.join("\n",
                        "import socket, sys",
                        "s = socket.socket(" + family + ")",
                        v6only ? "s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)" : "",
                        "s.bind(('" + address + "', 0)); s.listen()",
                        "print(s.getsockname()[1], flush=True)",
                        "sys.stdin.read()"))
                        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            } catch (IOException e) {
                assumeTrue(false, "needs python3: " + e.getMessage());
                throw e;
            }
            String line = new java.io.BufferedReader(new java.io.InputStreamReader(process.getInputStream(),
                    java.nio.charset.StandardCharsets.US_ASCII)).readLine();
            if (line == null || !line.strip().matches("\\d+")) {
                process.destroyForcibly();
                assumeTrue(false, "python3 could not listen on " + address + (v6only ? " with IPV6_V6ONLY" : ""));
            }
            return new PythonListener(process, Integer.parseInt(line.strip()));
        }

        @Override
        public void close() {
            process.destroyForcibly();
        }
    }

    @Test
    void socketInodesOfAGoneProcessAreEmpty() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        assertThat(gone.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(PortListeners.socketInodes(gone.pid())).isEmpty();
    }

    private static ServerSocket listen(String address) throws IOException {
        ServerSocket socket = new ServerSocket();
        socket.bind(new InetSocketAddress(InetAddress.getByName(address), 0));
        return socket;
    }
}
