package dev.bsm.core.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.bsm.core.BotoSesManager;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.api.parallel.Resources;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.apigatewayv2.ApiGatewayV2Client;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * The manager's own HTTP client (URLConnection, with Apache 5 for PATCH and {@code Expect: 100-continue}, trust
 * store loaded on the first handshake) keeps every behaviour of the SDK's default: typed errors for refused
 * uploads, and TLS verified exactly as the JDK does, on both of its clients. moto cannot refuse an upload before
 * its body nor serve TLS with a certificate of ours, so small local servers answer as the services do; the SDK and
 * its HTTP clients are real.
 */
class RoutingHttpClientTests {
    private static final String ACCOUNT = "111122223333";
    private static final String STS_IDENTITY = "<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/"
            + "2011-06-15/\"><GetCallerIdentityResult><Arn>arn:aws:iam::" + ACCOUNT + ":user/tls</Arn>"
            + "<UserId>AIDATLSTEST</UserId><Account>" + ACCOUNT + "</Account></GetCallerIdentityResult>"
            + "<ResponseMetadata><RequestId>bsm-test</RequestId></ResponseMetadata></GetCallerIdentityResponse>";

    /** S3 asks for {@code 100 Continue} above 1 MiB. */
    private static final byte[] UPLOAD = new byte[2 << 20];

    @TempDir
    static Path keys;

    @BeforeAll
    static void certificates() throws Exception {
        // The first HttpsURLConnection of the JVM makes the JDK's default SSL context from the trust store
        // properties of that moment, for good: make it now, before a test sets them.
        SSLContext.getDefault();
        // A certificate for this host, one for another name, and a trust store holding both.
        keytool("-genkeypair", "-alias", "localhost", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "2",
                "-keystore", keys.resolve("localhost.p12").toString(), "-storetype", "PKCS12",
                "-storepass", "changeit");
        keytool("-genkeypair", "-alias", "other", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=bsm.invalid", "-ext", "SAN=dns:bsm.invalid", "-validity", "2",
                "-keystore", keys.resolve("other.p12").toString(), "-storetype", "PKCS12", "-storepass", "changeit");
        for (String name : List.of("localhost", "other")) {
            keytool("-exportcert", "-rfc", "-alias", name, "-keystore", keys.resolve(name + ".p12").toString(),
                    "-storepass", "changeit", "-file", keys.resolve(name + ".pem").toString());
            keytool("-importcert", "-noprompt", "-alias", name, "-file", keys.resolve(name + ".pem").toString(),
                    "-keystore", keys.resolve("trust.p12").toString(), "-storetype", "PKCS12",
                    "-storepass", "changeit");
        }
    }

