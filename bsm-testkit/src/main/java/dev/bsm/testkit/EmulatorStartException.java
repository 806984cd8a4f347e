package dev.bsm.testkit;

import dev.bsm.core.BsmException;

/**
 * Thrown when an AWS emulator executable was found but the emulator did not become ready: the process exited
 * early, could not be launched, or did not answer within the start timeout.
 *
 * <p>The message names the command that was run, the exit code if the process exited, how long bsm waited, and
 * the last lines the process printed. The process has already been killed when this is thrown.
 */
public final class EmulatorStartException extends BsmException {
    private static final long serialVersionUID = 1L;

    EmulatorStartException(String message) {
        super(message);
    }

    EmulatorStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
