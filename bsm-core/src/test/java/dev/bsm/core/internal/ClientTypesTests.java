package dev.bsm.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.awscore.AwsClient;
import software.amazon.awssdk.awscore.presigner.SdkPresigner;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.sts.StsAsyncClient;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.StsClientBuilder;

/** What counts as a client type: what {@code client(Class)} builds and bsm-junit5 injects. */
class ClientTypesTests {

    /** A user's interface that looks like a client but has no builder: bsm cannot build it. */
    interface FooClient extends SdkClient {
    }

    /** An interface with a static builder() that is not an SDK type. */
    interface NotAClient {
        static StsClientBuilder builder() {
            return StsClient.builder();
        }
    }

    /** A presigner of one's own with no builder. */
    interface OwnPresigner extends SdkPresigner {
    }

    @ParameterizedTest
    @ValueSource(classes = {StsClient.class, StsAsyncClient.class, IamClient.class})
    void generatedServiceInterfacesAreClientTypes(Class<?> type) {
        assertThat(ClientTypes.isClientType(type)).isTrue();
        assertThat(ClientTypes.builder(type)).isPresent();
    }

    @ParameterizedTest
    @ValueSource(classes = {SdkClient.class, AwsClient.class, SdkPresigner.class, FooClient.class, OwnPresigner.class,
        NotAClient.class, StsClientBuilder.class, String.class, Runnable.class, Object.class})
    void rootsUnbuildableInterfacesAndOtherTypesAreNot(Class<?> type) {
        assertThat(ClientTypes.isClientType(type)).isFalse();
    }

    @Test
    void anImplementationClassIsNot() throws ClassNotFoundException {
        Class<?> implementation = Class.forName("software.amazon.awssdk.services.sts.DefaultStsClient");
        assertThat(StsClient.class).isAssignableFrom(implementation);
        assertThat(ClientTypes.isClientType(implementation)).isFalse();
    }

    @Test
    void nullIsNot() {
        assertThat(ClientTypes.isClientType(null)).isFalse();
    }
}
