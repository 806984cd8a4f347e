package dev.bsm.testkit;

import dev.bsm.core.BsmException;

/**
 * Thrown when no AWS emulator executable can be found, so nothing was started.
 *
 * <p>The message says where bsm looked and how to install the emulator; for moto it is the same sentence as
 * {@link MotoServer#unavailableReason()}.
 */
public final class EmulatorUnavailableException extends BsmException {
    private static final long serialVersionUID = 1L;

    EmulatorUnavailableException(String message) {
        super(message);
    }
}
