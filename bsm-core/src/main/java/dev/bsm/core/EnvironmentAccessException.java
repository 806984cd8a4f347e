package dev.bsm.core;

/**
 * The JVM does not let bsm change its own environment variables. The message names the {@code --add-opens}
 * flags that allow it; {@link BotoSesManager#awscliVariables()} is the alternative that changes no global state.
 */
public final class EnvironmentAccessException extends BsmException {
    private static final long serialVersionUID = 1L;

    /** The JVM flags that let bsm change the environment of the running JVM. */
    public static final String REQUIRED_JVM_FLAGS =
            "--add-opens java.base/java.util=ALL-UNNAMED --add-opens java.base/java.lang=ALL-UNNAMED";

    EnvironmentAccessException(String message, Throwable cause) {
        super(message, cause);
    }
}
