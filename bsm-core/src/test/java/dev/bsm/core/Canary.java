package dev.bsm.core;

/**
 * The canary secret: used as a secret key across the suite. CI scans every test report and log for it after the
 * build and fails if it shows up anywhere (see .ci/run).
 */
final class Canary {
    static final String SECRET = "bsmCanarySecret0d9f2c7e5a1b4";

    private Canary() {
    }
}
