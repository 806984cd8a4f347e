package dev.bsm.junit5;

import java.util.Optional;

/**
 * One {@link WithAwsSession}, with defaults filled in from configuration parameters and checked.
 *
 * @param name the session's name ("" for the unnamed one)
 * @param declaredOn where the annotation was found, for messages
 * @param emulator whether clients go to an emulator ({@code localstack} or an {@code endpoint})
 * @param isolation {@link Isolation#NONE}, {@link Isolation#CLASS} or {@link Isolation#TEST}; always
 *     {@code NONE} for sessions on real AWS
 * @param guard whether {@link EmulatorGuard} keeps the scope's requests on the emulator; always false for
 *     sessions on real AWS
 */
record SessionSpec(
        String name,
        String declaredOn,
        Optional<String> profile,
        Optional<String> region,
        Optional<String> assumeRole,
        Optional<String> roleSessionName,
        Optional<Integer> durationSeconds,
        Optional<String> externalId,
        boolean autoRefresh,
        boolean emulator,
        Optional<String> endpoint,
        boolean snapshot,
        boolean env,
        Isolation isolation,
        boolean guard) {

    /** What makes two sessions the same manager: everything that shapes the credentials and the clients. */
    record ManagerKey(Optional<String> profile, Optional<String> region, boolean emulator, Optional<String> endpoint,
            Optional<String> assumeRole, Optional<String> roleSessionName, Optional<Integer> durationSeconds,
            Optional<String> externalId, boolean autoRefresh) {

        /** The same key with the emulator's endpoint request and region made explicit, so equal settings match. */
        ManagerKey forEmulator(Optional<String> requestedEndpoint, String emulatorRegion) {
            return new ManagerKey(profile, Optional.of(region.orElse(emulatorRegion)), emulator, requestedEndpoint,
                    assumeRole, roleSessionName, durationSeconds, externalId, autoRefresh);
        }

        boolean assumesRole() {
            return assumeRole.isPresent();
        }

        /** @return the key of the manager the role is assumed from */
        ManagerKey base() {
            return new ManagerKey(profile, region, emulator, endpoint, Optional.empty(), Optional.empty(),
                    Optional.empty(), Optional.empty(), false);
        }

        @Override
        public String toString() {
            StringBuilder text = new StringBuilder();
            profile.ifPresent(p -> text.append(" profile=").append(p));
            region.ifPresent(r -> text.append(" region=").append(r));
            if (emulator) {
                text.append(" emulator=").append(endpoint.orElse("auto"));
            }
            assumeRole.ifPresent(r -> text.append(" assumeRole=").append(r));
            return "session[" + text.toString().trim() + "]";
        }
    }

    ManagerKey key() {
        return new ManagerKey(profile, region, emulator, endpoint, assumeRole, roleSessionName, durationSeconds,
                externalId, autoRefresh);
    }

    String label() {
        return label(name, declaredOn);
    }

    static String label(String name, String declaredOn) {
        return name.isEmpty() ? "@WithAwsSession on " + declaredOn
                : "@WithAwsSession(name = \"" + name + "\") on " + declaredOn;
    }
}