    @Test
    void anUploadRefusedBeforeItsBodyGivesTheServicesTypedError() throws Exception {
        List<String> requestHeads = new CopyOnWriteArrayList<>();
        try (RefusingServer server = new RefusingServer(requestHeads);
                BotoSesManager bsm = manager(URI.create("http://127.0.0.1:" + server.port()), b -> { })) {
            assertThatThrownBy(() -> bsm.client(S3Client.class).putObject(p -> p.bucket("bucket").key("key"),
                    RequestBody.fromBytes(UPLOAD)))
                    .isInstanceOfSatisfying(S3Exception.class, e -> {
                        assertThat(e.statusCode()).isEqualTo(403);
                        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
                    });
            assertThat(requestHeads).first().asString().startsWith("PUT /bucket/key")
                    .containsIgnoringCase("expect: 100-continue");

            // Why it goes to Apache 5: the URLConnection client alone loses the service's error code.
            try (UrlConnectionHttpClient urlConnection = (UrlConnectionHttpClient) UrlConnectionHttpClient.create();
                    BotoSesManager plain = manager(URI.create("http://127.0.0.1:" + server.port()),
                            b -> b.httpClient(urlConnection))) {
                assertThatThrownBy(() -> plain.client(S3Client.class).putObject(p -> p.bucket("bucket").key("key"),
                        RequestBody.fromBytes(UPLOAD)))
                        .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.awsErrorDetails().errorCode())
                                .as("URLConnection drops the body of an answer to Expect: 100-continue")
                                .isNotEqualTo("AccessDenied"));
            }
        }
    }

    @Test
    @ResourceLock(value = Resources.SYSTEM_PROPERTIES, mode = ResourceAccessMode.READ)
    void anUntrustedCertificateIsRefusedByBothClients() throws Exception {
        try (TlsServer server = new TlsServer("localhost.p12");
                BotoSesManager bsm = manager(server.endpoint(), b -> { })) {
            assertHandshakeRefused(() -> bsm.client(StsClient.class).getCallerIdentity(),
                    "unable to find valid certification path");
            assertHandshakeRefused(() -> bsm.client(ApiGatewayV2Client.class).updateApi(u -> u.apiId("a").name("b")),
                    "unable to find valid certification path");
            assertThat(server.requests()).as("no request may reach an untrusted server").isZero();
        }
    }

    @Test
    @ResourceLock(Resources.SYSTEM_PROPERTIES)
    void aCertificateTrustedThroughTheJdksPropertiesIsAcceptedOnlyForItsOwnName() throws Exception {
        // Set after the managers exist: the trust store is read on the first handshake, as the JDK reads it.
        try (TlsServer server = new TlsServer("localhost.p12");
                TlsServer otherName = new TlsServer("other.p12");
                BotoSesManager bsm = manager(server.endpoint(), b -> { });
                BotoSesManager wrongName = manager(otherName.endpoint(), b -> { });
                SystemProperties trusted = SystemProperties.trustStore(keys.resolve("trust.p12"))) {
            assertThat(bsm.client(StsClient.class).getCallerIdentity().account()).isEqualTo(ACCOUNT);
            assertThat(bsm.client(ApiGatewayV2Client.class).updateApi(u -> u.apiId("a").name("after")).name())
                    .isEqualTo("after");
            assertThat(server.requests()).isEqualTo(2);

            assertHandshakeRefused(() -> wrongName.client(StsClient.class).getCallerIdentity(),
                    "No subject alternative");
            // Apache 5 checks the name itself, after the handshake.
            assertHandshakeRefused(() -> wrongName.client(ApiGatewayV2Client.class)
                    .updateApi(u -> u.apiId("a").name("b")), "localhost");
            assertThat(otherName.requests()).isZero();
        }
    }

    @Test
    @ResourceLock(Resources.SYSTEM_PROPERTIES)
    void aProxyOnlyTheJdkReadsIsIgnoredAsTheSdksDefaultClientIgnoresIt() throws Exception {
        // The SDK's clients read http.proxyHost and HTTP_PROXY; https.proxyHost is the JDK's alone.
        URI unresolvable = URI.create("https://aws.bsm-test.invalid");
        try (RefusingServer proxy = new RefusingServer(new CopyOnWriteArrayList<>());
                SystemProperties jdkProxy = new SystemProperties(Map.of("https.proxyHost", "127.0.0.1",
                        "https.proxyPort", String.valueOf(proxy.port())));
                BotoSesManager bsm = manager(unresolvable, b -> { })) {
            assertThatThrownBy(() -> bsm.client(StsClient.class).getCallerIdentity())
                    .isInstanceOf(SdkClientException.class);
            assertThatThrownBy(() -> bsm.client(ApiGatewayV2Client.class).updateApi(u -> u.apiId("a").name("b")))
                    .isInstanceOf(SdkClientException.class);
            assertThat(proxy.connections()).as("connections to the JDK-only proxy").isZero();

            // Why it matters: the URLConnection client alone would have gone through it.
            try (UrlConnectionHttpClient urlConnection = (UrlConnectionHttpClient) UrlConnectionHttpClient.create();
                    BotoSesManager plain = manager(unresolvable, b -> b.httpClient(urlConnection))) {
                assertThatThrownBy(() -> plain.client(StsClient.class).getCallerIdentity())
                        .isInstanceOf(SdkClientException.class);
            }
            assertThat(proxy.connections()).as("connections of the URLConnection client alone").isEqualTo(1);
        }
    }

    @Test
    @ResourceLock(Resources.SYSTEM_PROPERTIES)
    void aProxyTheSdkReadsCarriesEveryRequest() throws Exception {
        List<String> hosts = new CopyOnWriteArrayList<>();
        HttpServer proxy = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        proxy.createContext("/", exchange -> {
            hosts.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getHost());
            answer(exchange);
        });
        proxy.start();
        try (SystemProperties sdkProxy = new SystemProperties(Map.of("http.proxyHost", "127.0.0.1",
                        "http.proxyPort", String.valueOf(proxy.getAddress().getPort())));
                BotoSesManager bsm = manager(URI.create("http://aws.bsm-test.invalid"), b -> { })) {
            assertThat(bsm.client(StsClient.class).getCallerIdentity().account()).isEqualTo(ACCOUNT);
            assertThat(bsm.client(ApiGatewayV2Client.class).updateApi(u -> u.apiId("a").name("after")).name())
                    .isEqualTo("after");
            assertThat(hosts).containsExactly("POST aws.bsm-test.invalid", "PATCH aws.bsm-test.invalid");
        } finally {
            proxy.stop(0);
        }
    }

    @Test
    void aClientKeptAfterItsManagerIsClosedFailsAndBuildsNothing() throws Exception {
        try (RefusingServer server = new RefusingServer(new CopyOnWriteArrayList<>())) {
            BotoSesManager bsm = manager(URI.create("http://127.0.0.1:" + server.port()), b -> { });
            StsClient sts = bsm.client(StsClient.class);
            ApiGatewayV2Client apis = bsm.client(ApiGatewayV2Client.class);
            bsm.close();
            for (Runnable call : List.<Runnable>of(sts::getCallerIdentity, () -> apis.updateApi(u -> u.apiId("a")))) {
                assertThatThrownBy(call::run)
                        .satisfies(e -> assertThat(Causes.of(e)).anySatisfy(cause -> assertThat(cause)
                                .isInstanceOf(IllegalStateException.class)
                                .hasMessageContaining("closed BotoSesManager")));
            }
            assertThat(server.connections()).isZero();
        }
    }

    private static void assertHandshakeRefused(Runnable call, String reason) {
        assertThatThrownBy(call::run)
                .isInstanceOf(SdkClientException.class)
                .satisfies(e -> assertThat(Causes.of(e)).anySatisfy(cause -> assertThat(cause)
                        .isInstanceOf(SSLException.class)))
                .satisfies(e -> assertThat(Causes.of(e)).anySatisfy(cause -> assertThat(String.valueOf(
                        cause.getMessage())).contains(reason)));
    }

    private static BotoSesManager manager(URI endpoint, Consumer<BotoSesManager.Builder> more) {
        BotoSesManager.Builder builder = BotoSesManager.builder()
                .credentials("AKIDBSMHTTPTEST", Moto.CANARY_SECRET)
                .region("us-east-1")
                .endpointOverride(endpoint)
                // One attempt: a refused handshake is retried by the SDK's default policy, to no purpose here.
                .overrideConfiguration(c -> c.retryStrategy(r -> r.maxAttempts(1)));
        more.accept(builder);
        return builder.build();
    }

    private static void keytool(String... arguments) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("keytool %s: %s", arguments[0], output).isZero();
    }

    /** Answers STS's GetCallerIdentity (POST) or API Gateway's UpdateApi (PATCH). */
    private static void answer(HttpExchange exchange) throws IOException {
        exchange.getRequestBody().readAllBytes();
        boolean patch = exchange.getRequestMethod().equals("PATCH");
        byte[] body = (patch ? "{\"apiId\":\"a\",\"name\":\"after\"}" : STS_IDENTITY).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", patch ? "application/json" : "text/xml");
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    /** HTTPS with the given key store; answers STS's GetCallerIdentity and API Gateway's UpdateApi (PATCH). */
    private static final class TlsServer implements AutoCloseable {
        private final HttpsServer server;
        private final AtomicInteger requests = new AtomicInteger();

        TlsServer(String keyStore) throws Exception {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(RoutingHttpClientTests.keys.resolve(keyStore))) {
                keys.load(in, "changeit".toCharArray());
            }
            KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keyManagers.init(keys, "changeit".toCharArray());
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(keyManagers.getKeyManagers(), null, null);
            server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.setHttpsConfigurator(new HttpsConfigurator(tls));
            server.createContext("/", exchange -> {
                requests.incrementAndGet();
                answer(exchange);
            });
            server.start();
        }

        URI endpoint() {
            return URI.create("https://localhost:" + server.getAddress().getPort());
        }

        int requests() {
            return requests.get();
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    /**
     * Answers every request with S3's 403 AccessDenied as soon as its head has arrived, without a
     * {@code 100 Continue} and without reading the body, as S3 does for an upload it refuses.
     */
    private static final class RefusingServer implements AutoCloseable {
        private static final byte[] ERROR = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>AccessDenied"
                + "</Code><Message>Access Denied</Message><RequestId>bsm-test</RequestId></Error>")
                .getBytes(StandardCharsets.UTF_8);
        private final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        private final AtomicInteger connections = new AtomicInteger();
        private final Thread acceptor;

        RefusingServer(List<String> requestHeads) throws IOException {
            acceptor = new Thread(() -> {
                while (!socket.isClosed()) {
                    try (Socket connection = socket.accept()) {
                        connections.incrementAndGet();
                        requestHeads.add(readHead(connection.getInputStream()));
                        OutputStream out = connection.getOutputStream();
                        out.write(("HTTP/1.1 403 Forbidden\r\nContent-Type: application/xml\r\nContent-Length: "
                                + ERROR.length + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                        out.write(ERROR);
                        out.flush();
                    } catch (IOException e) {
                        // closed, or the client went away: the test's assertions say what matters
                    }
                }
            }, "bsm-refusing-server");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        private static String readHead(InputStream in) throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            int matched = 0;
            byte[] end = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
            while (matched < end.length) {
                int next = in.read();
                if (next < 0) {
                    break;
                }
                head.write(next);
                matched = next == end[matched] ? matched + 1 : (next == end[0] ? 1 : 0);
            }
            return head.toString(StandardCharsets.US_ASCII);
        }

        int port() {
            return socket.getLocalPort();
        }

        int connections() {
            return connections.get();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
