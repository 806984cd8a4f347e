package dev.bsm.bench;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Counts every API call that any SDK client of this JVM sends, per operation name ({@code GetCallerIdentity},
 * {@code AssumeRole}, ...). Registered for all clients through the SDK's global interceptor file
 * {@code software/amazon/awssdk/global/handlers/execution.interceptors} in this jar, so it also sees the clients
 * that bsm-junit5 builds. Its cost (one map lookup and one increment per call) is the same for every variant.
 */
public final class CallCounter implements ExecutionInterceptor {
    private static final Map<String, AtomicLong> CALLS = new ConcurrentHashMap<>();

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        CALLS.computeIfAbsent(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME),
                k -> new AtomicLong()).incrementAndGet();
    }

    /** @return how many calls of this operation all clients of this JVM have sent so far */
    public static long count(String operation) {
        AtomicLong count = CALLS.get(operation);
        return count == null ? 0 : count.get();
    }
}
