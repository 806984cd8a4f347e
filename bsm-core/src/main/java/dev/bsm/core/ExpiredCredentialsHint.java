package dev.bsm.core;

import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * When a call fails and the manager's credentials have expired, says so in the SDK's own exception (same type,
 * so callers' catch blocks still match): "ExpiredToken" alone does not tell users what to do.
 */
final class ExpiredCredentialsHint implements ExecutionInterceptor {
    private final Supplier<Optional<Instant>> expiration;

    ExpiredCredentialsHint(Supplier<Optional<Instant>> expiration) {
        this.expiration = expiration;
    }

    @Override
    public Throwable modifyException(Context.FailedExecution context, ExecutionAttributes attributes) {
        Throwable failure = context.exception();
        Optional<Instant> expired = expiredAt();
        if (expired.isEmpty() || !(failure instanceof SdkException)) {
            return failure;
        }
        String hint = " [bsm: this session's credentials expired at " + expired.get() + "; assume the role again,"
                + " or use assumeRole(roleArn, o -> o.autoRefresh(true)) so they are replaced before they expire]";
        if (failure instanceof AwsServiceException service && service.awsErrorDetails() != null) {
            AwsErrorDetails details = service.awsErrorDetails();
            String message = details.errorMessage() == null ? hint.trim() : details.errorMessage() + hint;
            // getMessage() prefers the raw message the unmarshaller set, so both get the hint.
            return service.toBuilder().message(message)
                    .awsErrorDetails(details.toBuilder().errorMessage(message).build()).build();
        }
        SdkException sdk = (SdkException) failure;
        return sdk.toBuilder().message(sdk.getMessage() + hint).build();
    }

    private Optional<Instant> expiredAt() {
        try {
            return expiration.get().filter(at -> !Instant.now().isBefore(at));
        } catch (RuntimeException noCredentials) {
            return Optional.empty(); // the failure at hand already says what is wrong
        }
    }
}
