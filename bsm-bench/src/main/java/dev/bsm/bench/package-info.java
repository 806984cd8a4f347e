/** JMH benchmarks of bsm; see docs/performance.md. */
package dev.bsm.bench;
