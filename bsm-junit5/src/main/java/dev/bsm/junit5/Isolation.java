package dev.bsm.junit5;

/**
 * How far the state of an emulator session is kept apart from other tests on the same emulator:
 * {@link WithAwsSession#isolation()} and the configuration parameter {@code bsm.isolation}
 * ({@value WithAwsSessionParameters#ISOLATION}). Isolation needs no reset and no restart: each scope gets an AWS
 * account of its own (a fresh 12-digit id that no other scope, test JVM of the machine or CI shard uses: see
 * {@value WithAwsSessionParameters#SHARD}) on the shared emulator, so its queues, tables, topics, secrets,
 * parameters, keys and roles are invisible to every other scope. Sessions on real AWS ignore it.
 *
 * <p>S3 bucket names are global in AWS and in the emulators: a bucket is listed only by the account that made it,
 * but any account reaches it by name, and a second account cannot make a bucket of the same name while the first
 * one exists. So when a {@code CLASS} or {@code TEST} account's class or test ends, also after a failure, bsm
 * empties and deletes the account's buckets (if anything in it sent a CreateBucket), and later classes can reuse
 * the names; a bucket it cannot delete fails that class or test. Classes running at the same time cannot share a
 * name: the second one's {@code BucketAlreadyExistsException} says which class holds it and to pick a unique name.
 * {@code NONE} keeps its buckets.
 */
public enum Isolation {
    /**
     * Not set on the annotation: the configuration parameter {@code bsm.isolation} decides, and without it
     * {@link #CLASS}.
     */
    DEFAULT,

    /** No account of its own: every test shares the emulator's default account (bsm before 0.1's isolation). */
    NONE,

    /**
     * An account per test class (a {@code @Nested} class shares its enclosing class's), for everything in it:
     * constructors, {@code @BeforeAll} to {@code @AfterAll}, the tests and what they start.
     */
    CLASS,

    /**
     * An account per test method; the class's own callbacks (constructors of {@code PER_CLASS} instances,
     * {@code @BeforeAll}, {@code @AfterAll}) have an account of the class, which the tests do not see.
     */
    TEST
}
