package dev.bsm.core;

import java.lang.reflect.Field;
import java.lang.reflect.InaccessibleObjectException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
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

    /**
     * Sets ({@code Optional.of}) or removes ({@code Optional.empty}) one variable, in every copy or in none: when a
     * copy refuses the change, those already changed are put back. Callers hold {@link #LOCK}.
     */
    static void put(String name, Optional<String> value) {
        String previous = System.getenv(name);
        if (Objects.equals(previous, value.orElse(null))) {
            // glibc's setenv is not safe against native getenv in other threads: write only what changes.
            return;
        }
        NativeEnvironment.put(name, value.orElse(null));
        Deque<Runnable> undo = new ArrayDeque<>();
        undo.push(() -> NativeEnvironment.put(name, previous));
        try {
            for (Map<String, String> map : writableMaps()) {
                String before = map.get(name);
                putOrRemove(map, name, value.orElse(null));
                undo.push(() -> putOrRemove(map, name, before));
            }
        } catch (RuntimeException | Error e) {
            RuntimeException undoFailure = null;
            while (!undo.isEmpty()) {
                try {
                    undo.pop().run();
                } catch (RuntimeException failure) {
                    undoFailure = failure;
                }
            }
            if (e instanceof Error error) {
                throw error;
            }
            // Not e itself, nor as the cause: the JDK's message quotes the value, which may be a secret.
            EnvironmentAccessException refused = new EnvironmentAccessException("The JVM refused to "
                    + (value.isPresent() ? "set" : "remove") + " the environment variable " + name + " ("
                    + e.getClass().getSimpleName() + "); " + (undoFailure == null ? "nothing was changed"
                    : "putting it back failed too, see the suppressed exception"), null);
            if (undoFailure != null) {
                refused.addSuppressed(undoFailure);
            }
            throw refused;
        }
    }

    private static void putOrRemove(Map<String, String> map, String name, String valueOrNull) {
        if (valueOrNull == null) {
            map.remove(name);
        } else {
            map.put(name, valueOrNull);
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
