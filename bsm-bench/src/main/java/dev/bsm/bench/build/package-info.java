/**
 * Benchmark 10 (issue 14): a real Maven build of a sample project with Surefire forks, one {@code moto_server} per
 * build against one per fork, its emulator processes counted in {@code /proc}.
 */
package dev.bsm.bench.build;
