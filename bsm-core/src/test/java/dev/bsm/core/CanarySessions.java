package dev.bsm.core;

/**
 * Two sessions built from the canary whose snapshots differ only in the secret access key: one has the canary, the
 * other the canary and more. Both have a session token that holds the canary too. No call leaves the JVM.
 */
final class CanarySessions implements AutoCloseable {
    private final BotoSesManager actual = session(Canary.SECRET);
    private final BotoSesManager other = session(Canary.SECRET + "Other");

    /** {@return a session with static credentials: the given secret, and a token that starts with the canary} */
    static BotoSesManager session(String secret) {
        return BotoSesManager.builder().credentials("AKIDACTUAL", secret, Canary.SECRET + "Token").region("us-east-1")
                .build();
    }

    BotoSesManager actual() {
        return actual;
    }

    BotoSesManager other() {
        return other;
    }

    @Override
    public void close() {
        actual.close();
        other.close();
    }
}
