package dev.bsm.junit5;

import dev.bsm.core.BotoSesManager;
import dev.bsm.core.NoCredentialsException;
import dev.bsm.core.NoRegionException;
import dev.bsm.core.UnknownProfileException;
import dev.bsm.testkit.Emulator;
import dev.bsm.testkit.EmulatorChoice;
import dev.bsm.testkit.Emulators;
import dev.bsm.testkit.ExternalEndpoint;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ExtensionContext.Store;
import org.opentest4j.TestAbortedException;

/**
 * What the whole test run shares, in the root context's store: one manager per distinct configuration (so one
 * AssumeRole per configuration per run), one emulator per endpoint choice and the owner-only directory for
 * snapshot files, all closed or removed when the run ends.
 */
final class RunResources {
    private static final Namespace NAMESPACE = Namespace.create(RunResources.class);

    private RunResources() {
    }

    /** The manager of a session, created on first use and shared by every test with the same configuration. */
    static BotoSesManager manager(ExtensionContext context, SessionSpec spec) {
        try {
            return managerOf(context, spec);
        } catch (UnknownProfileException e) {
            // Only the profile's existence is left to check here: every other attribute was checked by SessionSpecs.
            throw new ExtensionConfigurationException(SessionSpecs.testName(context) + ": " + spec.label()
                    + ": attribute 'profile' (or configuration parameter " + WithAwsSessionParameters.PROFILE + "): "
                    + e.getMessage(), e);
        }
    }

    private static BotoSesManager managerOf(ExtensionContext context, SessionSpec spec) {
        SessionSpec.ManagerKey key = spec.key();
        if (spec.emulator()) {
            Optional<String> requested = requestedEndpoint(context, spec.endpoint());
            key = key.forEmulator(requested, emulator(context, requested).region());
        } else {
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
        if (key.assumesRole()) {
            BotoSesManager base = manager(context, key.base());
            return base.assumeRole(key.assumeRole().get(), o -> {
                key.roleSessionName().ifPresent(o::roleSessionName);
                key.durationSeconds().ifPresent(seconds -> o.duration(Duration.ofSeconds(seconds)));
                key.externalId().ifPresent(o::externalId);
                key.region().ifPresent(o::region);
                o.autoRefresh(key.autoRefresh());
            });
        }
        BotoSesManager.Builder builder = BotoSesManager.builder();
        if (key.emulator()) {
            Emulator emulator = emulator(context, key.endpoint());
            builder.credentials(emulator.accessKeyId(), emulator.secretAccessKey())
                    .region(key.region().orElse(emulator.region()))
                    .endpointOverride(emulator.endpoint())
                    // An emulator that hangs or dies fails the test in bounded time instead of blocking the run.
                    .overrideConfiguration(c -> c.apiCallTimeout(WithAwsSessionParameters.apiCallTimeout(context)));
        } else {
            key.profile().ifPresent(builder::profileName);
            key.region().ifPresent(builder::region);
        }
        BotoSesManager manager = builder.build();
        // Settle the region now, before any test sets another session's aws.region: cached managers must not
        // take their settings from whichever test first used them.
        try {
            manager.awsRegion();
        } catch (NoRegionException e) {
            // no region anywhere: clients will say so when built
        }
        return manager;
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

    /** A manager the run owns. */
    static final class CachedManager extends StoredResource {
        final BotoSesManager manager;

        CachedManager(BotoSesManager manager) {
            this.manager = manager;
        }

        @Override
        void release() {
            manager.close();
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
