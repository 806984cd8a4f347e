package dev.bsm.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.api.parallel.Resources;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.Protocol;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.KinesisException;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * moto's wire-format quirks, each against a real moto_server, with clients built by hand (as code under test builds
 * them, without bsm) and through the server's own manager; each quirk's control shows the failure bsm removes.
 */
class MotoQuirksTests {
    /** Above the SDK's threshold for {@code Expect: 100-continue} (1 MiB). */
    private static final byte[] TWO_MIB = new byte[2 * 1024 * 1024];

    private static MotoServer moto;

    @BeforeAll
    static void moto() {
        MotoServerTests.assumeMotoAvailable();
        moto = MotoServer.shared();
    }

    /** A client as a hand-written test builds it: endpoint, region and keys, nothing else. */
    private static <B extends AwsClientBuilder<B, C>, C> C byHand(B builder, URI endpoint) {
        return builder.endpointOverride(endpoint).region(Region.of(moto.region()))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(moto.accessKeyId(),
                        moto.secretAccessKey()))).build();
    }

    private static String bucket() {
        return "quirks-" + UUID.randomUUID();
    }

    // ------------------------------------------------------------------------------ Expect: 100-continue (S3)

    @Test
    void asyncUploadsAboveTheExpectContinueThresholdWorkFromAClientBuiltByHand() throws Exception {
        String bucket = bucket();
        try (S3AsyncClient s3 = byHand(S3AsyncClient.builder().forcePathStyle(true), moto.endpoint())) {
            s3.createBucket(b -> b.bucket(bucket)).get(30, TimeUnit.SECONDS);
            s3.putObject(p -> p.bucket(bucket).key("big"), AsyncRequestBody.fromBytes(TWO_MIB))
                    .get(30, TimeUnit.SECONDS);
            assertThat(s3.headObject(h -> h.bucket(bucket).key("big")).get(30, TimeUnit.SECONDS).contentLength())
                    .isEqualTo(TWO_MIB.length);
        }
    }

    @Test
    void asyncUploadsAboveTheThresholdWorkFromTheServersSession() throws Exception {
        String bucket = bucket();
        S3AsyncClient s3 = moto.session().client(S3AsyncClient.class);
        s3.createBucket(b -> b.bucket(bucket)).get(30, TimeUnit.SECONDS);
        s3.putObject(p -> p.bucket(bucket).key("big"), AsyncRequestBody.fromBytes(TWO_MIB)).get(30, TimeUnit.SECONDS);
        assertThat(s3.headObject(h -> h.bucket(bucket).key("big")).get(30, TimeUnit.SECONDS).contentLength())
                .isEqualTo(TWO_MIB.length);
    }

    /** The control: with the header put back after bsm took it out, moto's two {@code 100 Continue} break the call. */
    @Test
    void withExpectContinueMotoBreaksTheAsyncUpload() throws Exception {
        String bucket = bucket();
        ExecutionInterceptor putBack = new ExecutionInterceptor() {
            @Override
            public SdkHttpRequest modifyHttpRequest(Context.ModifyHttpRequest context, ExecutionAttributes attributes) {
                return context.httpRequest().method().name().equals("PUT") && context.httpRequest()
                        .firstMatchingHeader("Content-Length").filter(length -> Long.parseLong(length) > 1024 * 1024)
                        .isPresent() ? context.httpRequest().toBuilder().putHeader("Expect", "100-continue").build()
                        : context.httpRequest();
            }
        };
        try (S3AsyncClient s3 = byHand(S3AsyncClient.builder().forcePathStyle(true)
                .overrideConfiguration(c -> c.addExecutionInterceptor(putBack)), moto.endpoint())) {
            s3.createBucket(b -> b.bucket(bucket)).get(30, TimeUnit.SECONDS);
            assertThatThrownBy(() -> s3.putObject(p -> p.bucket(bucket).key("big"), AsyncRequestBody.fromBytes(TWO_MIB))
                    .join()).cause().isInstanceOfSatisfying(S3Exception.class,
                            e -> assertThat(e.statusCode()).isEqualTo(100));
        }
    }

    @Test
    void requestsToOtherServersKeepExpectContinue() throws Exception {
        List<String> expects = new CopyOnWriteArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            expects.add(String.valueOf(exchange.getRequestHeaders().getFirst("Expect")));
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
        try (S3Client s3 = byHand(S3Client.builder().forcePathStyle(true),
                URI.create("http://127.0.0.1:" + server.getAddress().getPort()))) {
            s3.putObject(p -> p.bucket("not-moto").key("big"), RequestBody.fromBytes(TWO_MIB));
        } finally {
            server.stop(0);
        }
        assertThat(expects).containsExactly("100-continue");
    }

    // -------------------------------------------------------------------------------------------- CBOR (Kinesis)

    @Test
    void theServersSessionBuilderSpeaksJsonToKinesis() {
        try (var bsm = moto.sessionBuilder().build()) {
            KinesisClient kinesis = bsm.client(KinesisClient.class);
            String stream = "quirks-" + UUID.randomUUID();
            kinesis.createStream(c -> c.streamName(stream).shardCount(1));
            kinesis.putRecord(p -> p.streamName(stream).partitionKey("k").data(SdkBytes.fromUtf8String("hi")));
            assertThat(kinesis.describeStreamSummary(d -> d.streamName(stream)).streamDescriptionSummary()
                    .openShardCount()).isEqualTo(1);
            assertThat(bsm.awscliVariables().get("CBOR_ENABLED")).contains("false");
        }
    }

    @Test
    @ResourceLock(value = Resources.SYSTEM_PROPERTIES, mode = org.junit.jupiter.api.parallel.ResourceAccessMode.READ)
    void aKinesisClientBuiltByHandWithCborFailsWithWhatToDo() {
        try (KinesisClient kinesis = byHand(KinesisClient.builder(), moto.endpoint())) {
            assertThatThrownBy(kinesis::listStreams).isInstanceOfSatisfying(KinesisException.class, e -> {
                assertThat(e.statusCode()).isEqualTo(500);
                assertThat(e.getMessage()).contains("[bsm] moto does not speak CBOR")
                        .contains("aws.cborEnabled=false").contains("MotoServer.session()");
            });
        }
    }

    @Test
    void anExternalEndpointServedByMotoSpeaksJson() {
        try (ExternalEndpoint external = ExternalEndpoint.of(moto.endpoint())) {
            assertThat(external.isMoto()).isTrue();
            assertThat(external.session().awscliVariables().get("CBOR_ENABLED")).contains("false");
        }
    }

    @Test
    void anExternalEndpointThatIsNotMotoKeepsTheSdksFormat() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
        });
        server.start();
        try (ExternalEndpoint external = ExternalEndpoint.of(URI.create("http://127.0.0.1:"
                + server.getAddress().getPort()))) {
            assertThat(external.isMoto()).isFalse();
            try (var bsm = external.sessionBuilder().build()) {
                assertThat(bsm.awscliVariables().variables()).doesNotContainKey("CBOR_ENABLED");
            }
        } finally {
            server.stop(0);
        }
    }

    // ------------------------------------------------------------------------------- HTTP/2 (Kinesis's async client)

    @Test
    @ResourceLock(value = Resources.SYSTEM_PROPERTIES, mode = org.junit.jupiter.api.parallel.ResourceAccessMode.READ)
    void anAsyncKinesisClientOnHttp2FailsWithWhatToDo() {
        try (KinesisAsyncClient kinesis = byHand(KinesisAsyncClient.builder(), moto.endpoint())) {
            assertThatThrownBy(() -> kinesis.listStreams().join()).isInstanceOf(CompletionException.class).cause()
                    .isInstanceOf(SdkClientException.class)
                    .hasMessageContaining("[bsm] moto speaks HTTP/1.1 only")
                    .hasMessageContaining("NettyNioAsyncHttpClient.builder().protocol(Protocol.HTTP1_1)");
        }
    }

    @Test
    @ResourceLock(Resources.SYSTEM_PROPERTIES)
    void theHttpClientTheHintNamesWorks() throws Exception {
        String before = System.getProperty("aws.cborEnabled");
        System.setProperty("aws.cborEnabled", "false"); // as a @WithAwsSession scope on moto sets it
        KinesisAsyncClient kinesis;
        try {
            kinesis = byHand(KinesisAsyncClient.builder()
                    .httpClientBuilder(NettyNioAsyncHttpClient.builder().protocol(Protocol.HTTP1_1)), moto.endpoint());
        } finally {
            if (before == null) {
                System.clearProperty("aws.cborEnabled");
            } else {
                System.setProperty("aws.cborEnabled", before);
            }
        }
        try (kinesis) {
            String stream = "quirks-" + UUID.randomUUID();
            kinesis.createStream(c -> c.streamName(stream).shardCount(1)).get(30, TimeUnit.SECONDS);
            assertThat(kinesis.listStreams().get(30, TimeUnit.SECONDS).streamNames()).contains(stream);
        }
    }
}
