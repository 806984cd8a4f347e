package dev.bsm.core;

import static dev.bsm.core.LeakCheck.assertNoCanary;
import static dev.bsm.core.LeakCheck.assertShowsNoSecret;
import static dev.bsm.core.LeakCheck.failureOf;
import static dev.bsm.core.LeakCheck.named;
import static dev.bsm.core.LeakCheck.reported;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasEntry;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.hasValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertIterableEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.assertj.core.api.SoftAssertions;
import org.assertj.core.configuration.ConfigurationProvider;
import org.assertj.core.presentation.StandardRepresentation;
import org.hamcrest.MatcherAssert;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Failing assertions on {@code toSnapshot()} and {@code awscliVariables()} print no secret, in AssertJ (which formats
 * maps, entries and values itself, not through {@code toString}), JUnit and Hamcrest (which print a map, an entry
 * set and its entries through {@code toString}). Each assertion here really fails and its whole report (message,
 * {@code toString}, stack trace) is scanned for the canary.
 */
class FailingAssertionSecretsTests {
    private static final String SECRET_KEY = "aws_secret_access_key";
    private static final String TOKEN_KEY = "aws_session_token";

    private static final CanarySessions SESSIONS = new CanarySessions();
    private static final BotoSesManager ACTUAL = SESSIONS.actual();
    private static final BotoSesManager OTHER = SESSIONS.other();

    @AfterAll
    static void close() {
        SESSIONS.close();
    }

    static Stream<Named<Runnable>> snapshotAssertions() {
        return Stream.of(
                named("isEqualTo(another snapshot)",
                        () -> assertThat(ACTUAL.toSnapshot()).isEqualTo(OTHER.toSnapshot())),
                named("isEqualTo(a plain map)",
                        () -> assertThat(ACTUAL.toSnapshot()).isEqualTo(Map.of("region_name", "x"))),
                named("isNotEqualTo(itself)", () -> assertThat(ACTUAL.toSnapshot()).isNotEqualTo(ACTUAL.toSnapshot())),
                named("containsEntry(secret key, wrong value)",
                        () -> assertThat(ACTUAL.toSnapshot()).containsEntry(SECRET_KEY, "wrong")),
                named("containsEntry(missing key)", () -> assertThat(ACTUAL.toSnapshot()).containsEntry("nope", "x")),
                named("contains(entries)", () -> assertThat(ACTUAL.toSnapshot())
                        .contains(entry(TOKEN_KEY, "wrong"), entry("aws_access_key_id", "AKIDWRONG"))),
                named("containsExactly(entry)",
                        () -> assertThat(ACTUAL.toSnapshot()).containsExactly(entry("region_name", "us-east-1"))),
                named("containsExactlyEntriesOf(another snapshot)",
                        () -> assertThat(ACTUAL.toSnapshot()).containsExactlyEntriesOf(OTHER.toSnapshot())),
                named("containsExactlyInAnyOrderEntriesOf(another snapshot)",
                        () -> assertThat(ACTUAL.toSnapshot()).containsExactlyInAnyOrderEntriesOf(OTHER.toSnapshot())),
                named("containsAllEntriesOf(another snapshot)",
                        () -> assertThat(ACTUAL.toSnapshot()).containsAllEntriesOf(OTHER.toSnapshot())),
                named("containsOnly(entry)",
                        () -> assertThat(ACTUAL.toSnapshot()).containsOnly(entry("region_name", "us-east-1"))),
                named("containsOnlyKeys", () -> assertThat(ACTUAL.toSnapshot()).containsOnlyKeys("region_name")),
                named("containsKey(missing)", () -> assertThat(ACTUAL.toSnapshot()).containsKey("nope")),
                named("doesNotContainKey(secret key)",
                        () -> assertThat(ACTUAL.toSnapshot()).doesNotContainKey(SECRET_KEY)),
                named("containsValue(missing)", () -> assertThat(ACTUAL.toSnapshot()).containsValue("nope")),
                named("hasSize", () -> assertThat(ACTUAL.toSnapshot()).hasSize(1)),
                named("isEmpty", () -> assertThat(ACTUAL.toSnapshot()).isEmpty()),
                named("matches(predicate)", () -> assertThat(ACTUAL.toSnapshot()).matches(map -> map.isEmpty())),
                named("extracting(secret key)",
                        () -> assertThat(ACTUAL.toSnapshot()).extracting(SECRET_KEY).isEqualTo("wrong")),
                named("extractingByKeys(secret keys)", () -> assertThat(ACTUAL.toSnapshot())
                        .extractingByKeys(SECRET_KEY, TOKEN_KEY).containsExactly("wrong", "wrong")),
                named("hasEntrySatisfying(secret key, ...)", () -> assertThat(ACTUAL.toSnapshot())
                        .hasEntrySatisfying(SECRET_KEY, value -> assertThat(value).isEqualTo("wrong"))),
                named("allSatisfy((key, value) -> ...)", () -> assertThat(ACTUAL.toSnapshot())
                        .allSatisfy((key, value) -> assertThat(value).startsWith("x"))),
                named("usingRecursiveComparison().isEqualTo(another snapshot)", () -> assertThat(ACTUAL.toSnapshot())
                        .usingRecursiveComparison().isEqualTo(OTHER.toSnapshot())),
                named("soft assertions", () -> SoftAssertions.assertSoftly(softly -> {
                    softly.assertThat(ACTUAL.toSnapshot()).isEqualTo(OTHER.toSnapshot());
                    softly.assertThat(ACTUAL.toSnapshot()).containsEntry(SECRET_KEY, "wrong");
                    softly.assertThat(ACTUAL.toSnapshot()).extractingByKey(TOKEN_KEY).isNull();
                })),
                named("a list of snapshots", () -> assertThat(List.of(ACTUAL.toSnapshot()))
                        .containsExactly(OTHER.toSnapshot())),
                named("entrySet()", () -> assertThat(ACTUAL.toSnapshot().entrySet())
                        .containsExactlyElementsOf(OTHER.toSnapshot().entrySet())),
                named("values()", () -> assertThat(ACTUAL.toSnapshot().values()).containsExactly("x")),
                named("the secret value taken out with get()",
                        () -> assertThat(ACTUAL.toSnapshot().get(SECRET_KEY)).isEqualTo("wrong")));
    }

