package dev.bsm.junit5;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.http.SdkHttpRequest;

/**
 * Counts every API call any SDK client of this test JVM sends, per operation, and per operation and account: the
 * {@code x-moto-account-id} header and the access key id of the signature, as they left. Registered for all
 * clients through the SDK's global interceptor file
 * {@code software/amazon/awssdk/global/handlers/execution.interceptors}.
 */
public final class StsCallCounter implements ExecutionInterceptor {
    private static final Map<String, AtomicInteger> CALLS = new ConcurrentHashMap<>();

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        SdkHttpRequest request = context.httpRequest();
        increment(operation);
        increment(operation + " header=" + request.firstMatchingHeader(SessionInterceptor.ACCOUNT_HEADER).orElse(""));
        increment(operation + " key=" + accessKeyId(request));
    }

    private static void increment(String key) {
        CALLS.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
    }

    /** The access key id in the request's Authorization header ({@code Credential=AKID/...}), or "". */
    private static String accessKeyId(SdkHttpRequest request) {
        String authorization = request.firstMatchingHeader("Authorization").orElse("");
        int start = authorization.indexOf("Credential=");
        if (start < 0) {
            return "";
        }
        start += "Credential=".length();
        int end = authorization.indexOf('/', start);
        return end < 0 ? "" : authorization.substring(start, end);
    }

    static int count(String operation) {
        return count0(operation);
    }

    /** Calls of an operation that carried the account header with this value ("" for none). */
    static int withHeader(String operation, String account) {
        return count0(operation + " header=" + account);
    }

    /** Calls of an operation signed with this access key id. */
    static int withKey(String operation, String accessKeyId) {
        return count0(operation + " key=" + accessKeyId);
    }

    private static int count0(String key) {
        AtomicInteger count = CALLS.get(key);
        return count == null ? 0 : count.get();
    }
}
