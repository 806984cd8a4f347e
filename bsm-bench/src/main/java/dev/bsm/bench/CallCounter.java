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
 * {@code AssumeRole}, ...), and the SDK clients built. Registered for all clients through the SDK's global
 * interceptor file {@code software/amazon/awssdk/global/handlers/execution.interceptors} in this jar, so it also
 * sees the clients that bsm-junit5 builds. Its cost (one map lookup and one increment per call) is the same for
 * every variant.
 */
public final class CallCounter implements ExecutionInterceptor {
    private static final Map<String, AtomicLong> CALLS = new ConcurrentHashMap<>();
    private static final AtomicLong SENT = new AtomicLong();
    private static final AtomicLong CLIENTS = new AtomicLong();

    /** Made by the SDK once for every client it builds (it reads the global interceptor file in each build). */
    public CallCounter() {
        CLIENTS.incrementAndGet();
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        CALLS.computeIfAbsent(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME),
                k -> new AtomicLong()).incrementAndGet();
        SENT.incrementAndGet();
    }

    /** @return how many calls of this operation all clients of this JVM have sent so far */
    public static long count(String operation) {
        AtomicLong count = CALLS.get(operation);
        return count == null ? 0 : count.get();
    }

    /** @return how many HTTP requests all clients of this JVM have sent so far (every attempt of every call) */
    public static long requests() {
        return SENT.get();
    }

    /** @return how many SDK clients (sync and async, of any service) this JVM has built so far */
    public static long clientsBuilt() {
        return CLIENTS.get();
    }
}
