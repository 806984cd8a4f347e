package dev.bsm.maven;

import dev.bsm.testkit.BuildEmulator;
import dev.bsm.testkit.EmulatorStartException;
import dev.bsm.testkit.EmulatorUnavailableException;
import dev.bsm.testkit.TestkitSettings;
import java.util.Optional;
import java.util.Properties;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.MojoExecutionException;

/** What {@code prepare} checks and does for {@code <emulator>moto</emulator>}. */
final class EmulatorSetup {
    private EmulatorSetup() {
    }

    /**
     * Refuses the session's parameters beside the emulator (the forks' emulator sessions use the emulator's own
     * credentials, so a session resolved beside it would be used by nothing) and a share setting of one server per
     * JVM, which contradicts one for the build.
     */
    static void checkAlone(SessionSettings settings, MavenSession session) throws InvalidParameterException {
        Optional<String> conflict = settings.profile().map(v -> Parameters.PROFILE)
                .or(() -> settings.region().map(v -> Parameters.REGION))
                .or(() -> settings.endpoint().map(v -> Parameters.ENDPOINT))
                .or(() -> settings.assumeRole().map(v -> Parameters.ASSUME_ROLE));
        if (conflict.isEmpty()) {
            try {
                settings.check(); // names a role option set without assumeRole
            } catch (InvalidParameterException e) {
                throw new InvalidParameterException(Parameters.EMULATOR, "is moto, which conflicts with the session's"
                        + " parameters: " + e.getMessage() + ". Drop them, or drop emulator", e);
            }
        }
        if (conflict.isPresent()) {
            throw new InvalidParameterException(Parameters.EMULATOR, "is moto, which conflicts with "
                    + InvalidParameterException.describe(conflict.get()).replace("bsm-maven-plugin: ", "") + ": the"
                    + " build's emulator stands in for AWS, so the plugin resolves no session beside it. Drop "
                    + conflict.get() + " (from the configuration and the command line), or drop emulator");
        }
        String share = property(session, TestkitSettings.EMULATOR_SHARE_PROPERTY);
        if (share != null && share.strip().equalsIgnoreCase("jvm")) {
            throw new InvalidParameterException(Parameters.EMULATOR, "is moto, one moto_server for the whole build,"
                    + " but " + TestkitSettings.EMULATOR_SHARE_PROPERTY + "=jvm asks for one per test JVM: drop one"
                    + " of them");
        }
        Optional<String> unavailable = BuildEmulator.unavailableReason();
        if (unavailable.isPresent()) {
            throw new InvalidParameterException(Parameters.EMULATOR, "is moto, but the build's moto_server cannot"
                    + " run here: " + unavailable.get());
        }
    }

    /** Starts the build's {@code moto_server}, or attaches to the one the build runs. */
    static BuildEmulator startMoto() throws MojoExecutionException {
        try {
            return BuildEmulator.startMoto();
        } catch (EmulatorStartException | EmulatorUnavailableException | IllegalArgumentException e) {
            throw new MojoExecutionException(InvalidParameterException.describe(Parameters.EMULATOR) + " is moto, but"
                    + " the build's moto_server did not start: " + e.getMessage(), e);
        }
    }

    private static String property(MavenSession session, String name) {
        for (Properties properties : new Properties[] {session.getUserProperties(), session.getSystemProperties(),
                System.getProperties()}) {
            String value = properties == null ? null : properties.getProperty(name);
            if (value != null && !value.isBlank()) {
                return value;
            }
        }
        return null;
    }
}
