package dev.bsm.junit5;

import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A value JUnit closes when its store's context closes: JUnit 5.13+ closes {@link AutoCloseable}s, older versions
 * only {@code CloseableResource}s, so this is both. Closing twice does nothing.
 */
@SuppressWarnings("deprecation") // CloseableResource: needed before JUnit 5.13
abstract class StoredResource implements AutoCloseable, ExtensionContext.Store.CloseableResource {
    private boolean closed;

    @Override
    public final synchronized void close() {
        if (!closed) {
            closed = true;
            release();
        }
    }

    /** {@return whether this was closed} */
    final synchronized boolean isClosed() {
        return closed;
    }

    /** Releases what this holds; called once. */
    abstract void release();
}
