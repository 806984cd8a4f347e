/**
 * AssertJ assertions on bsm's sessions and snapshot files, for tests; start from
 * {@link dev.bsm.testkit.assertj.BsmAssertions}.
 *
 * <p>{@link dev.bsm.testkit.assertj.BsmAssertions#assertThat(dev.bsm.core.BotoSesManager)} gives a
 * {@link dev.bsm.testkit.assertj.BotoSesManagerAssert} on a session's identity, region and expiry;
 * {@link dev.bsm.testkit.assertj.BsmAssertions#assertThatSnapshot(java.nio.file.Path)} gives a
 * {@link dev.bsm.testkit.assertj.SnapshotFileAssert} on a snapshot file's permissions and content. They use only
 * bsm-core's public API: a snapshot file is read with
 * {@link dev.bsm.core.BotoSesManager#fromSnapshotFile(java.nio.file.Path)}, as the code under test reads it.
 * Failure messages say what was checked, what was found and what to do, and never show a secret access key or
 * session token.
 *
 * <p>AssertJ ({@code org.assertj:assertj-core}) is an optional dependency of bsm-testkit: add it to your test class
 * path to use this package. Only this package refers to AssertJ, so the rest of bsm-testkit ({@code MotoServer},
 * {@code ForkedJvm}, the emulators) works without it and never loads it.
 */
package dev.bsm.testkit.assertj;
