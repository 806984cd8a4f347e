package com.example;

/** One of three Surefire classes: see {@link ForkSession}. */
class SecondForkTest extends ForkSession {
}
