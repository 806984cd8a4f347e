package com.example;

/** One of four classes that Surefire spreads over two forks. */
class DeltaTest extends ShardChecks {
}
