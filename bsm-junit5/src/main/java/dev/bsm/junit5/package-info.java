/**
 * The JUnit Jupiter extension: {@link dev.bsm.junit5.WithAwsSession} gives a test an AWS session (an injected,
 * cached {@code BotoSesManager} and its clients, the session in the environment and {@code aws.*} system properties, a snapshot file,
 * an emulator), {@link dev.bsm.junit5.AwsSession} and {@link dev.bsm.junit5.SnapshotFile} pick what a parameter gets,
 * and {@link dev.bsm.junit5.WithAwsSessionParameters} lists every configuration parameter. The extension itself and
 * its parts are package-private.
 */
package dev.bsm.junit5;
