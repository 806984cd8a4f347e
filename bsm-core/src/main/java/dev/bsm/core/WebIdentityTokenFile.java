package dev.bsm.core;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * The check of a profile's {@code web_identity_token_file} before the SDK's provider is given it: that provider
 * reads the whole file at every refresh, so a device ({@code /dev/zero}) would exhaust the memory, a FIFO without a
 * writer would hang the open and a huge file would be sent to STS. Only the file's attributes are read here, never
 * its content, so no message can repeat the token.
 */
final class WebIdentityTokenFile {
    /**
     * A token file's largest size. Web identity tokens are JWTs of a few KiB (a Kubernetes service account token is
     * about 1 KiB, an OIDC token with many claims a few KiB, and STS takes at most 20,000 characters); 1 MiB is far
     * above any of them and still a bounded read at each refresh.
     */
    static final long MAX_BYTES = 1024 * 1024;

    private WebIdentityTokenFile() {
    }

    /**
     * Refuses a token file that is not a regular file or is larger than {@link #MAX_BYTES}. A symbolic link is
     * followed and its target checked: Kubernetes projects service account tokens as links to regular files. A
     * file that is missing or whose attributes cannot be read is left to the SDK, which fails on the first refresh
     * as it always did (a projected token may also appear after the manager is built).
     *
     * @param profile the profile with the {@code web_identity_token_file}, for the message
     * @throws InvalidConfigurationException naming the profile, the path and the fix
     */
    static void check(String profile, Path file) {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, BasicFileAttributes.class); // follows links: the target's
        } catch (IOException e) {
            return;
        }
        String problem = attributes.isDirectory() ? "is a directory"
                : !attributes.isRegularFile() ? "is not a regular file but a device, FIFO or socket"
                : attributes.size() > MAX_BYTES ? "has " + attributes.size() + " bytes, more than the " + MAX_BYTES
                        + " (1 MiB) a web identity token may have (tokens are a few KiB)"
                : null;
        if (problem != null) {
            throw new InvalidConfigurationException("AWS profile '" + profile + "': web_identity_token_file " + file
                    + " " + problem + "; point web_identity_token_file at the regular file holding the token (a"
                    + " symbolic link to one is fine)");
        }
    }
}
