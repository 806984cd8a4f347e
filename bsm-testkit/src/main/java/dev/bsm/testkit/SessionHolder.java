package dev.bsm.testkit;

import dev.bsm.core.BotoSesManager;
import java.util.function.Supplier;

/**
 * The one {@link BotoSesManager} an emulator hands out: built on first use from the emulator's
 * {@linkplain Emulator#sessionBuilder() session builder}, at most once also when many threads ask at once, and closed together with the emulator.
 */
final class SessionHolder {

    private final String owner;
    private final Supplier<Emulator> emulator;
    private BotoSesManager session; // guarded by this
    private boolean closed; // guarded by this

    /**
     * @param owner names the emulator in the message thrown after {@link #close()}
     * @param emulator the emulator whose settings the session uses; asked only when the session is built
     */
    SessionHolder(String owner, Supplier<Emulator> emulator) {
        this.owner = owner;
        this.emulator = emulator;
    }

    /** @return the session, built on the first call */
    synchronized BotoSesManager get() {
        if (closed) {
            throw new IllegalStateException(owner + " is closed; its session is gone");
        }
        if (session == null) {
            session = build(emulator.get());
        }
        return session;
    }

    /** Closes the session if one was built; later {@link #get()} calls fail. Idempotent. */
    void close() {
        BotoSesManager toClose;
        synchronized (this) {
            closed = true;
            toClose = session;
            session = null;
        }
        if (toClose != null) {
            toClose.close();
        }
    }

    static BotoSesManager build(Emulator emulator) {
        return emulator.sessionBuilder().build();
    }
}
