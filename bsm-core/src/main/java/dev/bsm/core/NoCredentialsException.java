package dev.bsm.core;

/** No AWS credentials could be found; the message lists every place that was looked at. */
public final class NoCredentialsException extends BsmException {
    private static final long serialVersionUID = 1L;

    NoCredentialsException(String message, Throwable cause) {
        super(message, cause);
    }
}
