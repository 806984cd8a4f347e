package com.example;

/** One of three Surefire classes: see {@link EmulatorFork}. */
class SecondForkTest extends EmulatorFork {
}
