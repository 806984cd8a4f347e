package dev.bsm.maven;

import org.apache.maven.plugin.MojoExecutionException;

/** A goal parameter that bsm refuses: the message names the parameter, its property and the problem. */
final class InvalidParameterException extends MojoExecutionException {
    private static final long serialVersionUID = 1L;

    InvalidParameterException(String parameter, String problem, Throwable cause) {
        super(describe(parameter) + " " + problem, cause);
    }

    InvalidParameterException(String parameter, String problem) {
        this(parameter, problem, null);
    }

    /** {@code parameter 'region' (property bsm.region)}; lists and maps have no property. */
    static String describe(String parameter) {
        return "bsm-maven-plugin: parameter '" + parameter + "'" + (Parameters.hasProperty(parameter)
                ? " (property " + Parameters.PREFIX + parameter + ")" : "");
    }
}
