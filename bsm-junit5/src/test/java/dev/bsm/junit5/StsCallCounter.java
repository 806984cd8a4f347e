package dev.bsm.junit5;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Counts every API call any SDK client of this test JVM sends, per operation. Registered for all clients through
 * the SDK's global interceptor file {@code software/amazon/awssdk/global/handlers/execution.interceptors}.
 */
public final class StsCallCounter implements ExecutionInterceptor {
    private static final Map<String, AtomicInteger> CALLS = new ConcurrentHashMap<>();

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        CALLS.computeIfAbsent(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME),
                k -> new AtomicInteger()).incrementAndGet();
    }

    static int count(String operation) {
        AtomicInteger count = CALLS.get(operation);
        return count == null ? 0 : count.get();
    }
}
