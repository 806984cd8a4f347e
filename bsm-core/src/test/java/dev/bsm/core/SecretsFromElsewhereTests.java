package dev.bsm.core;

import static dev.bsm.core.LeakCheck.assertNoCanary;
import static dev.bsm.core.LeakCheck.assertShowsNoSecret;
import static dev.bsm.core.LeakCheck.failureOf;
import static dev.bsm.core.LeakCheck.named;
import static dev.bsm.core.LeakCheck.reported;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.ValueWrapper;

/**
 * Failing AssertJ assertions print no secret that is not bsm's own instance: the real secret the test got
 * elsewhere (an environment variable, the SDK's credentials) on the expected side, a secret inside a longer string,
 * a value under a secret's key in a map of the test's own, a secret as characters or bytes; and the raw values
 * AssertJ hands to opentest4j's {@code AssertionFailedError} (what IDEs show as the difference) hide them too.
 */
class SecretsFromElsewhereTests {
    private static final String SECRET_KEY = "aws_secret_access_key";
    private static final String TOKEN_KEY = "aws_session_token";
    private static final CanarySessions SESSIONS = new CanarySessions();
    private static final BotoSesManager ACTUAL = SESSIONS.actual();
    private static final BotoSesManager OTHER = SESSIONS.other();
    /**
     * A snapshot holding the canary, kept for the whole class: a secret is known by value while a map of bsm's
     * holding it is alive, as the snapshot under test is during its assertion.
     */
    private static final Map<String, String> HELD = ACTUAL.toSnapshot();
    /** The real secret as the test got it elsewhere: equal to bsm's, but not bsm's instance. */
    private static final String SECRET_FROM_ELSEWHERE = String.valueOf(Canary.SECRET.toCharArray());

    @AfterAll
    static void close() {
        SESSIONS.close();
    }

    static Stream<Named<Runnable>> expectedSideHoldsTheRealSecret() {
        return Stream.of(
                named("isEqualTo(a map holding the real secret), the region differs",
                        () -> assertThat(ACTUAL.toSnapshot()).isEqualTo(Map.of("region_name", "eu-west-1",
                                "aws_access_key_id", "AKIDACTUAL", SECRET_KEY, SECRET_FROM_ELSEWHERE))),
                named("containsEntry(secret key, the real secret)",
                        () -> assertThat(OTHER.toSnapshot()).containsEntry(SECRET_KEY, SECRET_FROM_ELSEWHERE)),
                named("extractingByKey(secret key).isEqualTo(the real secret)",
                        () -> assertThat(OTHER.toSnapshot()).extractingByKey(SECRET_KEY)
                                .isEqualTo(SECRET_FROM_ELSEWHERE)),
                named("usingRecursiveComparison().isEqualTo(a map holding the real secret)",
                        () -> assertThat(OTHER.toSnapshot()).usingRecursiveComparison()
                                .isEqualTo(Map.of(SECRET_KEY, SECRET_FROM_ELSEWHERE))),
                named("contains(entry(secret key, the real secret))",
                        () -> assertThat(OTHER.toSnapshot()).contains(entry(SECRET_KEY, SECRET_FROM_ELSEWHERE))),
                named("a copy of the snapshot, isEqualTo(another)",
                        () -> assertThat(new HashMap<>(ACTUAL.toSnapshot())).isEqualTo(OTHER.toSnapshot())),
                named("the real secret on its own, isEqualTo(wrong)",
                        () -> assertThat(SECRET_FROM_ELSEWHERE).isEqualTo("wrong")));
    }

