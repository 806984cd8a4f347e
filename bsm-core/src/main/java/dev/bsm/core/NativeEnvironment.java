package dev.bsm.core;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.WString;
import java.util.Set;

/**
 * The operating system's copy of the process environment. A {@link ProcessBuilder} whose
 * {@code environment()} was never touched hands its child this native copy, not Java's map, so both must change.
 */
final class NativeEnvironment {
    private NativeEnvironment() {
    }

    /** POSIX {@code setenv(3)} and {@code unsetenv(3)}. */
    interface CLibrary extends Library {
        int setenv(String name, String value, int overwrite);

        int unsetenv(String name);
    }

    /** Windows {@code SetEnvironmentVariableW}; a null value removes the variable. */
    interface Kernel32 extends Library {
        boolean SetEnvironmentVariableW(WString name, WString value);
    }

    private static final class Holder {
        static final Object LIBRARY = load();

        /** JNA notes its loading in system properties; bsm promises to leave properties as it found them. */
        private static Object load() {
            Set<String> before = System.getProperties().stringPropertyNames();
            try {
                return Platform.isWindows()
                        ? Native.load("kernel32", Kernel32.class)
                        : Native.load(Platform.C_LIBRARY_NAME, CLibrary.class);
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
        Object ignored = Holder.LIBRARY;
    }

    static void put(String name, String valueOrNull) {
        boolean ok;
        if (Holder.LIBRARY instanceof Kernel32 kernel32) {
            ok = kernel32.SetEnvironmentVariableW(new WString(name),
                    valueOrNull == null ? null : new WString(valueOrNull));
        } else {
            CLibrary libc = (CLibrary) Holder.LIBRARY;
            ok = (valueOrNull == null ? libc.unsetenv(name) : libc.setenv(name, valueOrNull, 1)) == 0;
        }
        if (!ok) {
            throw new EnvironmentAccessException("The operating system refused to "
                    + (valueOrNull == null ? "remove" : "set") + " the environment variable " + name
                    + " (error " + Native.getLastError() + ")", null);
        }
    }
}
