package dev.bsm.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MaskingTests {

    @ParameterizedTest(name = "user id {0} -> {1}")
    @CsvSource({
        "A1B2C3D4GABCDEFGHIJKL, A1B2***IJKL",
        "AIDAABCDEFGHIJKLMNOP, AIDA***MNOP",
        "AROA3XFRBF535PLBIFPI4:s3-access-example, AROA***mple",
        "123456789, 1234***6789",
        // Python shows short ids whole ("abc" -> "abc***abc"); bsm shows nothing of them.
        "abc, ***",
        "12345678, ***",
    })
    void masksUserIdsLikePython(String userId, String masked) {
        assertThat(Masking.maskUserId(userId)).isEqualTo(masked);
    }

    @ParameterizedTest(name = "account {0} -> {1}")
    @CsvSource({
        "123456789012, 12********12",
        "000000000000, 00********00",
        "12345, 12********45",
        "1234, ********",
        "'', ********",
    })
    void masksAccountIdsWithEightStarsLikePythonsCode(String accountId, String masked) {
        assertThat(Masking.maskAccountId(accountId)).isEqualTo(masked);
    }

    @ParameterizedTest(name = "arn {0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "arn:aws:iam::123456789012:role/role-name | arn:aws:iam::12********12:role/role-name",
        "arn:aws:sts::123456789012:assumed-role/r/sess | arn:aws:sts::12********12:assumed-role/r/sess",
        "arn:aws:iam::123456789012:user/a:b | arn:aws:iam::12********12:user/a:b",
        "arn:aws:s3:::bucket | arn:aws:s3::********:bucket",
        // Python raises IndexError on these; bsm reveals nothing.
        "not-an-arn | ***",
        "arn:aws:iam | ***",
        "xrn:aws:iam::123456789012:root | ***",
    })
    void masksTheAccountPartOfArns(String arn, String masked) {
        assertThat(Masking.maskPrincipalArn(arn)).isEqualTo(masked);
    }
}
