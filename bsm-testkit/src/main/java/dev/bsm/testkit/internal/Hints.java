package dev.bsm.testkit.internal;

import software.amazon.awssdk.core.exception.SdkException;

/** Adds a sentence to an SDK exception's message; type, status, error details, cause and stack stay. */
public final class Hints {
    private Hints() {
    }

    /**
     * @param failure what the SDK threw
     * @param hint a sentence for the user, such as {@code "[bsm] ..."}
     * @return a copy of the failure whose message ends with the hint
     */
    public static SdkException append(SdkException failure, String hint) {
        SdkException.Builder builder = failure.toBuilder();
        String message = builder.message() == null ? "" : builder.message().endsWith(".") ? builder.message() + " "
                : builder.message() + ". ";
        SdkException hinted = builder.message(message + hint).build();
        hinted.setStackTrace(failure.getStackTrace());
        for (Throwable suppressed : failure.getSuppressed()) {
            hinted.addSuppressed(suppressed);
        }
        return hinted;
    }
}
