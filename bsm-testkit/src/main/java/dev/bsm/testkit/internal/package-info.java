/**
 * Not API: what bsm's own modules share with bsm-testkit. Anything here may change or go in any release, without
 * notice; use the classes of {@code dev.bsm.testkit} instead.
 */
package dev.bsm.testkit.internal;
