/**
 * Framework-neutral test fixtures for bsm: AWS emulators that tests can point AWS SDK clients at.
 *
 * <p>An {@link dev.bsm.testkit.Emulator} is an endpoint, region, credentials, a ready
 * {@link dev.bsm.core.BotoSesManager}, {@code reset()} and {@code close()}. There are three kinds:
 * {@link dev.bsm.testkit.LocalStackEmulator} (LocalStack in Docker through Testcontainers, an optional dependency),
 * {@link dev.bsm.testkit.MotoServer} (a local {@code moto_server} process) and
 * {@link dev.bsm.testkit.ExternalEndpoint} (anything already running). {@link dev.bsm.testkit.Emulators} picks one
 * and records why in an {@link dev.bsm.testkit.EmulatorChoice}.
 *
 * <p>{@link dev.bsm.testkit.TestkitSettings} declares every system property and environment variable they read,
 * with its type, default and meaning: {@code bsm.endpoint} (an explicit endpoint), {@code bsm.localstack.image},
 * {@code bsm.localstack.enabled=false}, {@code bsm.docker.detectTimeout}, {@code bsm.moto.executable},
 * {@code bsm.moto.startTimeout}, {@code bsm.emulator.share} and {@code bsm.emulator.buildId} (one
 * {@code moto_server} per build, shared by every forked test JVM, or one per JVM), {@code bsm.emulator.lease} and
 * {@code bsm.emulator.endpoint} (the build's {@code moto_server} that a build tool's JVM holds, a
 * {@link dev.bsm.testkit.BuildEmulator}); {@code LOCALSTACK_AUTH_TOKEN},
 * {@code BSM_MOTO_SERVER}, {@code DOCKER_HOST}.
 *
 * <p>{@link dev.bsm.testkit.ForkedJvm} runs a main class in a child JVM with this JVM's class path and hands it a
 * session: an owner-only snapshot file named by {@code BSM_SNAPSHOT_FILE} (removed when the child exits) and the
 * endpoint override in {@code AWS_ENDPOINT_URL}; the child calls
 * {@link dev.bsm.core.BotoSesManager#fromSnapshotFile()}.
 *
 * <h2>A session prepared by the build, for Surefire- or Failsafe-forked test JVMs</h2>
 *
 * <p>The same handoff works for the test JVMs that the Maven Surefire and Failsafe plugins fork. A step before the
 * tests writes the snapshot file (with {@link dev.bsm.core.BotoSesManager#tempSnapshot(java.nio.file.Path)}, or
 * the Python library's snapshot, which has the same format) to a private location, the plugin passes its path to
 * every forked JVM in {@code environmentVariables}, and the tests read it:
 *
 * <pre>{@code
 * <plugin>
 *   <artifactId>maven-surefire-plugin</artifactId>   <!-- or maven-failsafe-plugin: same configuration -->
 *   <configuration>
 *     <environmentVariables>
 *       <BSM_SNAPSHOT_FILE>${env.RUNNER_TEMP}/bsm-session.json</BSM_SNAPSHOT_FILE>
 *       <AWS_ENDPOINT_URL>http://127.0.0.1:5000</AWS_ENDPOINT_URL>  <!-- only for an emulator -->
 *     </environmentVariables>
 *   </configuration>
 * </plugin>
 * }</pre>
 *
 * <pre>{@code
 * try (BotoSesManager bsm = BotoSesManager.fromSnapshotFile()) {  // reads the file named by BSM_SNAPSHOT_FILE
 *     bsm.printWhoAmI();
 * }
 * }</pre>
 *
 * <p>{@code environmentVariables} reach forked JVMs only: keep {@code forkCount} above 0 (the default is 1). A
 * snapshot carries credentials and region, not an endpoint, so an emulator's endpoint goes in
 * {@code AWS_ENDPOINT_URL}. The file holds secrets: write it owner-only, outside the project directory, and remove
 * it when the build is done.
 *
 * <p>AssertJ assertions on a {@link dev.bsm.core.BotoSesManager} (identity, region, expiry) and on snapshot files
 * (owner-only, holds a given session) live in their own package, {@link dev.bsm.testkit.assertj}: AssertJ is an
 * optional dependency of this module, and nothing in this package refers to it.
 *
 * <p>Nothing here depends on a test framework; the JUnit 5 integration lives in {@code bsm-junit5}.
 */
package dev.bsm.testkit;
