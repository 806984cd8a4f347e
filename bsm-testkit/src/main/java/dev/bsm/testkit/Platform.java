package dev.bsm.testkit;

import java.util.Locale;

/** What the testkit needs to know about the operating system it runs on: whether it is Windows. */
final class Platform {

    private Platform() {
    }

    /** {@return whether this JVM runs on Windows, by its {@code os.name}} */
    static boolean windows() {
        return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
    }
}
