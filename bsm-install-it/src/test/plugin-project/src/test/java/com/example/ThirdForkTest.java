package com.example;

/** One of three Surefire classes, the one that fails when asked to: see {@link ForkSession}. */
class ThirdForkTest extends ForkSession {
    @Override
    boolean failsOnDemand() {
        return true;
    }
}
