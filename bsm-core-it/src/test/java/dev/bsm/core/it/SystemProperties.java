package dev.bsm.core.it;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Sets system properties and, on {@link #close()}, puts back what was there before. */
final class SystemProperties implements AutoCloseable {
    private final Map<String, String> before = new LinkedHashMap<>();

    SystemProperties(Map<String, String> values) {
        values.forEach(this::set);
    }

    static SystemProperties trustStore(Path trustStore) {
        return new SystemProperties(Map.of("javax.net.ssl.trustStore", trustStore.toString(),
                "javax.net.ssl.trustStorePassword", "changeit", "javax.net.ssl.trustStoreType", "PKCS12"));
    }

    /** Sets one more property; the first value seen for a name is the one put back. */
    SystemProperties set(String name, String value) {
        before.putIfAbsent(name, System.getProperty(name));
        System.setProperty(name, value);
        return this;
    }

    @Override
    public void close() {
        before.forEach((name, value) -> {
            if (value == null) {
                System.clearProperty(name);
            } else {
                System.setProperty(name, value);
            }
        });
        before.clear();
    }
}
