package dev.bsm.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SecretSafeMapTests {
    private static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYSECRETKEY";

    @Test
    void noViewOfTheMapPrintsAValue() {
        Map<String, String> plain = new LinkedHashMap<>();
        plain.put("aws_access_key_id", "AKIDEXAMPLE");
        plain.put("aws_secret_access_key", SECRET);
        SecretSafeMap<String> map = new SecretSafeMap<>(plain);

        assertThat(map.toString()).isEqualTo("{aws_access_key_id=<hidden>, aws_secret_access_key=<hidden>}");
        assertThat(map.entrySet().toString()).isEqualTo("[aws_access_key_id=<hidden>, aws_secret_access_key=<hidden>]");
        assertThat(map.entrySet()).allSatisfy(entry -> assertThat(entry.toString()).doesNotContain(SECRET));
        assertThat(map.values().toString()).doesNotContain(SECRET).doesNotContain("AKIDEXAMPLE");
        assertThat(String.valueOf(new SecretSafeMap<>(Map.of("AWS_SECRET_ACCESS_KEY", Optional.of(SECRET)))
                .values())).doesNotContain(SECRET);
    }

    @Test
    void itIsStillTheMapItWasMadeFrom() {
        Map<String, String> plain = Map.of("aws_secret_access_key", SECRET, "region_name", "us-east-1");
        SecretSafeMap<String> map = new SecretSafeMap<>(plain);

        assertThat(map).isEqualTo(plain).hasSameHashCodeAs(plain);
        assertThat(map.get("aws_secret_access_key")).isEqualTo(SECRET);
        assertThat(map.values()).containsExactlyInAnyOrder(SECRET, "us-east-1");
        assertThat(map.entrySet()).containsExactlyInAnyOrderElementsOf(plain.entrySet());
    }
}
