package dev.bsm.testkit;

import dev.bsm.core.BsmException;

/**
 * Thrown when an AWS emulator cannot be had here, so nothing was started: no {@code moto_server} executable, no
 * Testcontainers or Docker for LocalStack, or no emulator at all for {@link Emulators#shared()}.
 *
 * <p>The message says what was looked for and how to get it; for moto it is the same sentence as
 * {@link MotoServer#unavailableReason()}, for LocalStack it contains {@link LocalStackEmulator#unavailableReason()},
 * for {@link Emulators#shared()} it is {@link EmulatorChoice#summary()}.
 */
public final class EmulatorUnavailableException extends BsmException {
    private static final long serialVersionUID = 1L;

    EmulatorUnavailableException(String message) {
        super(message);
    }

    EmulatorUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
