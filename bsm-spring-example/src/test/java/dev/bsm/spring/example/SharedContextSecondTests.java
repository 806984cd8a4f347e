package dev.bsm.spring.example;

/** See {@link SharedContextTests}. */
class SharedContextSecondTests extends SharedContextTests {
}
