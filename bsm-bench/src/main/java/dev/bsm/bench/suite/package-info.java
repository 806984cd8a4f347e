/** A whole suite on one shared emulator beside an emulator per class. */
package dev.bsm.bench.suite;
