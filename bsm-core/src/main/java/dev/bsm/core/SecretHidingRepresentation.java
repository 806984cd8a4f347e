package dev.bsm.core;

import java.util.Optional;
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
 *     {@code <hidden:1a2b3c4d>} too, also inside collections, entries and {@code Optional}s;</li>
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
 * secret taken out of them. A secret copied into a string of your own ({@code "key " + secret}) is not recognised.
 */
public class SecretHidingRepresentation extends StandardRepresentation {
    static {
        registerFormatters();
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
        return super.toStringOf(object);
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
