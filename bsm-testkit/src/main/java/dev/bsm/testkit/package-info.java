/**
 * Framework-neutral test fixtures for bsm: real, local AWS emulators that tests can point AWS SDK clients at.
 *
 * <p>{@link dev.bsm.testkit.MotoServer} runs a {@code moto_server} process on a free loopback port. It has no
 * dependency on a test framework; the JUnit 5 integration lives in {@code bsm-junit5}.
 */
package dev.bsm.testkit;
