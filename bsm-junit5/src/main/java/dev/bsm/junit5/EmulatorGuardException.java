package dev.bsm.junit5;

import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * An SDK request that bsm's guard refused before it left the JVM: it was made while a test ran on an emulator
 * only, and went to another endpoint (real AWS, say). The client call fails with it (sync clients throw it, async
 * clients complete their future with it), as with any {@link SdkClientException}; it is never retried. The
 * message names the service and operation, the endpoint (scheme, host and port; never the path, headers or
 * credentials), the test's scope and how to allow such requests ({@code guard = false} on
 * {@link WithAwsSession}, or the configuration parameter {@value WithAwsSessionParameters#GUARD}{@code =false}).
 */
public final class EmulatorGuardException extends SdkClientException {
    private static final long serialVersionUID = 1L;

    private EmulatorGuardException(Builder builder) {
        super(builder);
    }

    static EmulatorGuardException refused(String message) {
        Builder builder = new Builder();
        builder.message(message);
        return builder.build();
    }

    /** {@return false: the same request would be refused again} */
    @Override
    public boolean retryable() {
        return false;
    }

    /** The SDK rebuilds exceptions (to add the attempt count): they stay of this type. */
    @Override
    public SdkClientException.Builder toBuilder() {
        return new Builder(this);
    }

    private static final class Builder extends SdkClientException.BuilderImpl {
        Builder() {
        }

        Builder(EmulatorGuardException exception) {
            super(exception);
        }

        @Override
        public EmulatorGuardException build() {
            return new EmulatorGuardException(this);
        }
    }
}
