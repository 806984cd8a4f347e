package dev.bsm.junit5;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/** The JVM's whole environment and system properties; differences are reported by name only (values may be secret). */
record GlobalState(Map<String, String> environment, Map<String, String> properties) {

    static GlobalState capture() {
        // The JDK sets user.timezone the first time anything asks for the default zone: settle it first.
        java.util.TimeZone.getDefault();
        Properties properties = System.getProperties();
        Map<String, String> copy = new HashMap<>();
        synchronized (properties) {
            properties.stringPropertyNames().forEach(name -> copy.put(name, properties.getProperty(name)));
        }
        return new GlobalState(new HashMap<>(System.getenv()), copy);
    }

    Set<String> differencesFrom(GlobalState other) {
        Set<String> names = new TreeSet<>();
        differences("env ", environment, other.environment, names);
        differences("property ", properties, other.properties, names);
        return names;
    }

    private static void differences(String kind, Map<String, String> a, Map<String, String> b, Set<String> into) {
        Set<String> keys = new TreeSet<>(a.keySet());
        keys.addAll(b.keySet());
        keys.stream().filter(key -> !Objects.equals(a.get(key), b.get(key))).forEach(key -> into.add(kind + key));
    }

    @Override
    public String toString() {
        return "GlobalState[" + environment.size() + " variables, " + properties.size() + " properties]";
    }
}
