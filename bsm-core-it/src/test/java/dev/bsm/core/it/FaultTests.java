package dev.bsm.core.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.sun.net.httpserver.HttpServer;
import dev.bsm.core.BotoSesManager;
import dev.bsm.testkit.MotoServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.StsException;

/** Faults: the emulator dies or hangs mid-test, credentials expire. A clear error in bounded time, never a hang. */
class FaultTests {

    @Test
    void anEmulatorKilledMidTestGivesAClearErrorQuickly() {
        MotoServer moto = Moto.server();
        MotoServer own = MotoServer.start();
        try (BotoSesManager bsm = BotoSesManager.builder().credentials(own.accessKeyId(), Moto.CANARY_SECRET)
                .region(own.region()).endpointOverride(own.endpoint()).build()) {
            assertThat(bsm.awsAccountId()).isEqualTo(moto.accountId());
            own.close(); // killed mid-test
            assertTimeoutPreemptively(Duration.ofSeconds(20), () -> assertThatThrownBy(
                    () -> bsm.client(StsClient.class).getCallerIdentity())
                    .isInstanceOf(SdkClientException.class)
                    .hasMessageContaining("Unable to execute HTTP request")
                    .hasMessageNotContaining(Moto.CANARY_SECRET));
        } finally {
            own.close();
        }
    }

    @Test
    void aHungEmulatorIsCutOffByTheApiCallTimeout() throws Exception {
        // Accepts connections and never answers: a frozen emulator.
        List<Socket> held = new ArrayList<>();
        try (ServerSocket frozen = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        held.add(frozen.accept());
                    }
                } catch (java.io.IOException closed) {
                    // the test is over
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            try (BotoSesManager bsm = BotoSesManager.builder().credentials("AK", Moto.CANARY_SECRET)
                    .region("us-east-1").endpointOverride(URI.create("http://127.0.0.1:" + frozen.getLocalPort()))
                    .overrideConfiguration(c -> c.apiCallTimeout(Duration.ofSeconds(2))).build()) {
                assertTimeoutPreemptively(Duration.ofSeconds(15), () -> assertThatThrownBy(bsm::awsAccountId)
                        .isInstanceOf(ApiCallTimeoutException.class));
            }
        } finally {
            for (Socket socket : held) {
                socket.close();
            }
        }
    }

    @Test
    void anExpiredSessionsErrorSaysTheCredentialsExpiredAndWhatToDo() throws Exception {
        // moto does not check expiry, so a small HTTP server answers as STS does for an expired session token.
        HttpServer sts = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        sts.createContext("/", exchange -> {
            byte[] body = ("<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error><Type>Sender</Type>"
                    + "<Code>ExpiredToken</Code><Message>The security token included in the request is expired"
                    + "</Message></Error><RequestId>bsm-test</RequestId></ErrorResponse>")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/xml");
            exchange.sendResponseHeaders(400, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        sts.start();
        Instant expiredAt = Instant.now().minusSeconds(60);
        try (BotoSesManager expired = BotoSesManager.builder()
                .credentialsProvider(() -> AwsSessionCredentials.builder().accessKeyId("ASIAEXPIRED")
                        .secretAccessKey(Moto.CANARY_SECRET).sessionToken("token").expirationTime(expiredAt).build())
                .region("us-east-1").endpointOverride(URI.create("http://127.0.0.1:" + sts.getAddress().getPort()))
                .build()) {
            assertThat(expired.isExpired()).isTrue();
            assertThatThrownBy(expired::awsAccountId)
                    .isInstanceOfSatisfying(StsException.class, e -> assertThat(e.awsErrorDetails().errorCode())
                            .isEqualTo("ExpiredToken"))
                    .hasMessageContaining("The security token included in the request is expired")
                    .hasMessageContaining("bsm: this session's credentials expired at " + expiredAt)
                    .hasMessageContaining("autoRefresh(true)")
                    .hasMessageNotContaining(Moto.CANARY_SECRET);
        } finally {
            sts.stop(0);
        }
    }
}
