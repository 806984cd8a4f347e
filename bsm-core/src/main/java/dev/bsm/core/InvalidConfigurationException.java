package dev.bsm.core;

/**
 * A value given to bsm is not valid (a role ARN, a duration, a region, an endpoint, a client type ...).
 * Thrown before any network call is made.
 */
public final class InvalidConfigurationException extends BsmException {
    private static final long serialVersionUID = 1L;

    InvalidConfigurationException(String message) {
        super(message);
    }

    InvalidConfigurationException(String message, Throwable cause) {
        super(message, cause);
    }
}
