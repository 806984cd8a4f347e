package dev.bsm.junit5;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import dev.bsm.core.BotoSesManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/**
 * The account id scheme ({@link AccountIds}): ids of different shards, of JVMs sharing the claims, and of one JVM
 * past a slot's end never meet; the emulator's default account is skipped; bad shard ids are refused naming
 * {@code bsm.shard} and the fix. Several "JVMs" are several sources here, drawing from identically seeded randoms
 * so that without the claims they would draw the same slots.
 */
class AccountIdsTests {
    private static final String MOTO_DEFAULT = "123456789012";
    private static final int IDS = 2_500; // past two slots' ends

    @TempDir
    Path temp;

    @Test
    void twoJvmsOfOneShardSharingTheClaimsNeverHandOutTheSameIdThoughTheyDrawTheSameSlots() {
        AccountIds.SlotClaims claims = new AccountSlotClaims(temp);
        List<String> first = ids(new AccountIds(OptionalInt.of(1), seeded(), claims), IDS);
        List<String> second = ids(new AccountIds(OptionalInt.of(1), seeded(), claims), IDS);
        assertThat(first).allMatch(id -> id.matches("001\\d{9}")).doesNotHaveDuplicates();
        assertThat(second).allMatch(id -> id.matches("001\\d{9}")).doesNotHaveDuplicates()
                .doesNotContainAnyElementsOf(first);
    }

    /** The check above can fail: without claims (each JVM knowing only its own ids) the same draws collide. */
    @Test
    void withoutSharedClaimsTheSameDrawsCollide() {
        List<String> first = ids(new AccountIds(OptionalInt.of(1), seeded(), inMemoryClaims()), IDS);
        List<String> second = ids(new AccountIds(OptionalInt.of(1), seeded(), inMemoryClaims()), IDS);
        assertThat(second).containsAnyElementsOf(first);
    }

    @Test
    void differentShardsOnMachinesOfTheirOwnNeverMeetEvenWithTheSameDraws() {
        List<String> one = ids(new AccountIds(OptionalInt.of(1), seeded(), inMemoryClaims()), IDS);
        List<String> two = ids(new AccountIds(OptionalInt.of(2), seeded(), inMemoryClaims()), IDS);
        assertThat(one).allMatch(id -> id.startsWith("001"));
        assertThat(two).allMatch(id -> id.startsWith("002")).doesNotContainAnyElementsOf(one);
    }

    @Test
    void withoutAShardIdTheLeadingDigitsAreNeverAShardIds() {
        List<String> ids = new ArrayList<>();
        for (int jvm = 0; jvm < 200; jvm++) { // 200 JVMs of one id each: 200 independent draws of the lead
            ids.addAll(ids(new AccountIds(OptionalInt.empty(), new SplittableRandom(jvm), inMemoryClaims()), 1));
        }
        assertThat(ids).allMatch(id -> id.matches("9\\d{11}")).doesNotHaveDuplicates();
        assertThat(ids.stream().map(id -> id.substring(0, 3)).distinct().count()).as("distinct leads").isGreaterThan(50);
    }

    @Test
    void aSlotGivesAThousandIdsThenTheNextSlotIsClaimed() {
        MemoryClaims recording = inMemoryClaims();
        List<String> claimed = recording.claimed;
        List<String> ids = ids(new AccountIds(OptionalInt.of(899), seeded(), recording), IDS);
        assertThat(claimed).hasSize(3).allMatch(prefix -> prefix.matches("899\\d{6}"));
        assertThat(ids.subList(0, 1000)).allMatch(id -> id.startsWith(claimed.get(0)));
        assertThat(ids.get(0)).endsWith("000");
        assertThat(ids.get(999)).endsWith("999");
        assertThat(ids.get(1000)).startsWith(claimed.get(1)).endsWith("000");
        assertThat(ids).allMatch(id -> id.length() == 12).doesNotHaveDuplicates();
    }

    @Test
    void theEmulatorsDefaultAccountIsSkippedWhereTheSchemeWouldReachIt() {
        // Shard 123, slot 456789: the prefix of moto's default account, which counter 012 would complete.
        RandomGenerator slot456789 = new RandomGenerator() {
            @Override
            public long nextLong() {
                throw new UnsupportedOperationException();
            }

            @Override
            public int nextInt(int bound) {
                return 456789;
            }
        };
        List<String> ids = ids(new AccountIds(OptionalInt.of(123), slot456789, inMemoryClaims()), 999,
                Set.of(MOTO_DEFAULT));
        assertThat(ids).hasSize(999).doesNotContain(MOTO_DEFAULT).contains("123456789011", "123456789013");
    }

