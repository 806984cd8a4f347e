package dev.bsm.core;

/**
 * Root of every exception bsm throws on purpose.
 *
 * <p>Messages name the problem and how to fix it. They never contain a secret access key or a session token.
 */
public class BsmException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception with a message.
     *
     * @param message what went wrong and how to fix it; must not contain secrets
     */
    public BsmException(String message) {
        super(message);
    }

    /**
     * Creates an exception with a message and a cause.
     *
     * @param message what went wrong and how to fix it; must not contain secrets
     * @param cause the underlying failure
     */
    public BsmException(String message, Throwable cause) {
        super(message, cause);
    }
}
