/** Cold start: a fresh JVM from nothing to its first STS answer, bsm beside plain SDK code. */
package dev.bsm.bench.coldstart;
