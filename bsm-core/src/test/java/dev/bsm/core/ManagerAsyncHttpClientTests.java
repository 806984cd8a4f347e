package dev.bsm.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.async.AsyncExecuteRequest;
import software.amazon.awssdk.http.async.SdkAsyncHttpClient;
import software.amazon.awssdk.http.async.SdkAsyncHttpResponseHandler;

class ManagerAsyncHttpClientTests {
    @Test
    void sendsThroughItsClientUntilClosedThenFailsSayingTheManagerIsClosed() {
        AtomicInteger sent = new AtomicInteger();
        AtomicBoolean delegateClosed = new AtomicBoolean();
        ManagerAsyncHttpClient client = new ManagerAsyncHttpClient(new SdkAsyncHttpClient() {
            @Override
            public CompletableFuture<Void> execute(AsyncExecuteRequest request) {
                sent.incrementAndGet();
                return CompletableFuture.completedFuture(null);
            }

            @Override
            public String clientName() {
                return "Fake";
            }

            @Override
            public void close() {
                delegateClosed.set(true);
            }
        });
        List<Throwable> reported = new ArrayList<>();
        assertThat(client.execute(request(reported))).isCompleted();
        assertThat(client.clientName()).isEqualTo("Fake");

        client.close();
        assertThat(delegateClosed).isTrue();
        CompletableFuture<Void> afterClose = client.execute(request(reported));
        assertThatThrownBy(afterClose::get).isInstanceOf(ExecutionException.class).cause()
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("The async HTTP client of a closed BotoSesManager was used: a client was kept after its"
                        + " manager was closed. Get clients from an open manager.");
        Throwable failure = afterClose.handle((ignored, e) -> e).join();
        assertThat(reported).as("the response handler is told too, as an async HTTP client tells it")
                .singleElement().isSameAs(failure);
        assertThat(sent).hasValue(1);
    }

    private static AsyncExecuteRequest request(List<Throwable> reported) {
        return AsyncExecuteRequest.builder()
                .request(SdkHttpRequest.builder().method(SdkHttpMethod.GET).uri(URI.create("http://localhost"))
                        .build())
                // A proxy: the handler's onStream takes a Reactive Streams type bsm does not depend on.
                .responseHandler((SdkAsyncHttpResponseHandler) Proxy.newProxyInstance(
                        SdkAsyncHttpResponseHandler.class.getClassLoader(),
                        new Class<?>[] {SdkAsyncHttpResponseHandler.class}, (proxy, method, arguments) -> {
                            switch (method.getName()) {
                                case "onError" -> reported.add((Throwable) arguments[0]);
                                case "hashCode" -> {
                                    return System.identityHashCode(proxy);
                                }
                                case "equals" -> {
                                    return proxy == arguments[0];
                                }
                                case "toString" -> {
                                    return "RecordingHandler";
                                }
                                default -> {
                                    // onHeaders, onStream: nothing is sent
                                }
                            }
                            return null;
                        }))
                .build();
    }
}
