package dev.bsm.testkit.internal;

import java.net.URI;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.ServiceConfiguration;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.http.SdkHttpRequest;

/**
 * What the SDK's requests to moto need (a {@code moto_server} of this JVM, or an external endpoint that answered as
 * moto does), for every SDK client of the JVM: bsm-testkit registers it through the SDK's classpath file
 * {@code software/amazon/awssdk/global/handlers/execution.interceptors}, so it also sees the clients that the code
 * under test builds itself. Requests to anything else (AWS, LocalStack, other endpoints) pass untouched, and while
 * no moto is known each hook returns at once.
 *
 * <ul>
 * <li>{@code Expect: 100-continue}: moto (Werkzeug) answers it with two {@code 100 Continue} lines; the SDK's Netty
 *     client takes the second for the response, so async S3 uploads above the SDK's threshold (1 MiB) or of unknown
 *     length fail with "S3Exception (Status Code: 100)". This turns the header off for S3 requests to moto
 *     ({@code S3Configuration.expectContinueEnabled(false)}, put into the request's execution attributes before
 *     S3's own interceptor adds the header, which it does after every global interceptor).
 * <li>CBOR (Kinesis): moto does not speak it and answers HTTP 500. The switch is read when a client is built, so
 *     a request cannot change it: the failure of a client built with CBOR on says how to build one that works.
 * <li>HTTP/2 (Kinesis's async client by default): moto speaks HTTP/1.1 only, and the connection fails; the failure
 *     says which HTTP client to give such a client.
 * </ul>
 *
 * <p>Not API: public only because the SDK instantiates it by name.
 */
public final class MotoQuirks implements ExecutionInterceptor {
    private static final Set<String> SERVERS = ConcurrentHashMap.newKeySet();
    private static final String S3_CONFIGURATION = "software.amazon.awssdk.services.s3.S3Configuration";
    private static final Pattern IPV4_LOOPBACK = Pattern.compile("127(\\.\\d{1,3}){3}");

    /** For the SDK. */
    public MotoQuirks() {
    }

    /**
     * Marks an endpoint as served by moto: a {@code moto_server} this JVM started, or an external endpoint that
     * answered as moto does. On a loopback name, every loopback name with its port counts.
     *
     * @param endpoint the server's endpoint, such as {@code http://127.0.0.1:5000}
     */
    public static void serving(URI endpoint) {
        SERVERS.add(key(endpoint.getHost(), port(endpoint)));
    }

    /**
     * Unmarks an endpoint once its server is stopped.
     *
     * @param endpoint the server's endpoint
     */
    public static void stopped(URI endpoint) {
        SERVERS.remove(key(endpoint.getHost(), port(endpoint)));
    }

    /**
     * @param endpoint an endpoint
     * @return whether it was marked with {@link #serving(URI)}
     */
    public static boolean isServing(URI endpoint) {
        return SERVERS.contains(key(endpoint.getHost(), port(endpoint)));
    }

    /** {@return whether a request goes to a moto marked here} */
    static boolean isMoto(SdkHttpRequest request) {
        return !SERVERS.isEmpty() && SERVERS.contains(key(request.host(), request.port()));
    }

    private static String key(String host, int port) {
        String h = host == null ? "" : host.toLowerCase(Locale.ROOT);
        return (isLoopback(h) ? "loopback" : h) + ":" + port;
    }

    private static int port(URI endpoint) {
        if (endpoint.getPort() != -1) {
            return endpoint.getPort();
        }
        return "https".equalsIgnoreCase(endpoint.getScheme()) ? 443 : 80;
    }

    @Override
    public SdkHttpRequest modifyHttpRequest(Context.ModifyHttpRequest context, ExecutionAttributes attributes) {
        SdkHttpRequest request = context.httpRequest();
        if (isMoto(request)) {
            ServiceConfiguration configuration = attributes.getAttribute(SdkExecutionAttribute.SERVICE_CONFIG);
            if (configuration != null && configuration.getClass().getName().equals(S3_CONFIGURATION)) {
                S3ExpectContinue.disabled(configuration)
                        .ifPresent(off -> attributes.putAttribute(SdkExecutionAttribute.SERVICE_CONFIG, off));
            }
        }
        return request;
    }

    @Override
    public Throwable modifyException(Context.FailedExecution context, ExecutionAttributes attributes) {
        Throwable failure = context.exception();
        Optional<SdkHttpRequest> request = context.httpRequest();
        if (request.isEmpty() || !isMoto(request.get())) {
            return failure;
        }
        if (failure instanceof SdkServiceException service && service.statusCode() == 500 && request.get()
                .firstMatchingHeader("Content-Type").filter(type -> type.startsWith("application/x-amz-cbor"))
                .isPresent()) {
            return Hints.append(service, "[bsm] moto does not speak CBOR, the SDK's default wire format for"
                    + " Kinesis, and answers it with HTTP 500. This client was built with CBOR on, and the SDK reads"
                    + " that switch only when it builds a client. Use a client of a bsm manager on moto"
                    + " (MotoServer.session(), @WithAwsSession's managers and injected clients), build this one"
                    + " inside a @WithAwsSession scope on moto (it sets CBOR_ENABLED=false and aws.cborEnabled=false),"
                    + " or set the system property aws.cborEnabled=false before building it.");
        }
        if (failure instanceof SdkClientException && causedByHttp2(failure)) {
            return Hints.append((SdkException) failure, "[bsm] moto speaks HTTP/1.1 only, and this async client"
                    + " asked for HTTP/2 (the default of Kinesis's async client). Use a client of a bsm manager on"
                    + " moto (MotoServer.session(), @WithAwsSession's managers and injected clients), or build it"
                    + " with .httpClientBuilder(NettyNioAsyncHttpClient.builder().protocol(Protocol.HTTP1_1)).");
        }
        return failure;
    }

    private static boolean causedByHttp2(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause.getClass().getName().startsWith("io.netty.handler.codec.http2.")) {
                return true;
            }
        }
        return false;
    }

    /** By name, never resolved: 127.0.0.0/8, {@code localhost} and names under it, {@code ::1}. */
    private static boolean isLoopback(String host) {
        return IPV4_LOOPBACK.matcher(host).matches() || host.equals("localhost") || host.endsWith(".localhost")
                || host.equals("[::1]") || host.equals("::1");
    }
}
