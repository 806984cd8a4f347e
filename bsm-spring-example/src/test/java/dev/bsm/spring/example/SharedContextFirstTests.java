package dev.bsm.spring.example;

/** See {@link SharedContextTests}. */
class SharedContextFirstTests extends SharedContextTests {
}
