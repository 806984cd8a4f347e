/** The extension's per-test overhead and its parts (session, snapshot, native setenv), in JMH. */
package dev.bsm.bench.extension;
