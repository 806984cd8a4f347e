package dev.bsm.core;

/** The one error of a client kept after its manager was closed, whichever part of the manager it reached first. */
final class ClosedManager {
    private ClosedManager() {
    }

    /**
     * @param part what the kept client used, e.g. {@code "HTTP client"}
     * @return the error to throw, or to fail a future with
     */
    static IllegalStateException used(String part) {
        return new IllegalStateException("The " + part + " of a closed BotoSesManager was used: a client was kept"
                + " after its manager was closed. Get clients from an open manager.");
    }
}
