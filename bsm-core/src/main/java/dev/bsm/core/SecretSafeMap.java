package dev.bsm.core;

import java.util.AbstractCollection;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;

/**
 * An unmodifiable map whose values may be secrets: its {@link #toString()}, and that of its entry set, entries and
 * values, show the keys with a {@link Fingerprint} of each value ({@code aws_secret_access_key=<hidden:1a2b3c4d>}),
 * so logging the map or a view of it (a snapshot, CLI variables) cannot leak a secret key or session token, and two
 * printed maps still show which value differs. Absent values show as {@code null} and {@code Optional.empty}.
 * Equality is a map's.
 *
 * <p>Assertion libraries that format maps themselves (AssertJ) go through {@link SecretHidingRepresentation}. The
 * secret values are stored as {@link SecretValues}' copies, so that it also knows them once out of the map.
 */
final class SecretSafeMap<V> extends AbstractMap<String, V> {
    private static final List<Class<?>> HIDING_TYPES = List.of(SecretSafeMap.class, SecretSafeMap.HiddenEntries.class,
            HiddenEntry.class, SecretSafeMap.HiddenValues.class);

    private final Map<String, V> entries;
    private final Set<Entry<String, V>> entrySet = new HiddenEntries();
    private final Collection<V> values = new HiddenValues();

    SecretSafeMap(Map<String, V> entries) {
        Map<String, V> copy = new LinkedHashMap<>();
        entries.forEach((key, value) -> copy.put(key, SecretValues.storedUnder(key, value)));
        this.entries = Collections.unmodifiableMap(copy);
    }

    /** {@return the classes of these maps and of their views that print values hidden: for AssertJ's formatters} */
    static List<Class<?>> hidingTypes() {
        return HIDING_TYPES;
    }

    /** {@return whether the object is such a map or one of its views, whose {@code toString} hides the values} */
    static boolean isHiding(Object object) {
        return object != null && HIDING_TYPES.contains(object.getClass());
    }

    @Override
    public Set<Entry<String, V>> entrySet() {
        return entrySet;
    }

    @Override
    public Collection<V> values() {
        return values;
    }

    @Override
    public V get(Object key) {
        return entries.get(key);
    }

    @Override
    public boolean containsKey(Object key) {
        return entries.containsKey(key);
    }

    @Override
    public String toString() {
        StringJoiner joiner = new StringJoiner(", ", "{", "}");
        entries.forEach((key, value) -> joiner.add(key + "=" + hidden(value)));
        return joiner.toString();
    }

    /** {@return how a value of such a map prints: a fingerprint, or {@code null} and {@code Optional.empty}} */
    static String hidden(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof Optional<?> optional) {
            return optional.map(present -> "Optional[" + hidden(present) + "]").orElse("Optional.empty");
        }
        return Fingerprint.hidden(value.toString());
    }

    private final class HiddenEntries extends AbstractSet<Entry<String, V>> {
        @Override
        public Iterator<Entry<String, V>> iterator() {
            Iterator<Entry<String, V>> iterator = entries.entrySet().iterator();
            return new Iterator<>() {
                @Override
                public boolean hasNext() {
                    return iterator.hasNext();
                }

                @Override
                public Entry<String, V> next() {
                    return new HiddenEntry<>(iterator.next());
                }
            };
        }

        @Override
        public int size() {
            return entries.size();
        }

        @Override
        public String toString() {
            StringJoiner joiner = new StringJoiner(", ", "[", "]");
            forEach(entry -> joiner.add(entry.toString()));
            return joiner.toString();
        }
    }

    private static final class HiddenEntry<V> extends SimpleImmutableEntry<String, V> {
        HiddenEntry(Entry<String, V> entry) {
            super(entry);
        }

        @Override
        public String toString() {
            return getKey() + "=" + hidden(getValue());
        }
    }

    private final class HiddenValues extends AbstractCollection<V> {
        @Override
        public Iterator<V> iterator() {
            return entries.values().iterator();
        }

        @Override
        public int size() {
            return entries.size();
        }

        @Override
        public String toString() {
            StringJoiner joiner = new StringJoiner(", ", "[", "]");
            forEach(value -> joiner.add(hidden(value)));
            return joiner.toString();
        }
    }
}
