package dev.bsm.core;

/** No AWS region is configured; the message lists every place that was looked at. */
public final class NoRegionException extends BsmException {
    private static final long serialVersionUID = 1L;

    NoRegionException(String message, Throwable cause) {
        super(message, cause);
    }
}
