package dev.bsm.junit5;

import java.util.OptionalInt;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * The 12-digit account ids that one test JVM hands to isolated scopes, laid out {@code SSS JJJJJJ CCC} so that test
 * JVMs sharing one emulator never hand out the same id:
 * <ul>
 *   <li>{@code SSS}, the shard: {@link WithAwsSessionParameters#SHARD bsm.shard} (000 to 899) where it is set,
 *       else a random 900 to 999, so a build without a shard id never meets one with it;</li>
 *   <li>{@code JJJJJJ}, the slot: random, and claimed together with {@code SSS} as one 9-digit prefix through
 *       {@link SlotClaims} before use, so no two JVMs that share the claims (those of one user and temporary
 *       directory on one machine) ever hold the same prefix, at once or one after the other;</li>
 *   <li>{@code CCC}, a counter within the slot: 1000 ids per slot, then the next slot is claimed.</li>
 * </ul>
 * Ids in {@code taken} (the emulator's default account) are skipped. Claims cannot reach other machines: there the
 * shard keeps JVMs apart, by construction where shard ids differ. Two machines with the same shard id (or none)
 * draw their slots independently: with J and K JVMs, the chance that any prefix is drawn by both is at most
 * J·K / 10^6 with the same shard id and J·K / 10^8 without any (four forks each: 1.6 · 10^-7).
 */
final class AccountIds {
    /** Shard ids are 0 to {@code SHARDS - 1}; the leading three digits from {@code SHARDS} on are for builds without. */
    static final int SHARDS = 900;
    static final int SLOTS = 1_000_000;
    static final int IDS_PER_SLOT = 1000;
    /** Draws before giving up on a free slot: 1000 misses in a row means nearly every slot is claimed. */
    private static final int CLAIM_ATTEMPTS = 1000;
    private static final String RANGE = "use a whole number from 0 to " + (SHARDS - 1) + ", a different one on each"
            + " CI machine that shares the emulator, such as the matrix index (-Dbsm.shard=${{ matrix.shard }})";

    /** Claims prefixes for one JVM against every other JVM that shares them. */
    interface SlotClaims {
        /**
         * {@return whether the 9-digit prefix is now this JVM's, never to be handed to another; false if another
         * JVM (or this one) claimed it before}
         */
        boolean claim(String prefix);

        /** {@return where the claims are, for a message} */
        String where();
    }

    private final OptionalInt shard;
    private final RandomGenerator random;
    private final SlotClaims claims;
    private String prefix;
    private int counter = IDS_PER_SLOT;

    AccountIds(OptionalInt shard, RandomGenerator random, SlotClaims claims) {
        shard.ifPresent(AccountIds::checkShard);
        this.shard = shard;
        this.random = random;
        this.claims = claims;
    }

    /** {@return a fresh id: none of {@code taken}, and never returned before by any source sharing the claims} */
    synchronized String next(Set<String> taken) {
        while (true) {
            if (counter == IDS_PER_SLOT) {
                prefix = claimSlot();
                counter = 0;
            }
            String id = prefix + String.format("%03d", counter++);
            if (!taken.contains(id)) {
                return id;
            }
        }
    }

    private String claimSlot() {
        for (int attempt = 0; attempt < CLAIM_ATTEMPTS; attempt++) {
            int lead = shard.isPresent() ? shard.getAsInt() : SHARDS + random.nextInt(1000 - SHARDS);
            String candidate = String.format("%03d%06d", lead, random.nextInt(SLOTS));
            if (claims.claim(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("bsm found no free account slot in " + CLAIM_ATTEMPTS + " draws"
                + shard.stream().mapToObj(s -> " for shard " + s).findFirst().orElse("") + ": nearly all are claimed"
                + " in " + claims.where() + ". Remove the claim files there that no running build uses (each is"
                + " one test JVM's), or use another shard id.");
    }

    /**
     * Parses a shard id.
     *
     * @throws IllegalArgumentException naming the problem and the fix, if it is not a whole number from 0 to 899
     */
    static int parseShard(String value) {
        if (!value.matches("\\d{1,9}")) {
            throw new IllegalArgumentException("is not a shard id: " + RANGE);
        }
        int shard = Integer.parseInt(value);
        checkShard(shard);
        return shard;
    }

    private static void checkShard(int shard) {
        if (shard < 0 || shard >= SHARDS) {
            throw new IllegalArgumentException("is out of range: " + RANGE);
        }
    }
}
