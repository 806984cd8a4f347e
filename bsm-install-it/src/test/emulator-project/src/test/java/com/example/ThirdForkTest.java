package com.example;

/** One of three Surefire classes, the one that fails when asked to: see {@link EmulatorFork}. */
class ThirdForkTest extends EmulatorFork {
    @Override
    boolean failsOnDemand() {
        return true;
    }
}
