package dev.bsm.core;

import java.nio.charset.StandardCharsets;
import java.util.AbstractMap;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.assertj.core.data.MapEntry;
import org.assertj.core.presentation.StandardRepresentation;

/**
 * AssertJ's {@link StandardRepresentation} that never prints a secret bsm handed out. AssertJ formats maps, entries
 * and values itself rather than through their {@code toString}, so without it a failing
 * {@code assertThat(bsm.toSnapshot()).isEqualTo(other)} would print the secret access key and session token into
 * the failure, and from there into test reports and build logs. With it:
 *
 * <ul>
 * <li>{@link BotoSesManager#toSnapshot()}, {@link AwsCliVariables#variables()},
 *     {@link AwsCliVariables#systemProperties()} and their entry sets, entries and values print as their
 *     {@code toString} does: keys, and a fingerprint for each value ({@code aws_secret_access_key=<hidden:1a2b3c4d>}),
 *     equal for equal values, so the key whose value differs can be seen;</li>
 * <li>a secret access key or session token taken out of one of them (by {@code get}, {@code extracting},
 *     {@code usingRecursiveComparison}, in a map entry of a "different values" message) prints as
 *     {@code <hidden:1a2b3c4d>} too, also inside collections, entries, {@code Optional}s, and as a {@code char[]}
 *     or UTF-8 {@code byte[]};</li>
 * <li>so does a string equal to such a secret that the test got elsewhere (an environment variable, the SDK's
 *     credentials), and a secret inside a longer string (JSON, a joined list) is replaced by its fingerprint, for
 *     secrets of at least 8 characters while bsm's map holding them is alive (shorter ones, such as the emulators'
 *     {@code test} and {@code testing}, only as bsm's own instance, see {@code SecretValues});</li>
 * <li>in any other map or entry, the value under a secret's key ({@code aws_secret_access_key},
 *     {@code aws_session_token}, {@code AWS_SECRET_ACCESS_KEY}, {@code AWS_SESSION_TOKEN},
 *     {@code aws.secretAccessKey}, {@code aws.sessionToken}) prints as its fingerprint, whatever it is;</li>
 * <li>the actual and expected values an AssertJ failure hands to opentest4j's {@code AssertionFailedError} (what
 *     IDEs show as the difference) are these printed texts whenever they hide something (see
 *     {@code HidingAssertionErrorCreator});</li>
 * <li>everything else prints exactly as with the {@link StandardRepresentation}.</li>
 * </ul>
 *
 * <p>Nothing needs to be done to use it: bsm-core registers it with {@link java.util.ServiceLoader}, and AssertJ
 * loads it when it starts (AssertJ says so once on standard output). AssertJ is an optional dependency of bsm-core:
 * only AssertJ loads this class. It has the lowest priority, so a representation of your own registered the same
 * way is asked first (for what it prints itself, it must not print these maps' values), and this one stands in for
 * the standard representation whenever yours returns {@code null}.
 *
 * <p>A representation set with a {@code Configuration}, {@code Assertions.useRepresentation} or
 * {@code withRepresentation} replaces the registered ones: extend this class instead of
 * {@link StandardRepresentation} to keep all of the above. Any other {@link StandardRepresentation} still prints
 * the maps and views above by their {@code toString} (formatters registered when this class loads), but not a
 * secret taken out of them.
 *
 * <p>Not recognised, so printed: a secret the test got elsewhere that is equal to no secret of a bsm map still
 * alive (the expected value of a failing {@code extractingByKey(key).isEqualTo(fromEnvironment)}, the
 * {@code (expected: ...)} of a {@code containsEntry} whose values differ, the expected field value of
 * {@code usingRecursiveComparison}), and secrets of fewer than 8 characters that are not bsm's instance. Compare
 * such values without printing them: {@code assertThat(secret.equals(expected)).as("secret key").isTrue()}.
 */
public class SecretHidingRepresentation extends StandardRepresentation {
    static {
        registerFormatters();
        HidingAssertionErrorCreator.install();
    }

    /** Called by AssertJ's {@link java.util.ServiceLoader}, or by a configuration or subclass of yours. */
    public SecretHidingRepresentation() {
        super();
    }

    /**
     * {@return bsm's maps and their views as their {@code toString} prints them, bsm's secrets as a fingerprint,
     * anything else as the {@link StandardRepresentation} prints it}
     *
     * @param object the value AssertJ prints, or something inside it
     */
    @Override
    public String toStringOf(Object object) {
        if (SecretSafeMap.isHiding(object)) {
            return object.toString();
        }
        if (SecretValues.isSecret(object)) {
            return SecretSafeMap.hidden(object);
        }
        if (object instanceof Optional<?> optional && optional.isPresent() && SecretValues.isSecret(optional.get())) {
            return SecretSafeMap.hidden(optional);
        }
        Optional<String> spelled = spelled(object);
        if (spelled.isPresent() && holdsSecret(spelled.get())) {
            return Fingerprint.hidden(spelled.get());
        }
        if (object instanceof String text) {
            Optional<String> hidden = SecretValues.hiddenIn(text);
            if (hidden.isPresent()) {
                return super.toStringOf(hidden.get());
            }
        }
        return super.toStringOf(object);
    }

