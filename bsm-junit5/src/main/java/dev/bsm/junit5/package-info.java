/**
 * JUnit Jupiter integration for bsm. The {@code @WithAwsSession} extension is specified in issue 3 and not yet
 * built; this module currently only fixes the module layout (it depends on bsm-core and bsm-testkit).
 */
package dev.bsm.junit5;
