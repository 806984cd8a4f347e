package com.example;

/** One of four classes that Surefire spreads over two forks. */
class AlphaTest extends ShardChecks {
}