    /**
     * {@return the text that characters or numbers spell: a {@code char[]}, a UTF-8 {@code byte[]}, or a
     * collection of characters, bytes or code points ({@code secret.chars()}, the "not expected" elements of a
     * failure), when long enough to hold a secret recognised by value}
     */
    private static Optional<String> spelled(Object object) {
        if (object instanceof char[] chars) {
            return chars.length >= SecretValues.MIN_LENGTH_BY_VALUE ? Optional.of(new String(chars)) : Optional.empty();
        }
        if (object instanceof byte[] bytes) {
            return bytes.length >= SecretValues.MIN_LENGTH_BY_VALUE
                    ? Optional.of(new String(bytes, StandardCharsets.UTF_8)) : Optional.empty();
        }
        if (!(object instanceof Collection<?> elements) || elements.size() < SecretValues.MIN_LENGTH_BY_VALUE) {
            return Optional.empty();
        }
        StringBuilder text = new StringBuilder(elements.size());
        for (Object element : elements) {
            if (element instanceof Character character) {
                text.append(character.charValue());
            } else if (element instanceof Byte b) {
                text.append((char) (b & 0xff));
            } else if (element instanceof Integer codePoint && Character.isValidCodePoint(codePoint)) {
                text.appendCodePoint(codePoint);
            } else {
                return Optional.empty();
            }
        }
        return Optional.of(text.toString());
    }

    private static boolean holdsSecret(String text) {
        return SecretValues.isSecret(text) || SecretValues.hiddenIn(text).isPresent();
    }

    /** A map that is not bsm's prints the values under a secret's key as their fingerprint. */
    @Override
    protected String toStringOf(Map<?, ?> map) {
        if (map == null || map.keySet().stream().noneMatch(SecretValues::isSecretKey)) {
            return super.toStringOf(map);
        }
        Map<Object, Object> shown = new LinkedHashMap<>();
        map.forEach((key, value) -> shown.put(key, shownUnder(key, value)));
        return super.toStringOf(shown);
    }

    /** An entry that is not bsm's prints the value under a secret's key as its fingerprint. */
    @Override
    protected String toStringOf(Map.Entry<?, ?> entry) {
        if (entry == null || !SecretValues.isSecretKey(entry.getKey())) {
            return super.toStringOf(entry);
        }
        return super.toStringOf(new AbstractMap.SimpleImmutableEntry<>(entry.getKey(),
                shownUnder(entry.getKey(), entry.getValue())));
    }

    /** AssertJ's own entries ({@code entry(key, value)} of {@code contains}), likewise. */
    @Override
    protected String toStringOf(MapEntry<?, ?> entry) {
        if (entry == null || !SecretValues.isSecretKey(entry.getKey())) {
            return super.toStringOf(entry);
        }
        return super.toStringOf(MapEntry.entry(entry.getKey(), shownUnder(entry.getKey(), entry.getValue())));
    }

    private static Object shownUnder(Object key, Object value) {
        return value == null || !SecretValues.isSecretKey(key) ? value : new HiddenValue(value);
    }

    /** A value AssertJ prints by its {@code toString}: the fingerprint. */
    private static final class HiddenValue {
        private final String shown;

        HiddenValue(Object value) {
            this.shown = SecretSafeMap.hidden(value);
        }

        @Override
        public String toString() {
            return shown;
        }
    }

    /** {@return the lowest priority: any other registered representation is asked first} */
    @Override
    public int getPriority() {
        return Integer.MIN_VALUE;
    }

    /** {@return what AssertJ prints when it finds this representation} */
    @Override
    public String toString() {
        return "bsm's SecretHidingRepresentation (prints no secret of bsm's snapshots and CLI variables)";
    }

    // The formatters make every StandardRepresentation, also one that is not this class, print bsm's maps and
    // views by their toString. They are static in AssertJ: registering them once is enough.
    private static void registerFormatters() {
        try {
            for (Class<?> type : SecretSafeMap.hidingTypes()) {
                registerFormatterForType(type, Object::toString);
            }
        } catch (LinkageError tooOldAssertJ) {
            // An AssertJ without registerFormatterForType still loads this class: it then hides through toStringOf.
        }
    }
}