    static Stream<Named<Runnable>> secretInsideALongerString() {
        return Stream.of(
                named("the snapshot as JSON", () -> assertThat(json(ACTUAL.toSnapshot()))
                        .contains("\"region_name\":\"eu-west-1\"")),
                named("the values joined", () -> assertThat(String.join(",", ACTUAL.toSnapshot().values()))
                        .isEmpty()),
                named("CLI variables' values in a list", () -> assertThat(ACTUAL.awscliVariables().variables()
                        .values().stream().map(value -> value.orElse("")).toList()).containsExactly("x")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource({"expectedSideHoldsTheRealSecret", "secretInsideALongerString"})
    void aFailingAssertionShowsNoSecret(Runnable failingAssertion) {
        Throwable failure = failureOf(failingAssertion);
        assertShowsNoSecret(failure);
        assertNoCanary(wrapped(failure));
    }

    static Stream<Named<Runnable>> rawValuesOfTheFailure() {
        return Stream.of(
                named("extractingByKeys(secret keys).containsExactly(wrong, wrong)",
                        () -> assertThat(ACTUAL.toSnapshot()).extractingByKeys(SECRET_KEY, TOKEN_KEY)
                                .containsExactly("wrong", "wrong")),
                named("new ArrayList<>(values()).containsExactly(x)",
                        () -> assertThat(new ArrayList<>(ACTUAL.toSnapshot().values())).containsExactly("x")),
                named("List.of(get(secret key)).containsExactly(x)",
                        () -> assertThat(List.of(ACTUAL.toSnapshot().get(SECRET_KEY))).containsExactly("x")),
                named("CLI variables extractingByKeys(secret variables).containsExactly(...)",
                        () -> assertThat(ACTUAL.awscliVariables().variables())
                                .extractingByKeys("AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN")
                                .containsExactly(Optional.of("x"))),
                named("List.of(x).containsExactly(the real secret)",
                        () -> assertThat(List.of("x")).containsExactly(SECRET_FROM_ELSEWHERE)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rawValuesOfTheFailure")
    void theAssertionFailedErrorCarriesNoRawSecret(Runnable failingAssertion) {
        Throwable failure = failureOf(failingAssertion);
        assertThat(failure).isInstanceOf(AssertionFailedError.class);
        assertThat(failure.getStackTrace()).as("no frame of bsm's on top")
                .noneMatch(frame -> frame.getClassName().startsWith("dev.bsm.core.Hiding"));
        String wrapped = wrapped(failure);
        assertNoCanary(reported(failure) + "\n" + wrapped);
        assertThat(wrapped).as("the difference still shows the hidden values").contains("<hidden:");
    }

    @Test
    void aValueUnderASecretKeyInAMapOfTheTestsOwnIsHiddenWhateverItIs() {
        String unknown = "aSecretBsmNeverSaw-7f3a";
        Map<String, Object> own = new HashMap<>();
        own.put(SECRET_KEY, unknown);
        own.put("AWS_SESSION_TOKEN", Optional.of(unknown));
        own.put("aws.secretAccessKey", unknown);
        own.put("region_name", "us-east-1");

        String report = reported(failureOf(() -> assertThat(own).containsEntry("region_name", "eu-west-1")));
        String entries = reported(failureOf(() -> assertThat(own.entrySet()).containsExactly(Map.entry("x", "y"))));
        String wanted = reported(failureOf(() -> assertThat(Map.of("region_name", "us-east-1"))
                .contains(entry(TOKEN_KEY, unknown))));

        assertThat(report + entries + wanted).doesNotContain(unknown);
        assertThat(report).contains("\"region_name\"=\"us-east-1\"", "\"aws_secret_access_key\"=<hidden:");
        assertThat(entries).contains("<hidden:");
        assertThat(wanted).contains("\"aws_session_token\"=<hidden:");
    }

    @Test
    void aSecretAsCharactersOrBytesIsHidden() {
        String secret = ACTUAL.toSnapshot().get(SECRET_KEY);
        for (Runnable failing : List.<Runnable>of(
                () -> assertThat(secret.toCharArray()).containsOnly('x'),
                () -> assertThat(secret.getBytes(StandardCharsets.UTF_8)).isEmpty(),
                () -> assertThat(SECRET_FROM_ELSEWHERE.toCharArray()).isEqualTo(new char[] {'x'}),
                () -> assertThat(secret.chars()).isEmpty())) {
            String report = reported(failureOf(failing));
            // Checked without AssertJ printing the report: on a regression it holds the secret as characters.
            assertThat(report.replaceAll("[^A-Za-z0-9]", "").contains(Canary.SECRET)).as("spelled out").isFalse();
            assertThat(report.contains(decimalBytes(Canary.SECRET))).as("as decimal bytes").isFalse();
            assertThat(report.contains("<hidden:")).as("says what failed, hidden").isTrue();
        }
    }

    @Test
    void theEmulatorsShortDummySecretIsHiddenOnlyAsBsmsOwnInstance() {
        try (BotoSesManager moto = BotoSesManager.builder().credentials("testing", "testing").region("us-east-1")
                .build()) {
            Map<String, String> snapshot = moto.toSnapshot();

            String elsewhere = reported(failureOf(() -> assertThat("testing").isEqualTo("other")));
            String bsms = reported(failureOf(() -> assertThat(snapshot.get(SECRET_KEY)).isEqualTo("other")));

            assertThat(elsewhere).as("a common word is printed").contains("\"testing\"");
            assertThat(bsms).as("bsm's own instance").doesNotContain("\"testing\"").contains("<hidden:");
        }
    }

    private static String decimalBytes(String text) {
        StringBuilder numbers = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            numbers.append(numbers.isEmpty() ? "" : ", ").append(b);
        }
        return numbers.toString();
    }

    /** {@return what the AssertionFailedError carries as actual and expected values, for IDEs} */
    private static String wrapped(Throwable failure) {
        if (!(failure instanceof AssertionFailedError error)) {
            return "";
        }
        return "expected " + describe(error.getExpected()) + "\nactual " + describe(error.getActual());
    }

    private static String describe(ValueWrapper wrapper) {
        return wrapper == null ? "none" : wrapper.getStringRepresentation() + " / value " + wrapper.getValue();
    }

    private static String json(Object value) {
        try {
            return new ObjectMapper().writeValueAsString(value);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
