package dev.bsm.core;

import java.lang.reflect.Field;
import java.lang.reflect.InaccessibleObjectException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Changes the environment variables of the running JVM in both places they live: Java's map behind
 * {@link System#getenv()} (and, on Windows, its case-insensitive copy), changed the way JUnit Pioneer does, and
 * the operating system's copy ({@link NativeEnvironment}), which child processes and native code inherit.
 *
 * <p>All writes go through one lock, because the JDK's maps are not thread-safe.
 */
final class JvmEnvironment {
    static final ReentrantLock LOCK = new ReentrantLock();

    private static volatile List<Map<String, String>> writableMaps;

    private JvmEnvironment() {
    }

    /** Sets ({@code Optional.of}) or removes ({@code Optional.empty}) one variable. Callers hold {@link #LOCK}. */
    static void put(String name, Optional<String> value) {
        if (Objects.equals(System.getenv(name), value.orElse(null))) {
            // glibc's setenv is not safe against native getenv in other threads: write only what changes.
            return;
        }
        NativeEnvironment.put(name, value.orElse(null));
        for (Map<String, String> map : writableMaps()) {
            if (value.isPresent()) {
                map.put(name, value.get());
            } else {
                map.remove(name);
            }
        }
    }

    /** Fails with {@link EnvironmentAccessException} now, before any change, when the JVM forbids changes. */
    static void checkWritable() {
        writableMaps();
        try {
            NativeEnvironment.check();
        } catch (LinkageError e) {
            throw new EnvironmentAccessException("bsm cannot change the operating system's environment on this"
                    + " platform (" + e.getClass().getSimpleName() + " loading JNA's native library). Use"
                    + " BotoSesManager.awscliVariables().applyTo(processBuilder) instead.", e);
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, String>> writableMaps() {
        List<Map<String, String>> maps = writableMaps;
        if (maps != null) {
            return maps;
        }
        List<Map<String, String>> found = new ArrayList<>();
        try {
            Map<String, String> unmodifiable = System.getenv();
            Field m = unmodifiable.getClass().getDeclaredField("m");
            m.setAccessible(true);
            found.add((Map<String, String>) m.get(unmodifiable));
            Optional<Field> caseInsensitive = windowsCaseInsensitiveEnvironment();
            if (caseInsensitive.isPresent()) {
                caseInsensitive.get().setAccessible(true);
                found.add((Map<String, String>) caseInsensitive.get().get(null));
            }
        } catch (InaccessibleObjectException | ReflectiveOperationException | SecurityException e) {
            throw new EnvironmentAccessException("This JVM does not let bsm change its environment variables ("
                    + e.getClass().getSimpleName() + "). Start the JVM with "
                    + EnvironmentAccessException.REQUIRED_JVM_FLAGS
                    + " (Maven Surefire/Failsafe: <argLine>; Gradle: Test.jvmArgs), or use"
                    + " BotoSesManager.awscliVariables().applyTo(processBuilder), which changes no global state.", e);
        }
        writableMaps = Collections.unmodifiableList(found);
        return writableMaps;
    }

    private static Optional<Field> windowsCaseInsensitiveEnvironment() throws ClassNotFoundException {
        try {
            return Optional.of(Class.forName("java.lang.ProcessEnvironment")
                    .getDeclaredField("theCaseInsensitiveEnvironment"));
        } catch (NoSuchFieldException unix) {
            return Optional.empty();
        }
    }
}
