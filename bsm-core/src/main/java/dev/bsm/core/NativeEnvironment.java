package dev.bsm.core;

import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.WString;
import java.util.Set;

/**
 * The operating system's copy of the process environment. A {@link ProcessBuilder} whose
 * {@code environment()} was never touched hands its child this native copy, not Java's map, so both must change.
 *
 * <p>The functions are bound with JNA's direct mapping ({@link Native#register(Class, String)}): interface mapping
 * goes through a proxy and reflection on every call, about six times slower, and a session makes ten calls per
 * test.
 */
final class NativeEnvironment {
    private NativeEnvironment() {
    }

    /** POSIX {@code setenv(3)} and {@code unsetenv(3)}; bound by {@link Holder}, not by themselves. */
    private static final class Posix {
        private Posix() {
        }

        static native int setenv(String name, String value, int overwrite);

        static native int unsetenv(String name);
    }

    /** Windows {@code SetEnvironmentVariableW}; a null value removes the variable. Bound by {@link Holder}. */
    private static final class Kernel32 {
        private Kernel32() {
        }

        static native boolean SetEnvironmentVariableW(WString name, WString value);
    }

    private static final class Holder {
        static final boolean WINDOWS = register();

        /** JNA notes its loading in system properties; bsm promises to leave properties as it found them. */
        private static boolean register() {
            Set<String> before = System.getProperties().stringPropertyNames();
            try {
                if (Platform.isWindows()) {
                    Native.register(Kernel32.class, "kernel32");
                    return true;
                }
                Native.register(Posix.class, Platform.C_LIBRARY_NAME);
                return false;
            } finally {
                System.getProperties().stringPropertyNames().stream()
                        .filter(name -> !before.contains(name))
                        .filter(name -> name.startsWith("jna.") || name.startsWith("jnidispatch."))
                        .forEach(System::clearProperty);
            }
        }
    }

    /** Loads the native library now, so a failure surfaces before any variable changes. */
    static void check() {
        boolean ignored = Holder.WINDOWS;
    }

    static void put(String name, String valueOrNull) {
        boolean ok;
        if (Holder.WINDOWS) {
            ok = Kernel32.SetEnvironmentVariableW(new WString(name),
                    valueOrNull == null ? null : new WString(valueOrNull));
        } else {
            ok = (valueOrNull == null ? Posix.unsetenv(name) : Posix.setenv(name, valueOrNull, 1)) == 0;
        }
        if (!ok) {
            // Direct-mapped calls store errno (GetLastError on Windows) for this thread, as interface mapping does.
            throw new EnvironmentAccessException("The operating system refused to "
                    + (valueOrNull == null ? "remove" : "set") + " the environment variable " + name
                    + " (error " + Native.getLastError() + ")", null);
        }
    }
}
