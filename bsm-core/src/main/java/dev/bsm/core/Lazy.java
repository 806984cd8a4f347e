package dev.bsm.core;

import java.util.Optional;
import java.util.function.Supplier;

/**
 * A value built on first use, once however many threads ask at the same time, until {@link #reset()}. A factory
 * that throws leaves nothing cached, so the next call tries again.
 */
final class Lazy<T> implements Supplier<T> {
    private final Supplier<T> factory;
    private volatile T value;

    Lazy(Supplier<T> factory) {
        this.factory = factory;
    }

    @Override
    public T get() {
        T current = value;
        if (current == null) {
            synchronized (this) {
                current = value;
                if (current == null) {
                    current = factory.get();
                    value = current;
                }
            }
        }
        return current;
    }

    /** Forgets the value; the next {@link #get()} builds it again. */
    synchronized void reset() {
        value = null;
    }

    /** @return the value if it was built, without building it */
    Optional<T> ifBuilt() {
        return Optional.ofNullable(value);
    }
}