    static Stream<Named<Runnable>> awscliAssertions() {
        return Stream.of(
                named("variables().isEqualTo(other variables)", () -> assertThat(ACTUAL.awscliVariables().variables())
                        .isEqualTo(OTHER.awscliVariables().variables())),
                named("variables().containsEntry(secret variable, wrong)", () -> assertThat(
                        ACTUAL.awscliVariables().variables())
                        .containsEntry("AWS_SECRET_ACCESS_KEY", Optional.of("wrong"))),
                named("variables().extractingByKey(secret variable)", () -> assertThat(
                        ACTUAL.awscliVariables().variables())
                        .extractingByKey("AWS_SESSION_TOKEN").isEqualTo(Optional.empty())),
                named("get(secret variable) as an Optional", () -> assertThat(
                        ACTUAL.awscliVariables().get("AWS_SECRET_ACCESS_KEY")).contains("wrong")),
                named("systemProperties().isEqualTo(other properties)", () -> assertThat(
                        ACTUAL.awscliVariables().systemProperties())
                        .isEqualTo(OTHER.awscliVariables().systemProperties())));
    }

    static Stream<Named<Runnable>> junitAssertions() {
        return Stream.of(
                named("assertEquals(snapshots)", () -> assertEquals(OTHER.toSnapshot(), ACTUAL.toSnapshot())),
                named("assertEquals(CLI variables)", () -> assertEquals(OTHER.awscliVariables().variables(),
                        ACTUAL.awscliVariables().variables())),
                named("assertNotEquals(snapshots)", () -> assertNotEquals(ACTUAL.toSnapshot(), ACTUAL.toSnapshot())),
                named("assertSame(snapshots)", () -> assertSame(ACTUAL.toSnapshot(), ACTUAL.toSnapshot())),
                named("assertIterableEquals(entry sets)", () -> assertIterableEquals(OTHER.toSnapshot().entrySet(),
                        ACTUAL.toSnapshot().entrySet())));
    }

