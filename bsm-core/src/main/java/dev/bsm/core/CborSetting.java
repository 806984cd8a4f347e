package dev.bsm.core;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * The SDK's CBOR switch for a manager that chose one ({@link BotoSesManager.Builder#cborEnabled(boolean)}).
 *
 * <p>The SDK (2.57.8) has no per-client option: a client of a CBOR service (Kinesis) decides in its constructor,
 * in {@code AwsCborProtocolFactory.builder()}, from the system property {@value #PROPERTY}, then the environment
 * variable {@value #VARIABLE} (not {@code AWS_CBOR_ENABLED}), default {@code true}; later changes do not reach a
 * built client. So bsm builds the manager's clients with the property set to the manager's choice and puts it back
 * right after. The property is JVM-wide: a client that another thread builds in that moment speaks the same format.
 * That costs nothing where it matters: JSON, the format moto needs, is also served by AWS and LocalStack. bsm's own
 * property changes ({@link AwsCliEnvironment} too) hold {@link JvmEnvironment#LOCK}, so none interleave; a value
 * someone else set meanwhile is left as it is.
 */
final class CborSetting {
    /** The SDK's system property ({@code SdkSystemSetting.CBOR_ENABLED}). */
    static final String PROPERTY = "aws.cborEnabled";
    /** The SDK's environment variable of the same setting: the enum constant's name. */
    static final String VARIABLE = "CBOR_ENABLED";

    private CborSetting() {
    }

    /** {@return what {@code build} returns, built while {@value #PROPERTY} is {@code enabled}} */
    static <T> T buildWith(boolean enabled, Supplier<T> build) {
        String wanted = Boolean.toString(enabled);
        JvmEnvironment.LOCK.lock();
        try {
            String before = System.getProperty(PROPERTY);
            if (wanted.equals(before)) {
                return build.get(); // an awscli() block (a JUnit scope) set it already: nothing to change
            }
            System.setProperty(PROPERTY, wanted);
            try {
                return build.get();
            } finally {
                if (Objects.equals(System.getProperty(PROPERTY), wanted)) {
                    if (before == null) {
                        System.clearProperty(PROPERTY);
                    } else {
                        System.setProperty(PROPERTY, before);
                    }
                }
            }
        } finally {
            JvmEnvironment.LOCK.unlock();
        }
    }
}
