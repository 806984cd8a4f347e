package dev.bsm.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ValidationTests {

    @ParameterizedTest
    @ValueSource(strings = {
        "arn:aws:iam::111122223333:role/deployer",
        "arn:aws:iam::111122223333:role/path/to/deployer",
        "arn:aws-cn:iam::111122223333:role/x",
        "arn:aws-us-gov:iam::111122223333:role/a+=,.@_-b",
    })
    void acceptsRoleArns(String arn) {
        assertThat(Validation.roleArn(arn)).isEqualTo(arn);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", "deployer", "arn:aws:iam::1111:role/x", "arn:aws:iam::111122223333:user/x",
        "arn:aws:iam::111122223333:role/", "arn:aws:sts::111122223333:role/x", " arn:aws:iam::111122223333:role/x",
    })
    void rejectsMalformedRoleArnsNamingTheExpectedShape(String arn) {
        assertThatThrownBy(() -> Validation.roleArn(arn))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("Invalid role ARN")
                .hasMessageContaining("arn:<partition>:iam::<12-digit account id>:role/<role name>");
    }

    @Test
    void acceptsDurationsStsAccepts() {
        assertThat(Validation.roleDuration(Duration.ofSeconds(900))).isEqualTo(Duration.ofMinutes(15));
        assertThat(Validation.roleDuration(Duration.ofHours(12))).isEqualTo(Duration.ofHours(12));
    }

    @ParameterizedTest
    @ValueSource(longs = {-1, 0, 899, 43_201})
    void rejectsDurationsOutsideStsLimits(long seconds) {
        assertThatThrownBy(() -> Validation.roleDuration(Duration.ofSeconds(seconds)))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("900 (PT15M) to 43200 (PT12H)");
    }

    @Test
    void rejectsFractionalAndNullDurations() {
        assertThatThrownBy(() -> Validation.roleDuration(Duration.ofMillis(900_500)))
                .isInstanceOf(InvalidConfigurationException.class);
        assertThatThrownBy(() -> Validation.roleDuration(null)).isInstanceOf(InvalidConfigurationException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "US-EAST-1", "us east 1", "us-east-1 ", "-us", "us_east_1"})
    void rejectsMalformedRegions(String region) {
        assertThatThrownBy(() -> Validation.region(region))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("expected a region id such as us-east-1");
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource({
        "US-EAST-1, upper case letters",
        "'us east 1', white space",
        "us_east_1, characters other than",
        "'', empty",
        "-us-east-1, dash",
        "us--east-1, dash",
        Canary.SECRET + ", upper case letters",
    })
    void aRejectedRegionIsDescribedNeverRepeated(String region, String description) {
        assertThatThrownBy(() -> Validation.region(region))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("Invalid region")
                .hasMessageContaining(description)
                .satisfies(e -> {
                    if (!region.isEmpty()) {
                        assertThat(e.getMessage()).doesNotContain(region);
                    }
                });
    }

    @Test
    void aNullRegionIsNamedAsSuch() {
        assertThatThrownBy(() -> Validation.region(null)).isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("Invalid region: null");
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost:4566", "ftp://host", "http:///path", "/relative"})
    void rejectsEndpointsWithoutHttpSchemeOrHost(String endpoint) {
        assertThatThrownBy(() -> Validation.endpoint(URI.create(endpoint)))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("absolute http or https URI");
    }

    @Test
    void endpointWithUserInfoIsRejectedWithoutEchoingIt() {
        assertThatThrownBy(() -> Validation.endpoint(URI.create("http://user:s3cr3t@localhost:4566")))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("no user info")
                .hasMessageNotContaining("s3cr3t");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1:0", "http://127.0.0.1:65536", "http://127.0.0.1:99999",
            "https://localhost:99999/path"})
    void rejectsPortsOutOfRangeBeforeAnyCall(String endpoint) {
        assertThatThrownBy(() -> BotoSesManager.builder().endpointOverride(URI.create(endpoint)))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("port")
                .hasMessageContaining("1 to 65535")
                .hasMessageNotContaining("/path");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1:1", "http://localhost:65535", "https://localhost", "http://[::1]:4566"})
    void acceptsPortsInRangeOrNone(String endpoint) {
        assertThat(Validation.endpoint(URI.create(endpoint))).isEqualTo(URI.create(endpoint));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "my profile", "[dev]"})
    void rejectsMalformedProfileNames(String profile) {
        assertThatThrownBy(() -> Validation.profileName(profile))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("Invalid profile name");
    }
}
