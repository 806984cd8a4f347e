package dev.bsm.junit5;

import dev.bsm.testkit.internal.Hints;
import java.util.Optional;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Explains a CreateBucket that fails with {@code BucketAlreadyExists} in an isolated account: the name is held by
 * another account, because bucket names are global while accounts are per class. The exception keeps its type
 * (S3's {@code BucketAlreadyExistsException}), status, error code and stack, so code that catches it still does;
 * only its message gains the hint.
 *
 * <p>{@code BucketAlreadyOwnedByYou} gets no hint: the account itself holds the name, so the class (or test) made
 * it twice, and isolation has no part in that.
 */
final class BucketNameHint {
    static final String ERROR_CODE = "BucketAlreadyExists";

    private BucketNameHint() {
    }

    /** {@return the failure of a request, with the hint where it applies} */
    static Throwable apply(SessionBinding binding, Context.FailedExecution context, ExecutionAttributes attributes) {
        Throwable failure = context.exception();
        if (binding == null || binding.account().isEmpty()
                || !"CreateBucket".equals(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME))
                || !BucketCleanup.isS3(attributes) || !(failure instanceof AwsServiceException service)
                || service.awsErrorDetails() == null || !ERROR_CODE.equals(service.awsErrorDetails().errorCode())) {
            return failure;
        }
        String bucket = BucketCleanup.bucket(context.request()).orElse("");
        return Hints.append(service, hint(bucket, binding.account().get()));
    }

    static String hint(String bucket, String account) {
        Isolation isolation = Accounts.owner(account).map(Accounts.Owner::isolation).orElse(Isolation.CLASS);
        String scope = isolation == Isolation.TEST ? "each test (and the class's constructor, @BeforeAll and @AfterAll"
                + " one of the class)" : "each test class";
        return "[bsm] Bucket '" + bucket + "' is held by another account: " + holder(bucket) + ". Isolation "
                + isolation + " gives " + scope + " an AWS account of its own (here " + account + "), but S3 bucket"
                + " names are global: while one account holds a name, no other can create it. bsm deletes an"
                + " isolated account's buckets when its class (or test) ends, so classes one after the other can"
                + " reuse a name, classes at the same time cannot. Give the bucket a unique name, for example \""
                + bucket + "-\" + bsm.awsAccountId(), or a random suffix.";
    }

    private static String holder(String bucket) {
        Optional<String> holder = BucketCleanup.holder(bucket);
        if (holder.isEmpty()) {
            return "not one of this run's isolated classes or tests, but the emulator's default account (a class"
                    + " with isolation NONE, which keeps its buckets, or a client with no session) or something outside"
                    + " this JVM";
        }
        return "account " + holder.get() + " of " + Accounts.owner(holder.get())
                .map(owner -> owner.name() + ", which is running at the same time")
                .orElse("a class or test that ended without deleting it (its failure says why)");
    }
}
