package dev.bsm.core;

import java.util.Optional;
import java.util.function.Supplier;

/** A value built at most once, on first use, however many threads ask at the same time. */
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

    /** @return the value if it was built, without building it */
    Optional<T> ifBuilt() {
        return Optional.ofNullable(value);
    }
}
