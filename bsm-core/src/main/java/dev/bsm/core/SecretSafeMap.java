package dev.bsm.core;

import java.util.AbstractMap;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;

/**
 * An unmodifiable map whose values may be secrets: {@link #toString()} shows the keys only, so logging the map
 * (a snapshot, CLI variables) cannot leak a secret key or session token. Equality is a map's.
 */
final class SecretSafeMap<V> extends AbstractMap<String, V> {
    private final Map<String, V> entries;

    SecretSafeMap(Map<String, V> entries) {
        this.entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
    }

    @Override
    public Set<Entry<String, V>> entrySet() {
        return entries.entrySet();
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
        entries.keySet().forEach(key -> joiner.add(key + "=<hidden>"));
        return joiner.toString();
    }
}
