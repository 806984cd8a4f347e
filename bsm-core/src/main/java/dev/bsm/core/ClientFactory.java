package dev.bsm.core;

import dev.bsm.core.internal.ClientTypes;
import java.lang.invoke.MethodHandle;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URI;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.presigner.SdkPresigner;
import software.amazon.awssdk.core.client.builder.SdkAsyncClientBuilder;
import software.amazon.awssdk.core.client.builder.SdkClientBuilder;
import software.amazon.awssdk.core.client.builder.SdkSyncClientBuilder;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.async.SdkAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.utils.SdkAutoCloseable;

/**
 * Builds any SDK client or presigner from its interface ({@code S3Client.class}) through the static
 * {@code builder()} every generated interface has, so bsm needs no code per service.
 */
final class ClientFactory {
    private final Supplier<Region> region;
    private final AwsCredentialsProvider credentials;
    private final Optional<URI> endpoint;
    private final ClientOverrideConfiguration overrideConfiguration;
    private final Supplier<SdkHttpClient> httpClient;
    private final Supplier<SdkAsyncHttpClient> asyncHttpClient;
    private final ScheduledExecutorService scheduler;
    private final Optional<Boolean> cborEnabled;

    ClientFactory(Supplier<Region> region, AwsCredentialsProvider credentials, Optional<URI> endpoint,
            Optional<ClientOverrideConfiguration> overrideConfiguration, ExpiredCredentialsHint hint,
            Supplier<SdkHttpClient> httpClient, Supplier<SdkAsyncHttpClient> asyncHttpClient,
            ScheduledExecutorService scheduler, Optional<Boolean> cborEnabled) {
        this.region = region;
        this.credentials = credentials;
        this.endpoint = endpoint;
        // The user's configuration, plus the hint on expired credentials, plus the manager's scheduler unless the
        // user gave one (the user's stays the user's: the SDK never shuts down an executor it was given).
        ClientOverrideConfiguration.Builder configuration = overrideConfiguration
                .map(ClientOverrideConfiguration::toBuilder)
                .orElseGet(ClientOverrideConfiguration::builder)
                .addExecutionInterceptor(hint);
        if (configuration.scheduledExecutorService() == null) {
            configuration.scheduledExecutorService(scheduler);
        }
        this.overrideConfiguration = configuration.build();
        this.httpClient = httpClient;
        this.asyncHttpClient = asyncHttpClient;
        this.scheduler = scheduler;
        this.cborEnabled = cborEnabled;
    }

    /** Fails before anything is built when the type is not an SDK client or presigner interface. */
    static void checkSupported(Class<?> type) {
        if (!ClientTypes.isClientType(type)) {
            throw new InvalidConfigurationException((type == null ? "null" : type.getName())
                    + " is not an AWS SDK client type: client(Class) takes a generated service interface such as"
                    + " S3Client.class, S3AsyncClient.class or S3Presigner.class");
        }
    }

