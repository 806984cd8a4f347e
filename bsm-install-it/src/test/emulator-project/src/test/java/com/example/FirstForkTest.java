package com.example;

/** One of three Surefire classes: see {@link EmulatorFork}. */
class FirstForkTest extends EmulatorFork {
}
