package com.example;

/** Failsafe's JVM, which no Surefire JVM outlives: the same emulator all the same. */
class EmulatorIT extends EmulatorFork {
}
