package dev.bsm.core;

import org.assertj.core.presentation.Representation;

/**
 * A representation a user registers for their own type through META-INF/services, as AssertJ documents it: it
 * returns {@code null} for everything else. bsm's tests register it to prove that both are used together.
 */
public final class UsersOwnRepresentation implements Representation {
    /** The user's own type. */
    record Money(int euros) {
    }

    @Override
    public String toStringOf(Object object) {
        return object instanceof Money money ? money.euros() + " EUR" : null;
    }
}
