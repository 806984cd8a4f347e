package dev.bsm.testkit.internal;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Optional;
import software.amazon.awssdk.core.ServiceConfiguration;

/**
 * {@code s3Configuration.toBuilder().expectContinueEnabled(false).build()}, by reflection: bsm-testkit does not
 * need the S3 module, and only clients that have it ever hand it an {@code S3Configuration}.
 */
final class S3ExpectContinue {
    /** The three methods, per {@code S3Configuration} class (one per class loader); empty where one is missing. */
    private static final ClassValue<Optional<Method[]>> METHODS = new ClassValue<>() {
        @Override
        protected Optional<Method[]> computeValue(Class<?> configurationType) {
            try {
                Method toBuilder = configurationType.getMethod("toBuilder");
                Class<?> builderType = toBuilder.getReturnType(); // the public interface S3Configuration.Builder
                return Optional.of(new Method[] {toBuilder,
                        builderType.getMethod("expectContinueEnabled", Boolean.class), builderType.getMethod("build")});
            } catch (NoSuchMethodException olderSdk) {
                return Optional.empty(); // an SDK before the option: nothing to turn off
            }
        }
    };

    private S3ExpectContinue() {
    }

    /** {@return the configuration with {@code Expect: 100-continue} off, or empty where the SDK cannot say so} */
    static Optional<ServiceConfiguration> disabled(ServiceConfiguration s3Configuration) {
        return METHODS.get(s3Configuration.getClass()).map(methods -> {
            try {
                Object builder = methods[0].invoke(s3Configuration);
                methods[1].invoke(builder, Boolean.FALSE);
                return (ServiceConfiguration) methods[2].invoke(builder);
            } catch (IllegalAccessException | InvocationTargetException e) {
                throw new IllegalStateException("bsm could not turn off Expect: 100-continue for moto in "
                        + s3Configuration.getClass().getName() + "; please report this", e);
            }
        });
    }
}
