package dev.bsm.junit5;

import dev.bsm.core.AwsCliEnvironment;
import dev.bsm.core.AwsCliVariables;

/**
 * The part of the environment that every shared-environment emulator class sets identically (the emulator's
 * endpoint, region and keys): set when the first such class scope opens, restored exactly when the last one open at
 * the same time closes. JVM-wide, like the environment. Classes that run together hold JUnit's read locks on the
 * environment and the system properties, so nothing else changes them meanwhile; in a serial run each class sets
 * and restores it.
 */
final class SharedEnvironment {
    private static final Object LOCK = new Object();
    private static AwsCliEnvironment open;
    private static AwsCliVariables variables;
    private static int users;

    private SharedEnvironment() {
    }

    /**
     * Joins the shared environment, setting it if no one holds it.
     *
     * @return what leaves it again; the last one out restores the environment
     * @throws IllegalStateException when it is held with other variables, which the locks should have prevented
     */
    static AutoCloseable join(AwsCliVariables wanted) {
        synchronized (LOCK) {
            if (users == 0) {
                open = AwsCliEnvironment.open(wanted);
                variables = wanted;
            } else if (!variables.variables().equals(wanted.variables())) {
                throw new IllegalStateException("bsm: two shared-environment sessions want different variables ("
                        + variables + " and " + wanted + "); please report this");
            }
            users++;
            return new Member();
        }
    }

    /** {@return how many scopes hold the shared environment now} */
    static int users() {
        synchronized (LOCK) {
            return users;
        }
    }

    private static void leave() {
        synchronized (LOCK) {
            if (--users == 0) {
                AwsCliEnvironment closing = open;
                open = null;
                variables = null;
                closing.close();
            }
        }
    }

    /** One scope's hold; closing twice leaves once. */
    private static final class Member implements AutoCloseable {
        private boolean left;

        @Override
        public void close() {
            synchronized (LOCK) {
                if (!left) {
                    left = true;
                    leave();
                }
            }
        }
    }
}
