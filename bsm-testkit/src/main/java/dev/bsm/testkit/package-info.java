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
 * <p>System properties: {@code bsm.endpoint} (an explicit endpoint), {@code bsm.localstack.image},
 * {@code bsm.localstack.enabled=false}, {@code bsm.docker.detectTimeout}, {@code bsm.moto.executable},
 * {@code bsm.moto.startTimeout}. Environment: {@code LOCALSTACK_AUTH_TOKEN}, {@code BSM_MOTO_SERVER}.
 *
 * <p>Nothing here depends on a test framework; the JUnit 5 integration lives in {@code bsm-junit5}.
 */
package dev.bsm.testkit;