    <T> T build(Class<T> type) {
        MethodHandle builderMethod = ClientTypes.builder(type).orElseThrow();
        Object builder = invokeBuilder(type, builderMethod);
        Class<?> builderType = builderMethod.type().returnType();
        Object client;
        if (builder instanceof SdkClientBuilder<?, ?>) {
            client = buildClient(builderType, builder);
        } else if (builder instanceof SdkPresigner.Builder) {
            client = buildPresigner(builderType, (SdkPresigner.Builder) builder);
        } else {
            throw new InvalidConfigurationException(type.getName() + ".builder() does not return an SDK client"
                    + " builder; bsm cannot build it");
        }
        if (!type.isInstance(client)) {
            close(client);
            throw new InvalidConfigurationException(type.getName() + ".builder() built a "
                    + client.getClass().getName() + ", which is not a " + type.getSimpleName());
        }
        return type.cast(client);
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    private Object buildClient(Class<?> builderType, Object rawBuilder) {
        SdkClientBuilder builder = (SdkClientBuilder) rawBuilder;
        if (builder instanceof AwsClientBuilder) {
            ((AwsClientBuilder) builder).region(region.get()).credentialsProvider(credentials);
        }
        if (builder instanceof SdkSyncClientBuilder) {
            ((SdkSyncClientBuilder) builder).httpClient(httpClient.get());
        } else if (builder instanceof SdkAsyncClientBuilder) {
            ((SdkAsyncClientBuilder) builder).httpClient(asyncHttpClient.get());
        }
        builder.overrideConfiguration(overrideConfiguration);
        endpoint.ifPresent(uri -> {
            builder.endpointOverride(uri);
            // Emulators serve buckets on a path, not on a subdomain of their host.
            publicMethod(builderType, "forcePathStyle", Boolean.class)
                    .ifPresent(forcePathStyle -> invoke(forcePathStyle, builder, Boolean.TRUE));
        });
        // Every client, not only Kinesis's: which services read the setting is the SDK's business.
        return cborEnabled.isPresent() ? CborSetting.buildWith(cborEnabled.get(), builder::build) : builder.build();
    }

    private Object buildPresigner(Class<?> builderType, SdkPresigner.Builder builder) {
        builder.region(region.get()).credentialsProvider(new OpenManagerCredentials(credentials, scheduler));
        endpoint.ifPresent(uri -> {
            builder.endpointOverride(uri);
            s3PathStyleConfiguration(builderType).ifPresent(pathStyle -> invoke(pathStyle.method, builder,
                    pathStyle.configuration));
        });
        return builder.build();
    }

    private record MethodAndArgument(Method method, Object configuration) {
    }

    /**
     * A presigner's credentials: a presigner makes no call, so neither the HTTP clients nor the scheduler would
     * stop one kept after its manager was closed, and it would go on signing with the closed manager's
     * credentials. It asks for credentials on each presign, and gets the manager-closed error of
     * {@link ClosedManager} once the manager's scheduler is closed (the manager closes it in {@code close()}).
     */
    private static final class OpenManagerCredentials implements AwsCredentialsProvider {
        private final AwsCredentialsProvider delegate;
        private final ScheduledExecutorService managerScheduler;

        OpenManagerCredentials(AwsCredentialsProvider delegate, ScheduledExecutorService managerScheduler) {
            this.delegate = delegate;
            this.managerScheduler = managerScheduler;
        }

        @Override
        public AwsCredentials resolveCredentials() {
            if (managerScheduler.isShutdown()) {
                throw ClosedManager.used("credentials provider");
            }
            return delegate.resolveCredentials();
        }

        @Override
        public String toString() {
            return "OpenManagerCredentials[" + delegate + "]";
        }
    }

    /** {@code S3Presigner.Builder.serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true))}. */
    private static Optional<MethodAndArgument> s3PathStyleConfiguration(Class<?> builderType) {
        for (Method method : builderType.getMethods()) {
            if (method.getName().equals("serviceConfiguration") && method.getParameterCount() == 1
                    && method.getParameterTypes()[0].getSimpleName().equals("S3Configuration")) {
                Class<?> configurationType = method.getParameterTypes()[0];
                Method configurationBuilder = publicMethod(configurationType, "builder").orElseThrow();
                Object configuration = invoke(configurationBuilder, null);
                Class<?> configurationBuilderType = configurationBuilder.getReturnType();
                invoke(publicMethod(configurationBuilderType, "pathStyleAccessEnabled", Boolean.class).orElseThrow(),
                        configuration, Boolean.TRUE);
                Object built = invoke(publicMethod(configurationBuilderType, "build").orElseThrow(), configuration);
                return Optional.of(new MethodAndArgument(method, built));
            }
        }
        return Optional.empty();
    }

    private static Object invokeBuilder(Class<?> type, MethodHandle builderMethod) {
        try {
            return builderMethod.invoke();
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new BsmException("Building a client failed in " + type.getName() + ".builder()", e);
        }
    }

    private static Optional<Method> publicMethod(Class<?> type, String name, Class<?>... parameterTypes) {
        try {
            return Optional.of(type.getMethod(name, parameterTypes));
        } catch (NoSuchMethodException e) {
            return Optional.empty();
        }
    }

    private static Object invoke(Method method, Object target, Object... arguments) {
        try {
            return method.invoke(target, arguments);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new BsmException("Building a client failed in " + method, cause);
        } catch (IllegalAccessException e) {
            throw new BsmException("bsm may not call " + method, e);
        }
    }

    /** Closes a client or presigner this factory built (every one is {@link SdkAutoCloseable}). */
    static void close(Object client) {
        if (client instanceof SdkAutoCloseable closeable) {
            closeable.close();
        }
    }
}