    @Test
    void claimsAreAtomicOwnerOnlyFilesThatAreKept() throws Exception {
        AccountSlotClaims claims = new AccountSlotClaims(temp);
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                results.add(pool.submit(() -> {
                    go.await();
                    return claims.claim("001000042");
                }));
            }
            go.countDown();
            int won = 0;
            for (Future<Boolean> result : results) {
                won += result.get() ? 1 : 0;
            }
            assertThat(won).as("claims of one prefix at once that succeeded").isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
        Path file = onlyClaimDirectory().resolve("001000042");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS)))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent(),
                LinkOption.NOFOLLOW_LINKS))).isEqualTo("rwx------");
        assertThat(new AccountSlotClaims(temp).claim("001000042")).as("a later JVM's claim of it").isFalse();
    }

    @Test
    void aClaimDirectoryThatIsALinkIsRefusedSayingWhy() throws IOException {
        new AccountSlotClaims(temp).claim("001000001");
        Path claims = onlyClaimDirectory();
        Path elsewhere = Files.createDirectory(temp.resolve("elsewhere"));
        Files.setPosixFilePermissions(elsewhere, PosixFilePermissions.fromString("rwx------"));
        try (var files = Files.list(claims)) {
            for (Path f : files.toList()) {
                Files.delete(f);
            }
        }
        Files.delete(claims);
        Files.createSymbolicLink(claims, elsewhere);
        assertThatThrownBy(() -> new AccountSlotClaims(temp).claim("001000002"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("bsm cannot claim account ids")
                .hasMessageContaining(AccountSlotClaims.DIRECTORY).hasMessageContaining("symbolic link");
        assertThat(elsewhere).isEmptyDirectory();
    }

    @Test
    void aTemporaryDirectoryThatCannotBeWrittenFailsNamingTheFix() throws IOException {
        // Stands in for a full or read-only one (root writes through modes): no file can be made in it either.
        Path notADirectory = Files.createFile(temp.resolve("not-a-directory"));

        assertThatThrownBy(() -> new AccountSlotClaims(notADirectory).claim("001000003"))
                .isInstanceOf(UncheckedIOException.class).hasMessageContaining("bsm cannot claim account ids")
                .hasMessageContaining(notADirectory.toString()).hasMessageContaining("set java.io.tmpdir");
    }

    @Test
    void badShardIdsAreRefusedSayingTheRange() {
        for (String bad : List.of("abc", "-1", "1.5", "900", "4294967296", "0x1")) {
            assertThatThrownBy(() -> AccountIds.parseShard(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("use a whole number from 0 to 899")
                    .hasMessageContaining("-Dbsm.shard=${{ matrix.shard }}");
        }
        assertThat(AccountIds.parseShard("0")).isZero();
        assertThat(AccountIds.parseShard("007")).isEqualTo(7);
        assertThat(AccountIds.parseShard("899")).isEqualTo(899);
    }

    @Test
    void aBadShardParameterFailsTheTestNamingTheParameterAndTheFix() {
        EngineExecutionResults results = BsmTestKit.run(Map.of("bsm.shard", "shard-one"), ShardTestCase.class);
        results.testEvents().assertStatistics(s -> s.succeeded(0));
        results.allEvents().assertThatEvents().haveAtLeastOne(event(finishedWithFailure(
                instanceOf(ExtensionConfigurationException.class),
                message(m -> m.contains("the configuration parameter bsm.shard='shard-one' is not a shard id")
                        && m.contains("use a whole number from 0 to 899")))));
    }

    @Test
    void isolatedClassesOfAShardGetAccountsWithItsDigitsFirst() {
        SEEN.clear();
        BsmTestKit.run(Map.of("bsm.shard", "42"), ShardTestCase.class, OtherShardTestCase.class).testEvents()
                .assertStatistics(s -> s.succeeded(2));
        assertThat(SEEN.values()).hasSize(2).allMatch(id -> id.matches("042\\d{9}")).doesNotHaveDuplicates();
    }

    private static final Map<String, String> SEEN = new ConcurrentHashMap<>();

    @WithAwsSession(localstack = true)
    static class ShardTestCase {
        @Test
        void account(BotoSesManager bsm) {
            SEEN.put(getClass().getName(), bsm.awsAccountId());
        }
    }

    static class OtherShardTestCase extends ShardTestCase {
    }

    private Path onlyClaimDirectory() throws IOException {
        try (var users = Files.list(temp)) {
            return users.filter(p -> p.getFileName().toString().matches("bsm-\\d+")).findFirst().orElseThrow()
                    .resolve(AccountSlotClaims.DIRECTORY);
        }
    }

    private static RandomGenerator seeded() {
        return new SplittableRandom(14);
    }

    private static MemoryClaims inMemoryClaims() {
        return new MemoryClaims();
    }

    /** The claims of one machine, in memory: in the order made. */
    private static final class MemoryClaims implements AccountIds.SlotClaims {
        final List<String> claimed = new ArrayList<>();

        @Override
        public synchronized boolean claim(String prefix) {
            if (claimed.contains(prefix)) {
                return false;
            }
            return claimed.add(prefix);
        }

        @Override
        public String where() {
            return "memory";
        }
    }

    private static List<String> ids(AccountIds source, int count) {
        return ids(source, count, Set.of());
    }

    private static List<String> ids(AccountIds source, int count, Set<String> taken) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(source.next(taken));
        }
        return ids;
    }
}