    static Stream<Named<Runnable>> hamcrestAssertions() {
        return Stream.of(
                named("equalTo(another snapshot)",
                        () -> MatcherAssert.assertThat(ACTUAL.toSnapshot(), equalTo(OTHER.toSnapshot()))),
                named("equalTo(other CLI variables)", () -> MatcherAssert.assertThat(
                        ACTUAL.awscliVariables().variables(), equalTo(OTHER.awscliVariables().variables()))),
                named("hasEntry(secret key, wrong value)",
                        () -> MatcherAssert.assertThat(ACTUAL.toSnapshot(), hasEntry(SECRET_KEY, "wrong"))),
                named("hasKey(missing)", () -> MatcherAssert.assertThat(ACTUAL.toSnapshot(), hasKey("nope"))),
                named("hasValue(missing)", () -> MatcherAssert.assertThat(ACTUAL.toSnapshot(), hasValue("nope"))),
                named("entrySet() contains(...)", () -> MatcherAssert.assertThat(ACTUAL.toSnapshot().entrySet(),
                        contains(OTHER.toSnapshot().entrySet().toArray()))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource({"snapshotAssertions", "awscliAssertions", "junitAssertions", "hamcrestAssertions"})
    void aFailingAssertionShowsNoSecret(Runnable failingAssertion) {
        assertShowsNoSecret(failureOf(failingAssertion));
    }

    @Test
    void readmesSnapshotPatternShowsWhichKeyDiffersWithoutItsValue() {
        String report = reported(failureOf(() -> assertThat(ACTUAL.toSnapshot()).isEqualTo(OTHER.toSnapshot())));

        assertNoCanary(report);
        assertThat(report).contains("region_name", "aws_access_key_id", SECRET_KEY, TOKEN_KEY);
        // Each value is shown as a fingerprint: equal values look the same, so the line that differs is the key.
        List<String> expectedAndActual = report.lines().filter(line -> line.contains(SECRET_KEY)).limit(2).toList();
        assertThat(expectedAndActual).hasSize(2);
        assertThat(fingerprintOf(SECRET_KEY, expectedAndActual.get(0)))
                .isNotEqualTo(fingerprintOf(SECRET_KEY, expectedAndActual.get(1)));
        assertThat(fingerprintOf(TOKEN_KEY, expectedAndActual.get(0)))
                .isEqualTo(fingerprintOf(TOKEN_KEY, expectedAndActual.get(1)));
    }

    @Test
    void anAssertionOnTheSnapshotThatPassesStillComparesTheRealValues() {
        Map<String, String> snapshot = ACTUAL.toSnapshot();

        // Compared without AssertJ printing the canary (a literal of the test, which no representation hides).
        assertThat(snapshot).isEqualTo(ACTUAL.toSnapshot()).isNotEqualTo(OTHER.toSnapshot());
        assertThat(Canary.SECRET.equals(snapshot.get(SECRET_KEY))).as("the real secret").isTrue();
        assertThat(snapshot.containsValue(Canary.SECRET)).as("containsValue(the real secret)").isTrue();
        assertThat(ACTUAL.awscliVariables().get("AWS_SECRET_ACCESS_KEY").filter(Canary.SECRET::equals))
                .as("the real secret variable").isPresent();
    }

    @Test
    void aStandardRepresentationChosenByTheTestStillHidesTheMap() {
        String report = reported(failureOf(() -> assertThat(ACTUAL.toSnapshot())
                .withRepresentation(new StandardRepresentation())
                .isEqualTo(OTHER.toSnapshot())));

        assertNoCanary(report);
        assertThat(report).contains(SECRET_KEY, "<hidden:");
    }

    @Test
    void aRepresentationOfTheUsersOwnThatExtendsBsmsHidesTakenOutSecretsToo() {
        SecretHidingRepresentation own = new SecretHidingRepresentation() {
            @Override
            public String toStringOf(Object object) {
                return "wrong".equals(object) ? "'wrong'" : super.toStringOf(object);
            }
        };
        String report = reported(failureOf(() -> assertThat(ACTUAL.toSnapshot()).withRepresentation(own)
                .extractingByKeys(SECRET_KEY, TOKEN_KEY).containsExactly("wrong")));

        assertNoCanary(report);
        assertThat(report).contains("<hidden:", "'wrong'");
    }

    @Test
    void aRepresentationRegisteredByTheUserIsStillAskedFirst() {
        String report = reported(failureOf(() -> assertThat(new UsersOwnRepresentation.Money(5)).isNull()));
        String snapshotReport = reported(failureOf(() -> assertThat(ACTUAL.toSnapshot()).isEmpty()));

        assertThat(report).as("the user's registered representation").contains("5 EUR");
        assertNoCanary(snapshotReport);
        assertThat(snapshotReport).contains("<hidden:");
    }

    @Test
    void assertJLoadsBsmsRepresentation() {
        String printed = ConfigurationProvider.CONFIGURATION_PROVIDER.representation()
                .toStringOf(ACTUAL.toSnapshot().get(SECRET_KEY));

        assertNoCanary(printed);
        assertThat(printed).startsWith("<hidden:");
    }

    private static String fingerprintOf(String key, String line) {
        int at = line.indexOf(key + "=");
        assertThat(at).as("%s in %s", key, line.replace(Canary.SECRET, "[CANARY]")).isNotNegative();
        int end = line.indexOf('>', at);
        return line.substring(at, end + 1);
    }
}
