package dev.bsm.core.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpFullRequest;

/** Counts the API calls that really went out, per operation, and keeps the request bodies as sent. */
final class CallCounter implements ExecutionInterceptor {
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    private final List<String> bodies = new CopyOnWriteArrayList<>();

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        calls.computeIfAbsent(operation, k -> new AtomicInteger()).incrementAndGet();
        Optional<ContentStreamProvider> content = context.requestBody().map(RequestBody::contentStreamProvider)
                .or(() -> context.httpRequest() instanceof SdkHttpFullRequest full
                        ? full.contentStreamProvider() : Optional.empty());
        content.ifPresent(body -> {
            try (InputStream in = body.newStream()) {
                bodies.add(operation + " " + new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    int count(String operation) {
        AtomicInteger count = calls.get(operation);
        return count == null ? 0 : count.get();
    }

    /** @return the form bodies sent for the operation, e.g. {@code Action=AssumeRole&RoleArn=...} */
    List<String> bodies(String operation) {
        return bodies.stream().filter(b -> b.startsWith(operation + " "))
                .map(b -> b.substring(operation.length() + 1)).toList();
    }
}
