package dev.bsm.core.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bsm.core.BotoSesManager;
import dev.bsm.testkit.MotoServer;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.apigatewayv2.ApiGatewayV2Client;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.utils.SdkAutoCloseable;

class ClientsTests {
    private final CallCounter counter = new CallCounter();
    private BotoSesManager bsm;
    private MotoServer moto;

    @BeforeEach
    void managerOnFreshMoto() {
        bsm = Moto.freshManager(counter);
        moto = Moto.server();
    }

    @AfterEach
    void close() {
        if (bsm != null) { // null when @BeforeEach aborted: no emulator
            bsm.close();
        }
    }

    @Test
    void syncAsyncAndPresignerClientsAllGoToTheEndpointWithPathStyleS3() throws Exception {
        S3Client s3 = bsm.client(S3Client.class);
        s3.createBucket(b -> b.bucket("bsm-bucket"));
        s3.putObject(p -> p.bucket("bsm-bucket").key("sync.txt"), RequestBody.fromString("from sync"));

        S3AsyncClient async = bsm.client(S3AsyncClient.class);
        async.putObject(p -> p.bucket("bsm-bucket").key("async.txt"), AsyncRequestBody.fromString("from async"))
                .get(30, TimeUnit.SECONDS);
        assertThat(s3.getObject(g -> g.bucket("bsm-bucket").key("async.txt"), ResponseTransformer.toBytes())
                .asUtf8String()).isEqualTo("from async");

        URL presigned = bsm.client(S3Presigner.class).presignGetObject(p -> p
                .signatureDuration(Duration.ofMinutes(5))
                .getObjectRequest(g -> g.bucket("bsm-bucket").key("sync.txt"))).url();
        assertThat(presigned.toString()).startsWith(moto.endpoint() + "/bsm-bucket/sync.txt");
        HttpURLConnection connection = (HttpURLConnection) presigned.openConnection();
        assertThat(new String(connection.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
                .isEqualTo("from sync");

        assertThat(bsm.client(SqsClient.class).createQueue(q -> q.queueName("bsm-queue")).queueUrl())
                .contains("bsm-queue");
    }

    @Test
    void theRoutingHttpClientSendsPatch() {
        // API Gateway v2's UpdateApi is an HTTP PATCH, which URLConnection-based clients cannot send.
        ApiGatewayV2Client apis = bsm.client(ApiGatewayV2Client.class);
        String id = apis.createApi(a -> a.name("before").protocolType("HTTP")).apiId();
        assertThat(apis.updateApi(u -> u.apiId(id).name("after")).name()).isEqualTo("after");
    }

    @Test
    void closingOneClientBreaksNeitherTheSharedHttpClientNorTheCredentials() {
        AtomicBoolean providerClosed = new AtomicBoolean();
        class CloseableProvider implements AwsCredentialsProvider, SdkAutoCloseable {
            @Override
            public AwsCredentials resolveCredentials() {
                return AwsBasicCredentials.create(moto.accessKeyId(), moto.secretAccessKey());
            }

            @Override
            public void close() {
                providerClosed.set(true);
            }
        }
        CloseableProvider provider = new CloseableProvider();
        try (BotoSesManager custom = BotoSesManager.builder().credentialsProvider(provider).region(moto.region())
                .endpointOverride(moto.endpoint()).build()) {
            StsClient sts = custom.client(StsClient.class);
            sts.getCallerIdentity();
            sts.close(); // a user closing a cached client by mistake

            assertThat(custom.client(IamClient.class).listAccountAliases().accountAliases()).isEmpty();
            assertThat(providerClosed).as("the SDK closed the manager's provider with the client").isFalse();
        }
        assertThat(providerClosed).as("a provider the caller passed in is the caller's to close").isFalse();
    }
}
