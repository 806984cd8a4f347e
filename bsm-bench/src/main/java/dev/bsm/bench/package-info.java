/** JMH benchmarks of bsm; see README's Performance section. */
package dev.bsm.bench;
