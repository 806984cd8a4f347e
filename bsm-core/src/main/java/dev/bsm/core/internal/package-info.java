/**
 * Not API: what bsm's own modules share with bsm-core. Anything here may change or go in any release, without
 * notice; use {@link dev.bsm.core.BotoSesManager} and the other classes of {@code dev.bsm.core} instead.
 */
package dev.bsm.core.internal;
