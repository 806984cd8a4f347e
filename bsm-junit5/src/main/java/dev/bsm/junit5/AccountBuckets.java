package dev.bsm.junit5;

import dev.bsm.core.BotoSesManager;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Bucket;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.ListObjectVersionsResponse;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The S3 half of {@link BucketCleanup}: loaded only when an account sent a CreateBucket, so S3 stays an optional
 * dependency.
 */
final class AccountBuckets {
    private AccountBuckets() {
    }

    /**
     * Deletes every bucket the manager's account lists (ListBuckets is per account, in AWS, moto and LocalStack),
     * each emptied first, except one that bsm saw another isolated account create: an emulator whose ListBuckets
     * ignores accounts must not make one class delete the buckets of another class running at the same time.
     *
     * @param account the manager's account
     * @return the buckets left, with why; empty when all are gone
     */
    static Map<String, RuntimeException> deleteAll(BotoSesManager manager, String account) {
        return deleteAll(manager, account, 1000);
    }

    /** @param pageSize how many object versions to list and delete at a time, at most 1,000 (one DeleteObjects) */
    static Map<String, RuntimeException> deleteAll(BotoSesManager manager, String account, int pageSize) {
        S3Client s3 = manager.client(S3Client.class);
        Map<String, RuntimeException> left = new LinkedHashMap<>();
        for (Bucket bucket : s3.listBuckets().buckets()) {
            if (BucketCleanup.holder(bucket.name()).filter(holder -> !holder.equals(account)).isPresent()) {
                continue;
            }
            try {
                delete(s3, bucket.name(), pageSize);
            } catch (NoSuchBucketException e) {
                // deleted meanwhile
            } catch (RuntimeException e) {
                left.put(bucket.name(), e);
            }
        }
        return left;
    }

    private static void delete(S3Client s3, String bucket, int pageSize) {
        deleteVersions(s3, bucket, pageSize);
        try {
            s3.deleteBucket(r -> r.bucket(bucket));
        } catch (S3Exception e) {
            if (!"BucketNotEmpty".equals(e.awsErrorDetails().errorCode())) {
                throw e;
            }
            // Unfinished multipart uploads, where the emulator counts them (rare: listed only then, one call less).
            s3.listMultipartUploadsPaginator(r -> r.bucket(bucket)).uploads().forEach(upload -> s3
                    .abortMultipartUpload(r -> r.bucket(bucket).key(upload.key()).uploadId(upload.uploadId())));
            deleteVersions(s3, bucket, pageSize); // and what was put meanwhile
            s3.deleteBucket(r -> r.bucket(bucket));
        }
    }

    private static void deleteVersions(S3Client s3, String bucket, int pageSize) {
        // Always the first page again: moto's markers skip entries once the ones before them are deleted.
        Set<ObjectIdentifier> deleted = Set.of();
        while (true) {
            ListObjectVersionsResponse page = s3.listObjectVersions(r -> r.bucket(bucket).maxKeys(pageSize));
            Set<ObjectIdentifier> versions = new LinkedHashSet<>();
            page.versions().forEach(v -> versions.add(version(v.key(), v.versionId())));
            page.deleteMarkers().forEach(m -> versions.add(version(m.key(), m.versionId())));
            if (versions.isEmpty()) {
                return;
            }
            if (versions.stream().anyMatch(deleted::contains)) {
                throw new IllegalStateException("the emulator still lists object versions it said it deleted, for"
                        + " example '" + versions.stream().filter(deleted::contains).findFirst().get().key() + "'");
            }
            DeleteObjectsResponse response = s3.deleteObjects(r -> r.bucket(bucket).bypassGovernanceRetention(true)
                    .delete(d -> d.objects(versions).quiet(true)));
            if (!response.errors().isEmpty()) {
                throw new IllegalStateException(response.errors().size() + (response.errors().size() == 1
                        ? " object version remains, " : " object versions remain, for example ")
                        + response.errors().stream().limit(3).map(e -> "'" + e.key() + "' (" + e.code() + ": "
                                + e.message() + ")").collect(Collectors.joining(", ")));
            }
            if (!page.isTruncated()) {
                return;
            }
            deleted = versions;
        }
    }

    /** A version to delete; {@code null} is the version id of objects in an unversioned bucket. */
    private static ObjectIdentifier version(String key, String versionId) {
        return ObjectIdentifier.builder().key(key).versionId(versionId).build();
    }
}
