package dev.bsm.core.internal;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.awscore.presigner.SdkPresigner;
import software.amazon.awssdk.core.SdkClient;

/**
 * Not API: which types {@code BotoSesManager.client(Class)} builds, so that bsm-junit5 injects exactly those. A
 * client type is a generated service interface of the SDK: an interface extending {@link SdkClient}
 * ({@code S3Client}, {@code S3AsyncClient}) or {@link SdkPresigner} ({@code S3Presigner}, {@code PollyPresigner}),
 * with the static {@code builder()} every generated one has. {@code SdkClient} itself, {@code AwsClient},
 * implementation classes and interfaces of one's own without a builder are not.
 */
public final class ClientTypes {
    private ClientTypes() {
    }

    /**
     * Tells whether a type is a client type.
     *
     * @param type any type, or null
     * @return true for a generated client or presigner interface of the SDK
     */
    public static boolean isClientType(Class<?> type) {
        return type != null && type.isInterface() && type != SdkClient.class && type != SdkPresigner.class
                && (SdkClient.class.isAssignableFrom(type) || SdkPresigner.class.isAssignableFrom(type))
                && builder(type).isPresent();
    }

    /**
     * The interface's static {@code builder()}, looked up by its exact signature: {@code Class.getMethod} would
     * resolve every method of the interface and so load each request and response class of the service (hundreds
     * for S3, tens of milliseconds in a fresh JVM). The SDK names the builder {@code S3ClientBuilder} for
     * {@code S3Client} and {@code S3Presigner.Builder} for {@code S3Presigner}; any other type falls back to
     * reflection.
     *
     * @param type an interface
     * @return its public static {@code builder()}, or empty when it has none
     */
    public static Optional<MethodHandle> builder(Class<?> type) {
        for (String builderName : List.of(type.getName() + "Builder", type.getName() + "$Builder")) {
            try {
                Class<?> builderType = Class.forName(builderName, false, type.getClassLoader());
                return Optional.of(MethodHandles.publicLookup().findStatic(type, "builder",
                        MethodType.methodType(builderType)));
            } catch (ClassNotFoundException | NoSuchMethodException | IllegalAccessException e) {
                // Not this naming; try the next, then reflection.
            }
        }
        try {
            Method method = type.getMethod("builder");
            return Modifier.isStatic(method.getModifiers())
                    ? Optional.of(MethodHandles.publicLookup().unreflect(method)) : Optional.empty();
        } catch (NoSuchMethodException | IllegalAccessException e) {
            return Optional.empty();
        }
    }
}
