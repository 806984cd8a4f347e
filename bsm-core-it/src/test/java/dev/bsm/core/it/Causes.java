package dev.bsm.core.it;

import java.util.ArrayList;
import java.util.List;

/** The cause chain of a failure, for assertions on a cause the SDK wrapped. */
final class Causes {
    private Causes() {
    }

    /** {@return the throwable, its cause, the cause's cause ... (a cycle ends the chain)} */
    static List<Throwable> of(Throwable e) {
        List<Throwable> chain = new ArrayList<>();
        for (Throwable cause = e; cause != null && !chain.contains(cause); cause = cause.getCause()) {
            chain.add(cause);
        }
        return chain;
    }
}
