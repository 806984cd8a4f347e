package dev.bsm.maven;

import java.util.Locale;
import java.util.Optional;

/**
 * The values of the parameter {@code emulator}: {@code moto} (the build's {@code moto_server}, started by
 * {@code prepare}) or {@code none} (the default: the build's session instead). {@code localstack} is a value the
 * plugin knows and refuses, saying why: a LocalStack container needs Docker and a Testcontainers dependency in
 * Maven's JVM, which the plugin does not bring yet.
 */
enum EmulatorKind {
    /** The build's {@code moto_server}, shared by every test JVM of the build. */
    MOTO;

    /**
     * {@return the emulator the value asks for, empty for none}
     *
     * @throws InvalidParameterException for any other value
     */
    static Optional<EmulatorKind> parse(String value) throws InvalidParameterException {
        Optional<String> text = SessionSettings.text(value).map(v -> v.toLowerCase(Locale.ROOT));
        if (text.isEmpty() || text.get().equals("none")) {
            return Optional.empty();
        }
        if (text.get().equals("moto")) {
            return Optional.of(MOTO);
        }
        if (text.get().equals("localstack")) {
            throw new InvalidParameterException(Parameters.EMULATOR, "is localstack, which the plugin does not start:"
                    + " a LocalStack container for the whole build needs Docker and Testcontainers in Maven's JVM."
                    + " Use moto, or run LocalStack as a service (docker run, a CI service container) and name it"
                    + " with -Dbsm.endpoint=http://localhost:4566, which every test JVM then shares");
        }
        throw new InvalidParameterException(Parameters.EMULATOR, "is '" + value.strip() + "', which is no emulator:"
                + " use moto (the build's moto_server, shared by every test JVM) or none (the default)");
    }
}
