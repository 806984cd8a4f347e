package dev.bsm.bench.manyservices;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A proxy on a loopback port in front of the emulator that counts the TCP connections clients open to it. Its
 * threads are named {@value #THREAD_PREFIX}..., so thread counts can leave them out.
 *
 * <p>moto_server (Werkzeug's development server) answers every request with {@code Connection: close}, so against
 * moto itself every call opens a connection whatever the client does. In {@link Mode#KEEP_ALIVE} the proxy
 * speaks HTTP/1.1 keep-alive to the clients, as LocalStack and AWS do, and sends each request to moto on a
 * connection of its own: then the count shows how many connections the clients' pools open. In
 * {@link Mode#TRANSPARENT} it only copies bytes, so the count is what moto itself sees.
 */
final class CountingProxy implements AutoCloseable {
    static final String THREAD_PREFIX = "bench-proxy";

    enum Mode { TRANSPARENT, KEEP_ALIVE }

    private final ServerSocket server;
    private final InetSocketAddress target;
    private final Mode mode;
    private final AtomicInteger accepted = new AtomicInteger();
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();

    CountingProxy(URI target, Mode mode) {
        this.target = new InetSocketAddress(target.getHost(), target.getPort());
        this.mode = mode;
        try {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread acceptor = new Thread(this::acceptLoop, THREAD_PREFIX + "-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort());
    }

    /** @return connections accepted since the last reset */
    int accepted() {
        return accepted.get();
    }

    void resetCount() {
        accepted.set(0);
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                accepted.incrementAndGet();
                open.add(client);
                if (mode == Mode.TRANSPARENT) {
                    Socket upstream = new Socket(target.getAddress(), target.getPort());
                    open.add(upstream);
                    start(() -> pump(client, upstream));
                    start(() -> pump(upstream, client));
                } else {
                    start(() -> keepAlive(client));
                }
            } catch (IOException e) {
                if (!server.isClosed()) {
                    e.printStackTrace();
                }
            }
        }
    }

    private static void start(Runnable task) {
        Thread thread = new Thread(task, THREAD_PREFIX + "-connection");
        thread.setDaemon(true);
        thread.start();
    }

    private void pump(Socket from, Socket to) {
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException ignored) {
            // the other side closed
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    /** Serves requests on one client connection, each through a fresh upstream connection, until the client closes. */
    private void keepAlive(Socket client) {
        try (client) {
            InputStream in = client.getInputStream();
            OutputStream out = client.getOutputStream();
            while (true) {
                String head = readHead(in);
                if (head == null) {
                    return;
                }
                StringBuilder forwarded = new StringBuilder();
                long contentLength = 0;
                boolean expectContinue = false;
                for (String line : head.split("\r\n")) {
                    String lower = line.toLowerCase(Locale.ROOT);
                    if (lower.startsWith("content-length:")) {
                        contentLength = Long.parseLong(line.substring(15).trim());
                    } else if (lower.startsWith("transfer-encoding:")) {
                        throw new IOException("chunked request bodies are not supported by this proxy");
                    } else if (lower.startsWith("expect:")) {
                        expectContinue = true;
                        continue;
                    } else if (lower.startsWith("connection:")) {
                        continue;
                    }
                    forwarded.append(line).append("\r\n");
                }
                forwarded.append("Connection: close\r\n\r\n");
                if (expectContinue) {
                    out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                }
                byte[] body = in.readNBytes((int) contentLength);
                byte[] response;
                try (Socket upstream = new Socket(target.getAddress(), target.getPort())) {
                    OutputStream up = upstream.getOutputStream();
                    up.write(forwarded.toString().getBytes(StandardCharsets.ISO_8859_1));
                    up.write(body);
                    up.flush();
                    response = upstream.getInputStream().readAllBytes(); // moto closes after the response
                }
                out.write(keepAliveResponse(response, head.startsWith("HEAD ")));
                out.flush();
            }
        } catch (IOException ignored) {
            // the client went away
        } finally {
            open.remove(client);
        }
    }

    /** The response with {@code Connection: close} dropped and a length the client can frame it by. */
    private static byte[] keepAliveResponse(byte[] response, boolean head) throws IOException {
        int end = indexOf(response, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        if (end < 0) {
            throw new IOException("no response head from the emulator");
        }
        String responseHead = new String(response, 0, end, StandardCharsets.ISO_8859_1);
        int bodyStart = end + 4;
        StringBuilder rewritten = new StringBuilder();
        boolean framed = false;
        for (String line : responseHead.split("\r\n")) {
            String lower = line.toLowerCase(Locale.ROOT);
            if (lower.startsWith("connection:")) {
                continue;
            }
            if (lower.startsWith("content-length:") || lower.startsWith("transfer-encoding:")) {
                framed = true;
            }
            rewritten.append(line).append("\r\n");
        }
        if (!framed && !head) {
            rewritten.append("Content-Length: ").append(response.length - bodyStart).append("\r\n");
        }
        rewritten.append("Connection: keep-alive\r\n\r\n");
        ByteArrayOutputStream result = new ByteArrayOutputStream();
        result.write(rewritten.toString().getBytes(StandardCharsets.ISO_8859_1));
        result.write(response, bodyStart, response.length - bodyStart);
        return result.toByteArray();
    }

    /** @return the request head without the blank line, or null at the end of the stream */
    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        int b;
        while ((b = in.read()) >= 0) {
            head.write(b);
            matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3))
                    ? matched + 1 : (b == '\r' ? 1 : 0);
            if (matched == 4) {
                byte[] bytes = head.toByteArray();
                return new String(bytes, 0, bytes.length - 4, StandardCharsets.ISO_8859_1);
            }
        }
        return null;
    }

    private static int indexOf(byte[] data, byte[] pattern) {
        outer:
        for (int i = 0; i + pattern.length <= data.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (data[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private void closeQuietly(Socket socket) {
        open.remove(socket);
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // closing
        }
        open.forEach(this::closeQuietly);
    }
}
