package dev.bsm.core;

import static dev.bsm.core.LeakCheck.assertNoCanary;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SecretSafeMapTests {
    private static final String SECRET = Canary.SECRET;
    private static final String FINGERPRINT = "<hidden:[0-9a-f]{8}>";

    @Test
    void noViewOfTheMapPrintsAValue() {
        Map<String, String> plain = new LinkedHashMap<>();
        plain.put("aws_access_key_id", "AKIDEXAMPLE");
        plain.put("aws_secret_access_key", SECRET);
        plain.put("region_name", null);
        SecretSafeMap<String> map = new SecretSafeMap<>(plain);

        String entries = "aws_access_key_id=" + FINGERPRINT + ", aws_secret_access_key=" + FINGERPRINT
                + ", region_name=null";
        assertThat(map.toString()).matches("\\{" + entries + "}");
        assertThat(map.entrySet().toString()).matches("\\[" + entries + "]");
        map.entrySet().forEach(entry -> assertNoCanary(entry.toString()));
        assertThat(map.values().toString()).matches("\\[" + FINGERPRINT + ", " + FINGERPRINT + ", null]");
        SecretSafeMap<Optional<String>> variables = new SecretSafeMap<>(Map.of("AWS_SECRET_ACCESS_KEY",
                Optional.of(SECRET), "AWS_PROFILE", Optional.empty()));
        assertThat(String.valueOf(variables.values())).doesNotContain("AKIDEXAMPLE")
                .contains("Optional.empty").containsPattern("Optional\\[" + FINGERPRINT + "]");
        assertNoCanary(variables.toString() + variables.values() + variables.entrySet());
    }

    @Test
    void equalValuesPrintTheSameFingerprintAndDifferentOnesDoNot() {
        SecretSafeMap<String> one = new SecretSafeMap<>(Map.of("aws_secret_access_key", SECRET));
        SecretSafeMap<String> same = new SecretSafeMap<>(Map.of("aws_secret_access_key", SECRET));
        SecretSafeMap<String> other = new SecretSafeMap<>(Map.of("aws_secret_access_key", SECRET + "Other"));

        assertThat(one.toString()).isEqualTo(same.toString()).isNotEqualTo(other.toString());
    }

    @Test
    void itIsStillTheMapItWasMadeFrom() {
        Map<String, String> plain = Map.of("aws_secret_access_key", SECRET, "region_name", "us-east-1");
        SecretSafeMap<String> map = new SecretSafeMap<>(plain);

        assertThat(map).isEqualTo(plain).hasSameHashCodeAs(plain);
        assertThat(SECRET.equals(map.get("aws_secret_access_key"))).isTrue();
        assertThat(map.values()).hasSize(2).contains("us-east-1");
        assertThat(map.entrySet().equals(plain.entrySet())).isTrue();
    }

    @Test
    void secretsAreKeptAsCopiesThatAreKnownOutsideTheMap() {
        String callers = "AKIDEXAMPLE-secret";
        SecretSafeMap<String> map = new SecretSafeMap<>(Map.of("aws_secret_access_key", callers,
                "aws_access_key_id", "AKIDEXAMPLE"));
        SecretSafeMap<Optional<String>> variables = new SecretSafeMap<>(Map.of("AWS_SESSION_TOKEN",
                Optional.of(callers)));

        String kept = map.get("aws_secret_access_key");
        assertThat(kept).isEqualTo(callers).isNotSameAs(callers);
        assertThat(SecretValues.isSecret(kept)).isTrue();
        assertThat(SecretValues.isSecret(callers)).as("an equal string of 8 characters or more").isTrue();
        assertThat(variables.get("AWS_SESSION_TOKEN")).containsSame(kept);
        assertThat(SecretValues.isSecret(map.get("aws_access_key_id"))).as("not a secret").isFalse();
        assertThat(new SecretSafeMap<>(map).get("aws_secret_access_key")).as("a copy of a copy").isSameAs(kept);
    }

    @Test
    void aShortSecretIsKnownOnlyAsTheKeptCopy() {
        String callers = "testing";
        SecretSafeMap<String> map = new SecretSafeMap<>(Map.of("aws_secret_access_key", callers));

        assertThat(SecretValues.isSecret(map.get("aws_secret_access_key"))).isTrue();
        assertThat(SecretValues.isSecret(callers)).as("a common word, maybe an interned literal").isFalse();
        assertThat(SecretValues.hiddenIn("moto's default is testing")).isEmpty();
    }

    @Test
    void aSecretInsideALongerStringIsReplacedByItsFingerprint() {
        SecretSafeMap<String> map = new SecretSafeMap<>(Map.of("aws_secret_access_key", SECRET,
                "aws_session_token", SECRET + "Token"));

        String hidden = SecretValues.hiddenIn("{\"key\":\"" + SECRET + "\",\"token\":\"" + SECRET + "Token\"}")
                .orElseThrow();

        assertNoCanary(hidden);
        assertThat(hidden).matches("\\{\"key\":\"" + FINGERPRINT + "\",\"token\":\"" + FINGERPRINT + "\"}");
        assertThat(SecretValues.hiddenIn("nothing secret here")).isEmpty();
        assertThat(map).hasSize(2); // keeps the secrets known until here
    }
}
