package dev.bsm.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
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
        try (ServerSocket socket = listen("0.0.0.0")) {
            assertThat(PortListeners.holder(socket.getLocalPort(), List.of()))
                    .isEqualTo(PortListeners.Holder.OTHER);
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
