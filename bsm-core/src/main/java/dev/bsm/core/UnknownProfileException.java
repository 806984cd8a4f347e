package dev.bsm.core;

/** A named profile does not exist in the AWS config or credentials files; the message names both files. */
public final class UnknownProfileException extends BsmException {
    private static final long serialVersionUID = 1L;

    UnknownProfileException(String message) {
        super(message);
    }
}
