/**
 * Whole suites through the JUnit launcher in fresh JVMs: one shared emulator beside an emulator per class
 * (benchmark 5), isolation's cost per class beside a reset per class (8), parallel classes against serial ones
 * with a count of cross-class leaks (7).
 */
package dev.bsm.bench.suite;
