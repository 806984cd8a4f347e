package dev.bsm.core;

import java.lang.ref.WeakReference;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * The secret strings bsm hands out (secret access keys and session tokens in snapshots, CLI variables and SDK
 * properties), so that a printer ({@link SecretHidingRepresentation}) can hide one even after it has been taken out
 * of its map (by {@code get}, in a map entry, in an assertion's "actual value"), and also an equal string the test
 * got elsewhere (an environment variable, the SDK's credentials) or a string that contains one (JSON, a joined
 * list).
 *
 * <p>Each secret is kept as one private copy per distinct value, held weakly: it is known as long as something of
 * the caller's refers to it (a snapshot, CLI variables). bsm's own copy is recognised by identity whatever its
 * length. An equal string, or one containing it, is recognised only for secrets of at least
 * {@link #MIN_LENGTH_BY_VALUE} characters: emulators' dummy secrets ({@code test}, moto's {@code testing}) are words
 * a failure message may hold for other reasons, and hiding them there would only confuse; AWS's secret keys have 40
 * characters and session tokens hundreds. Recognising costs a hash lookup per printed string, and for containment a
 * search per known secret: only failure messages are printed, and few secrets are alive at once.
 */
final class SecretValues {
    /** The keys whose values are secrets: in snapshots, in {@link AwsCliVariables}, in the SDK's properties. */
    private static final Set<String> SECRET_KEYS = Set.of(
            SnapshotCodec.SECRET_ACCESS_KEY, SnapshotCodec.SESSION_TOKEN,
            AwsCliVariables.SECRET_ACCESS_KEY, AwsCliVariables.SESSION_TOKEN,
            AwsCliVariables.SECRET_ACCESS_KEY_PROPERTY, AwsCliVariables.SESSION_TOKEN_PROPERTY);

    /** The shortest secret that is recognised by value (equal, or contained), not only as bsm's own instance. */
    static final int MIN_LENGTH_BY_VALUE = 8;

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

    /** {@return whether the key is one under which bsm's maps hold a secret: for maps that are not bsm's} */
    static boolean isSecretKey(Object key) {
        return key instanceof String name && SECRET_KEYS.contains(name);
    }

    /**
     * {@return whether the object is one of the secret strings bsm handed out, or a string equal to one of at least
     * {@link #MIN_LENGTH_BY_VALUE} characters}
     */
    static boolean isSecret(Object object) {
        if (!(object instanceof String value)) {
            return false;
        }
        synchronized (KEPT) {
            WeakReference<String> kept = KEPT.get(value);
            String copy = kept == null ? null : kept.get();
            return copy != null && (copy == value || value.length() >= MIN_LENGTH_BY_VALUE);
        }
    }

    /**
     * {@return the text with each known secret of at least {@link #MIN_LENGTH_BY_VALUE} characters in it replaced
     * by its fingerprint, or empty when it holds none}
     */
    static Optional<String> hiddenIn(String text) {
        if (text.length() < MIN_LENGTH_BY_VALUE) {
            return Optional.empty();
        }
        List<String> contained = new ArrayList<>();
        synchronized (KEPT) {
            for (String secret : KEPT.keySet()) {
                if (secret != null && secret.length() >= MIN_LENGTH_BY_VALUE && text.contains(secret)) {
                    contained.add(secret);
                }
            }
        }
        if (contained.isEmpty()) {
            return Optional.empty();
        }
        // Longest first: a secret that contains another (a token that starts with a key) is replaced whole.
        contained.sort(Comparator.comparingInt(String::length).reversed());
        String hidden = text;
        for (String secret : contained) {
            hidden = hidden.replace(secret, Fingerprint.hidden(secret));
        }
        return Optional.of(hidden);
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
