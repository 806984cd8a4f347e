package dev.bsm.core;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A short stand-in for a secret value, so that two printed maps show which value differs without showing a value:
 * eight hex digits of an HMAC-SHA256 under a random key made when the JVM first needs one and never written
 * anywhere. Equal values get equal fingerprints within one JVM; outside it a fingerprint tells nothing about the
 * value, not even for short or guessable ones (a region), because nobody has the key.
 */
final class Fingerprint {
    private static final String ALGORITHM = "HmacSHA256";
    private static final int HEX_DIGITS = 8;
    private static final SecretKeySpec KEY = randomKey();

    private Fingerprint() {
    }

    /** {@return {@code <hidden:1a2b3c4d>}: the value's fingerprint in the form every printed secret takes} */
    static String hidden(String value) {
        return "<hidden:" + of(value) + ">";
    }

    static String of(String value) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(KEY);
            byte[] digest = mac.doFinal(value.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, HEX_DIGITS);
        } catch (GeneralSecurityException e) {
            // Every JDK has HmacSHA256 (a required algorithm); without it, show no fingerprint rather than fail.
            return "?".repeat(HEX_DIGITS);
        }
    }

    private static SecretKeySpec randomKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return new SecretKeySpec(key, ALGORITHM);
    }
}
