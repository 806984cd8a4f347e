/**
 * Sketches of fixes that the benchmarks suggest, measured beside bsm's current code (README, "Findings"). They are
 * not bsm code and nothing outside bsm-bench uses them.
 */
package dev.bsm.bench.proposals;
