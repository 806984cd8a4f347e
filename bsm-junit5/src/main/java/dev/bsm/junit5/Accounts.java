package dev.bsm.junit5;

import dev.bsm.core.BotoSesManager;
import dev.bsm.testkit.Emulator;
import dev.bsm.testkit.LocalStackEmulator;
import dev.bsm.testkit.MotoServer;
import java.security.SecureRandom;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;

/**
 * The accounts of isolated scopes: a fresh 12-digit id per test class (shared by its {@code @Nested} classes) or
 * per test method, never the emulator's default account and never one that another scope, another test JVM of this
 * machine or another shard ({@link WithAwsSessionParameters#SHARD bsm.shard}) uses: see {@link AccountIds}.
 */
final class Accounts {
    private static final Namespace NAMESPACE = Namespace.create(Accounts.class);
    /** This JVM's id sources, one per shard id (or none) it has met: their slots are claimed against each other's. */
    private static final Map<OptionalInt, AccountIds> SOURCES = new ConcurrentHashMap<>();
    /** Whose each account is, while its owner runs: for messages about it. */
    private static final Map<String, Owner> OWNERS = new ConcurrentHashMap<>();

    private Accounts() {
    }

    /**
     * An account and the context that owns it: its managers are cached in that context's store and closed with
     * it.
     */
    record Account(String id, ExtensionContext owner) {
    }

    /**
     * Who an account belongs to.
     *
     * @param name the test class or test, as {@link SessionSpecs#testName} says it
     * @param isolation the isolation it was handed out for ({@code TEST} also for a class's own account)
     */
    record Owner(String name, Isolation isolation) {
    }

    /**
     * {@return the account of a scope with the given isolation} CLASS: the outermost class's (a {@code @Nested}
     * class's tests run the enclosing class's {@code @BeforeEach} methods, which must see what its
     * {@code @BeforeAll} made); TEST: the test method's, or for the class's own callbacks the class's.
     */
    static Account of(ExtensionContext context, Isolation isolation, Emulator emulator) {
        ExtensionContext owner = isolation == Isolation.TEST && context.getTestMethod().isPresent()
                ? context : outermostClass(context);
        // Keyed by the owner: a store also answers with what its ancestors hold (a test method's with its class's).
        String id = owner.getStore(NAMESPACE).getOrComputeIfAbsent("account of " + owner.getUniqueId(),
                k -> new Issued(fresh(context, defaultAccounts(emulator)), new Owner(SessionSpecs.testName(owner), isolation)),
                Issued.class).id;
        return new Account(id, owner);
    }

    /** {@return whose an account is, while its owner runs} */
    static Optional<Owner> owner(String id) {
        return Optional.ofNullable(OWNERS.get(id));
    }

    /** An account in its owner's store: known by {@link #owner} until the owner's context closes. */
    private static final class Issued extends StoredResource {
        final String id;

        Issued(String id, Owner owner) {
            this.id = id;
            OWNERS.put(id, owner);
        }

        @Override
        void release() {
            OWNERS.remove(id);
        }
    }

    private static ExtensionContext outermostClass(ExtensionContext context) {
        ExtensionContext outermost = context;
        for (ExtensionContext c = context; c.getTestClass().isPresent(); c = c.getParent().orElseThrow()) {
            if (c.getTestMethod().isEmpty()) {
                outermost = c;
            }
        }
        return outermost;
    }

    /** A 12-digit id of the context's shard that is none of the given ones and was never handed out before. */
    static String fresh(ExtensionContext context, Set<String> taken) {
        return source(WithAwsSessionParameters.shard(context)).next(taken);
    }

    /** {@link #fresh(ExtensionContext, Set)} without a shard id. */
    static String fresh(Set<String> taken) {
        return source(OptionalInt.empty()).next(taken);
    }

    private static AccountIds source(OptionalInt shard) {
        return SOURCES.computeIfAbsent(shard,
                s -> new AccountIds(s, new SecureRandom(), AccountSlotClaims.ofJvm()));
    }

    /**
     * Whether the emulator puts a request in the account bsm picked for it (moto by the header
     * {@code x-moto-account-id}, LocalStack by the access key id), so that an isolated manager can be told its
     * account and {@code awsAccountId()} needs no GetCallerIdentity. Known for moto and LocalStack. An external
     * endpoint may be an emulator that does neither: once per run, a manager in a fresh account that was not told
     * it asks STS; an emulator whose STS fails counts as one that does not map, so its managers ask STS when
     * asked, as before.
     *
     * @param untold a manager in the given account, not told it
     */
    static boolean mapsAccounts(ExtensionContext context, Emulator emulator,
            Function<String, BotoSesManager> untold) {
        if (emulator instanceof MotoServer || emulator instanceof LocalStackEmulator) {
            return true;
        }
        return context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent("maps accounts " + emulator.endpoint(),
                k -> {
                    String probe = fresh(context, defaultAccounts(emulator));
                    try (BotoSesManager manager = untold.apply(probe)) {
                        return manager.awsAccountId().equals(probe);
                    } catch (RuntimeException e) {
                        return false;
                    }
                }, Boolean.class);
    }

    /**
     * The account the emulator gives requests that name none, which isolation must never hand out: the emulator
     * says which; an external endpoint is asked once (its own session's GetCallerIdentity).
     */
    static Set<String> defaultAccounts(Emulator emulator) {
        if (emulator instanceof MotoServer moto) {
            return Set.of(moto.accountId());
        }
        if (emulator instanceof LocalStackEmulator localStack) {
            return Set.of(localStack.accountId());
        }
        // Unbound: whatever scope this thread is in must not choose the account of the emulator's own session.
        SessionBinding.Restore unbound = SessionBinding.bind(null);
        try {
            return Set.of(emulator.session().awsAccountId());
        } catch (RuntimeException e) {
            return Set.of(); // an emulator without STS: a random id is as good as any
        } finally {
            unbound.close();
        }
    }
}
