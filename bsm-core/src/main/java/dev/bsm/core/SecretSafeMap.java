package dev.bsm.core;

import java.util.AbstractCollection;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;

/**
 * An unmodifiable map whose values may be secrets: its {@link #toString()}, and that of its entry set, entries and
 * values, show the keys only, so logging the map or a view of it (a snapshot, CLI variables) cannot leak a secret
 * key or session token. Equality is a map's.
 */
final class SecretSafeMap<V> extends AbstractMap<String, V> {
    private static final String HIDDEN = "<hidden>";

    private final Map<String, V> entries;
    private final Set<Entry<String, V>> entrySet = new HiddenEntries();
    private final Collection<V> values = new HiddenValues();

    SecretSafeMap(Map<String, V> entries) {
        this.entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
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
        return keysOnly("{", "}");
    }

    private String keysOnly(String prefix, String suffix) {
        StringJoiner joiner = new StringJoiner(", ", prefix, suffix);
        entries.keySet().forEach(key -> joiner.add(key + "=" + HIDDEN));
        return joiner.toString();
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
                    Entry<String, V> entry = iterator.next();
                    return new SimpleImmutableEntry<>(entry) {
                        @Override
                        public String toString() {
                            return getKey() + "=" + HIDDEN;
                        }
                    };
                }
            };
        }

        @Override
        public int size() {
            return entries.size();
        }

        @Override
        public String toString() {
            return keysOnly("[", "]");
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
            return "[" + entries.size() + " values, " + HIDDEN + "]";
        }
    }
}
