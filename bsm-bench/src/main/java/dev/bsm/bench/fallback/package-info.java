/** The emulator choice without Docker beside bsm.localstack.enabled=false, in fresh JVMs. */
package dev.bsm.bench.fallback;
