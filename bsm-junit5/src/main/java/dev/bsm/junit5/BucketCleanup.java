package dev.bsm.junit5;

import dev.bsm.core.BotoSesManager;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Empties and deletes the S3 buckets of an isolated account when its owner (a test class, or a test with
 * {@code TEST}) ends, so that later classes can create buckets of the same names: bucket names are global, in
 * AWS and in the emulators. Runs only for accounts that bsm handed out on an emulator (never for {@code NONE}'s
 * shared account, never on real AWS), and only where a CreateBucket was sent in the account: the
 * {@link SessionInterceptor} notes every one, so a class that made no bucket pays nothing (no ListBuckets).
 *
 * <p>A bucket made without the SDK of this JVM (a child process, another SDK) is not noted; if nothing in the
 * account sent a CreateBucket through the SDK, it is left behind. What cannot be deleted fails the owner (the
 * class or the test) with an {@link IllegalStateException} naming the buckets and why: a bucket left behind
 * makes every later CreateBucket of its name fail, far from the cause. JUnit keeps an earlier failure of the
 * class or test as the main one and adds this one to it.
 *
 * <p>This class holds no S3 types: S3 is an optional dependency, loaded ({@link AccountBuckets}) only once an
 * account has sent a CreateBucket, which needs S3 on the class path.
 */
final class BucketCleanup {
    /** The accounts where a CreateBucket was sent, whatever its outcome (one that timed out may have made it). */
    private static final Set<String> CREATED_IN = ConcurrentHashMap.newKeySet();
    /** For the hint: which isolated account holds each bucket name, from CreateBucket to DeleteBucket. */
    private static final Map<String, String> HOLDERS = new ConcurrentHashMap<>();

    private BucketCleanup() {
    }

    /**
     * Notes what a finished request means for the buckets, from the interceptor's hooks.
     *
     * @param binding the request's binding, or null
     * @param succeeded whether the request succeeded
     */
    static void note(SessionBinding binding, SdkRequest request, ExecutionAttributes attributes, boolean succeeded) {
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        boolean create = "CreateBucket".equals(operation);
        if (!create && !"DeleteBucket".equals(operation) || !isS3(attributes)) {
            return;
        }
        Optional<String> account = binding == null ? Optional.empty() : binding.account();
        if (create) {
            account.ifPresent(CREATED_IN::add);
        }
        if (succeeded) {
            bucket(request).ifPresent(bucket -> {
                if (create) {
                    account.ifPresent(id -> HOLDERS.put(bucket, id));
                } else {
                    HOLDERS.remove(bucket);
                }
            });
        }
    }

    /** {@return whether a request is one of S3's (S3 Control has a CreateBucket of its own, for Outposts)} */
    static boolean isS3(ExecutionAttributes attributes) {
        return "S3".equals(attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME));
    }

    /** {@return the bucket a request names} */
    static Optional<String> bucket(SdkRequest request) {
        return request.getValueForField("Bucket", String.class);
    }

    /** {@return the isolated account that made a bucket of this name and has not deleted it, as far as bsm saw} */
    static Optional<String> holder(String bucket) {
        return Optional.ofNullable(HOLDERS.get(bucket));
    }

    /**
     * Deletes the buckets of an account, if it sent a CreateBucket, with everything in them: every object version
     * and delete marker (governance retention bypassed), every unfinished multipart upload.
     *
     * @param manager a manager in the account (its own account header, not a role's)
     * @param account the account
     * @param owner the test class or test that owned the account, for the message
     * @throws IllegalStateException naming the buckets that are left and why
     */
    static void clean(BotoSesManager manager, String account, Supplier<String> owner) {
        if (!CREATED_IN.contains(account)) {
            return;
        }
        Map<String, RuntimeException> left;
        try {
            left = AccountBuckets.deleteAll(manager, account);
        } catch (RuntimeException e) {
            throw new IllegalStateException(owner.get() + ": bsm could not list the S3 buckets of its account "
                    + account + " to delete them: " + e.getMessage() + consequence(false), e);
        }
        if (left.isEmpty()) {
            return;
        }
        StringBuilder why = new StringBuilder();
        left.forEach((bucket, e) -> why.append(why.length() == 0 ? "" : "; ").append("'").append(bucket)
                .append("': ").append(e.getMessage()));
        IllegalStateException failure = new IllegalStateException(owner.get() + ": bsm could not delete the S3 "
                + (left.size() == 1 ? "bucket " : "buckets ") + left.keySet() + " of its account " + account
                + " (" + why + ")." + consequence(left.size() == 1)
                + " Remove what keeps a bucket (an object under COMPLIANCE retention or a legal hold, for example)"
                + " in @AfterAll or @AfterEach, or give the bucket a unique name.", left.values().iterator().next());
        left.values().stream().skip(1).forEach(failure::addSuppressed);
        throw failure;
    }

    private static String consequence(boolean one) {
        return " Until " + (one ? "it is" : "they are") + " gone, no other account on the emulator can create a"
                + " bucket of the same name (BucketAlreadyExists).";
    }
}
