package dev.bsm.core;

import java.lang.ref.WeakReference;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * The secret strings bsm hands out (secret access keys and session tokens in snapshots, CLI variables and SDK
 * properties), recognisable by identity, so that a printer ({@link SecretHidingRepresentation}) can hide one even
 * after it has been taken out of its map: by {@code get}, in a map entry, in an assertion's "actual value".
 *
 * <p>Each secret is kept as one private copy per distinct value (never the caller's instance, which may be an
 * interned literal used elsewhere), held weakly: it lives as long as something of the caller's refers to it.
 * Recognising by identity means an equal string the caller made themselves is not hidden; only bsm's are.
 */
final class SecretValues {
    /** The keys whose values are secrets: in snapshots, in {@link AwsCliVariables}, in the SDK's properties. */
    private static final Set<String> SECRET_KEYS = Set.of(
            SnapshotCodec.SECRET_ACCESS_KEY, SnapshotCodec.SESSION_TOKEN,
            AwsCliVariables.SECRET_ACCESS_KEY, AwsCliVariables.SESSION_TOKEN,
            AwsCliVariables.SECRET_ACCESS_KEY_PROPERTY, AwsCliVariables.SESSION_TOKEN_PROPERTY);

    /** Each kept copy, by value; the weak reference points at the key itself, so it does not keep it alive. */
    private static final Map<String, WeakReference<String>> KEPT = new WeakHashMap<>();

    private SecretValues() {
    }

    /**
     * {@return the value to store under the key: bsm's kept copy when the key names a secret (a string, or an
     * {@code Optional} of one), else the value itself}
     */
    @SuppressWarnings("unchecked")
    static <V> V storedUnder(String key, V value) {
        if (!SECRET_KEYS.contains(key)) {
            return value;
        }
        if (value instanceof String secret) {
            return (V) keep(secret);
        }
        if (value instanceof Optional<?> optional && optional.isPresent() && optional.get() instanceof String secret) {
            return (V) Optional.of(keep(secret));
        }
        return value;
    }

    /** {@return whether the object is one of the secret strings bsm handed out} */
    static boolean isSecret(Object object) {
        if (!(object instanceof String value)) {
            return false;
        }
        synchronized (KEPT) {
            WeakReference<String> kept = KEPT.get(value);
            return kept != null && kept.get() == value;
        }
    }

    private static String keep(String secret) {
        synchronized (KEPT) {
            WeakReference<String> kept = KEPT.get(secret);
            String copy = kept == null ? null : kept.get();
            if (copy == null) {
                copy = new String(secret); // a copy of our own: its identity marks it as a secret
                KEPT.put(copy, new WeakReference<>(copy));
            }
            return copy;
        }
    }
}
