package dev.bsm.junit5;

import dev.bsm.core.AwsCliVariables;
import dev.bsm.core.BotoSesManager;
import dev.bsm.core.InvalidSnapshotException;
import dev.bsm.core.NoCredentialsException;
import dev.bsm.core.NoRegionException;
import dev.bsm.core.UnknownProfileException;
import dev.bsm.core.internal.BuildSession;
import dev.bsm.testkit.Emulator;
import dev.bsm.testkit.EmulatorChoice;
import dev.bsm.testkit.Emulators;
import dev.bsm.testkit.ExternalEndpoint;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ExtensionContext.Store;
import org.opentest4j.TestAbortedException;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * What the whole test run shares, in the root context's store: one manager per distinct configuration (so one
 * AssumeRole per configuration per run), one emulator per endpoint choice and the owner-only directory for
 * snapshot files, all closed or removed when the run ends. The managers of an isolated scope's account are
 * cached per configuration in the store of the context that owns the account (a class, or a test method), and
 * closed with it.
 *
 * <p>Every manager made here marks its clients {@link SessionInterceptor#MANAGED}: they carry their own identity,
 * which no thread's binding changes.
 */
final class RunResources {
    private static final Namespace NAMESPACE = Namespace.create(RunResources.class);

    private RunResources() {
    }

    /** The manager of a session, created on first use and shared by every test with the same configuration. */
    static BotoSesManager manager(ExtensionContext context, SessionSpec spec) {
        return manager(context, spec, Optional.empty());
    }

    /**
     * The manager of a session in an account of its own (an emulator session with isolation), or the run's when
     * the account is empty.
     */
    static BotoSesManager manager(ExtensionContext context, SessionSpec spec, Optional<Accounts.Account> account) {
        try {
            if (account.isPresent()) {
                return isolated(context, emulatorKey(context, spec), account.get(), false);
            }
            return managerOf(context, spec);
        } catch (UnknownProfileException e) {
            // Only the profile's existence is left to check here: every other attribute was checked by SessionSpecs.
            throw new ExtensionConfigurationException(SessionSpecs.testName(context) + ": " + spec.label()
                    + ": attribute 'profile' (or configuration parameter " + WithAwsSessionParameters.PROFILE + "): "
                    + e.getMessage(), e);
        } catch (InvalidSnapshotException e) {
            // Only the build's session reads a snapshot here.
            throw new ExtensionConfigurationException(SessionSpecs.testName(context) + ": " + spec.label()
                    + ": the build's session (system property " + BuildSession.SNAPSHOT_FILE + ", set by"
                    + " bsm-maven-plugin's prepare goal) cannot be used: " + e.getMessage() + ". Run the tests"
                    + " through the build, after the goal, or leave the property out.", e);
        }
    }

    /** The key of an emulator session, with the emulator's endpoint request and region made explicit. */
    private static SessionSpec.ManagerKey emulatorKey(ExtensionContext context, SessionSpec spec) {
        Optional<String> requested = requestedEndpoint(context, spec.endpoint());
        return spec.key().forEmulator(requested, emulator(context, requested).region());
    }

    /** The emulator of an emulator session. */
    static Emulator emulator(ExtensionContext context, SessionSpec spec) {
        return emulator(context, requestedEndpoint(context, spec.endpoint()));
    }

    /**
     * The variables that every shared-environment class sets alike: those of the run's manager for the session
     * without its role, and no {@code BSM_SNAPSHOT_FILE} (one inherited from a parent process would name another
     * session).
     */
    static AwsCliVariables sharedVariables(ExtensionContext context, SessionSpec spec) {
        return manager(context, emulatorKey(context, spec).base()).awscliVariables()
                .with(BotoSesManager.SNAPSHOT_FILE_VARIABLE, Optional.empty());
    }

    private static BotoSesManager managerOf(ExtensionContext context, SessionSpec spec) {
        SessionSpec.ManagerKey key = spec.key();
        if (spec.emulator()) {
            key = emulatorKey(context, spec);
        } else if (BuildSessions.serving(key).isEmpty()) {
            // A role's credentials come from the base session: check those first, so a missing key aborts or
            // fails with bsm's message instead of the SDK's from inside AssumeRole.
            checkCredentials(context, spec, manager(context, key.base()));
        }
        BotoSesManager manager = manager(context, key);
        if (!spec.emulator()) {
            checkCredentials(context, spec, manager);
        }
        return manager;
    }

    private static BotoSesManager manager(ExtensionContext context, SessionSpec.ManagerKey key) {
        Store store = store(context);
        try {
            return store.getOrComputeIfAbsent(key, k -> new CachedManager(create(context, key)),
                    CachedManager.class).manager;
        } catch (RuntimeException e) {
            // JUnit's store would hand every later test this same failure; let the next one try again.
            store.remove(key);
            throw e;
        }
    }

    private static BotoSesManager create(ExtensionContext context, SessionSpec.ManagerKey key) {
        Optional<BuildSession> build = BuildSessions.serving(key);
        if (build.isPresent()) {
            return settled(BuildSessions.manager(build.get(), key,
                    c -> c.putExecutionAttribute(SessionInterceptor.MANAGED, Boolean.TRUE)));
        }
        if (key.assumesRole()) {
            return assumeRole(manager(context, key.base()), key);
        }
        BotoSesManager.Builder builder;
        if (key.emulator()) {
            Emulator emulator = emulator(context, key.endpoint());
            // The emulator's builder: its wire formats too (moto: no CBOR), in the clients and the environment.
            builder = emulator.sessionBuilder()
                    .region(key.region().orElse(emulator.region()))
                    // An emulator that hangs or dies fails the test in bounded time instead of blocking the run.
                    .overrideConfiguration(c -> c.apiCallTimeout(WithAwsSessionParameters.apiCallTimeout(context))
                            .putExecutionAttribute(SessionInterceptor.MANAGED, Boolean.TRUE)
                            .putExecutionAttribute(SessionInterceptor.MANAGED_EMULATOR, emulator.endpoint()));
        } else {
            builder = BotoSesManager.builder();
            key.profile().ifPresent(builder::profileName);
            key.region().ifPresent(builder::region);
            // A profile session's endpoint (checked by SessionSpecs): every call goes there, its roles' STS too.
            key.endpoint().map(ExternalEndpoint::parse).ifPresent(builder::endpointOverride);
            builder.overrideConfiguration(c -> c.putExecutionAttribute(SessionInterceptor.MANAGED, Boolean.TRUE));
        }
        return settled(builder.build());
    }

    /** A role's manager; it keeps the base manager's override configuration (interceptors, marks) for its clients. */
    private static BotoSesManager assumeRole(BotoSesManager base, SessionSpec.ManagerKey key) {
        return base.assumeRole(key.assumeRole().get(), o -> {
            key.roleSessionName().ifPresent(o::roleSessionName);
            key.durationSeconds().ifPresent(seconds -> o.duration(Duration.ofSeconds(seconds)));
            key.externalId().ifPresent(o::externalId);
            key.region().ifPresent(o::region);
            o.autoRefresh(key.autoRefresh());
        });
    }

    /**
     * Settles the region now, before any test sets another session's aws.region: cached managers must not take
     * their settings from whichever test first used them.
     */
    private static BotoSesManager settled(BotoSesManager manager) {
        try {
            manager.awsRegion();
        } catch (NoRegionException e) {
            // no region anywhere: clients will say so when built
        }
        return manager;
    }

    /** An isolated manager's cache key: the configuration, the account and whether only AssumeRole is in it. */
    private record IsolatedKey(SessionSpec.ManagerKey key, String account, boolean roleParent) {
    }

    /**
     * A manager in an account of the emulator: signed with an access key id that is the account (which
     * LocalStack-kind emulators take as the account) and sending the account's {@code x-moto-account-id} (moto's
     * way), so one manager serves every kind. A role is assumed from the account, through a manager that sends the
     * header with its AssumeRole calls only: the role's own requests inherit the manager's interceptor and go where
     * the role's credentials say (moto and LocalStack map credentials their STS issued to the role's account).
     */
    private static BotoSesManager isolated(ExtensionContext context, SessionSpec.ManagerKey key,
            Accounts.Account account, boolean roleParent) {
        Store store = account.owner().getStore(NAMESPACE);
        IsolatedKey cacheKey = new IsolatedKey(key, account.id(), roleParent);
        try {
            // Only a manager whose requests all go from the account deletes its buckets: a role's go from the
            // role's account, a role parent's S3 requests from the emulator's default account.
            return store.getOrComputeIfAbsent(cacheKey, k -> key.assumesRole()
                    ? new CachedManager(assumeRole(isolated(context, key.base(), account, true), key))
                    : roleParent ? new CachedManager(createIsolated(context, key, account.id(), true))
                    : new CachedManager(createIsolated(context, key, account.id(), false), manager -> BucketCleanup
                            .clean(manager, account.id(), () -> SessionSpecs.testName(account.owner()))),
                    CachedManager.class).manager;
        } catch (RuntimeException e) {
            store.remove(cacheKey);
            throw e;
        }
    }

    /**
     * Where the emulator is known to act in the account bsm picked ({@link Accounts#mapsAccounts}), the manager is
     * told it, so {@code awsAccountId()} needs no GetCallerIdentity (the user id and ARN still ask). A role
     * parent's requests other than AssumeRole go from the emulator's default account: it is not told.
     */
    private static BotoSesManager createIsolated(ExtensionContext context, SessionSpec.ManagerKey key,
            String account, boolean roleParent) {
        Emulator emulator = emulator(context, key.endpoint());
        boolean told = !roleParent && Accounts.mapsAccounts(context, emulator,
                probe -> newIsolated(context, key, emulator, probe, false, false));
        return newIsolated(context, key, emulator, account, roleParent, told);
    }

    /**
     * Its requests go through the HTTP clients of the run's manager of the same configuration (one connection pool,
     * and for async clients one set of Netty threads, for every account) and its API call timeouts run on the run's
     * scheduler ({@link IsolatedScheduler}); a client kept after its class still fails, as the manager's borrowed
     * HTTP clients stop when it closes.
     */
    private static BotoSesManager newIsolated(ExtensionContext context, SessionSpec.ManagerKey key,
            Emulator emulator, String account, boolean roleParent, boolean told) {
        SessionBinding binding = new SessionBinding(Optional.of(account), null, Optional.of(emulator.endpoint()),
                "account " + account);
        BotoSesManager.Builder builder = emulator.sessionBuilder()
                .credentials(account, emulator.secretAccessKey())
                .region(key.region().orElse(emulator.region()))
                .httpClientsOf(manager(context, key.base()))
                .overrideConfiguration(c -> c.apiCallTimeout(WithAwsSessionParameters.apiCallTimeout(context))
                        .scheduledExecutorService(IsolatedScheduler.of(context))
                        .addExecutionInterceptor(SessionInterceptor.forManager(binding, roleParent))
                        .putExecutionAttribute(SessionInterceptor.MANAGED, Boolean.TRUE)
                        .putExecutionAttribute(SessionInterceptor.MANAGED_EMULATOR, emulator.endpoint()));
        if (told) {
            builder.accountId(account);
        }
        return settled(builder.build());
    }

    /**
     * What clients the code under test builds itself sign with in an isolated account: the keys of the account's
     * manager, whose access key id is the account (LocalStack-kind emulators take it as the account).
     */
    static AwsCredentialsProvider isolatedCredentials(Emulator emulator, String account) {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(account, emulator.secretAccessKey()));
    }

    private static Optional<String> requestedEndpoint(ExtensionContext context, Optional<String> attribute) {
        return attribute.or(() -> WithAwsSessionParameters.text(context, WithAwsSessionParameters.ENDPOINT));
    }

    /**
     * The run's owner-only directory for snapshot files, created on first use after sweeping the directories
     * that killed JVMs left behind, and removed when the run ends.
     */
    static Path snapshotDirectory(ExtensionContext context) {
        return store(context).getOrComputeIfAbsent("snapshot directory", k -> {
            Path tempDirectory = Path.of(System.getProperty("java.io.tmpdir"));
            SnapshotDirectories.sweepOrphans(tempDirectory);
            return new SnapshotDirectory(SnapshotDirectories.create(tempDirectory));
        }, SnapshotDirectory.class).path;
    }

    /** The run's snapshot directory; each test removes its own file, the run removes the directory. */
    static final class SnapshotDirectory extends StoredResource {
        final Path path;

        SnapshotDirectory(Path path) {
            this.path = path;
        }

        @Override
        void release() {
            SnapshotDirectories.delete(path);
        }
    }

    /** The emulator for an endpoint (or the automatic choice), chosen and started once per run. */
    static Emulator emulator(ExtensionContext context, Optional<String> requested) {
        Optional<URI> explicit;
        try {
            explicit = requested.map(ExternalEndpoint::parse);
        } catch (IllegalArgumentException e) {
            throw new ExtensionConfigurationException("The emulator endpoint (attribute 'endpoint' or configuration"
                    + " parameter " + WithAwsSessionParameters.ENDPOINT + ") is not usable: " + e.getMessage(), e);
        }
        String key = "emulator " + explicit.map(URI::toString).orElse("auto");
        EmulatorChoice choice = store(context).getOrComputeIfAbsent(key,
                k -> new CachedChoice(Emulators.choose(explicit)), CachedChoice.class).choice;
        choice.emulator().ifPresent(emulator -> EmulatorGuard.emulatorInUse(emulator.endpoint()));
        return choice.emulator().orElseThrow(() -> new TestAbortedException(
                "No AWS emulator is available for @WithAwsSession(localstack = true). " + choice.summary()));
    }

    private static void checkCredentials(ExtensionContext context, SessionSpec spec, BotoSesManager manager) {
        try {
            manager.expiration(); // resolves the credentials
        } catch (NoCredentialsException e) {
            boolean abort = WithAwsSessionParameters.abortOnMissingCredentials(context);
            String message = spec.label() + ": " + e.getMessage()
                    + (abort ? "" : " (set the configuration parameter " + WithAwsSessionParameters.MISSING_CREDENTIALS
                            + "=abort to skip such tests instead)");
            if (abort) {
                throw new TestAbortedException(message);
            }
            throw new ExtensionConfigurationException(message, e);
        }
    }

    private static Store store(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE);
    }

    /** A manager the run (or an isolated account's owner) owns. */
    static final class CachedManager extends StoredResource {
        final BotoSesManager manager;
        private final Consumer<BotoSesManager> beforeClose;

        CachedManager(BotoSesManager manager) {
            this(manager, m -> { });
        }

        /** @param beforeClose what to do with the manager before it closes (an isolated account's cleanup) */
        CachedManager(BotoSesManager manager, Consumer<BotoSesManager> beforeClose) {
            this.manager = manager;
            this.beforeClose = beforeClose;
        }

        @Override
        void release() {
            try {
                beforeClose.accept(manager);
            } finally {
                manager.close();
            }
        }
    }

    /** An emulator choice the run owns; closing stops what the choice started (shared ones stay). */
    static final class CachedChoice extends StoredResource {
        final EmulatorChoice choice;

        CachedChoice(EmulatorChoice choice) {
            this.choice = choice;
        }

        @Override
        void release() {
            choice.emulator().ifPresent(Emulator::close);
        }
    }
}
