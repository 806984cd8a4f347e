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
        "111122223333, 11********33",
        "210987654321, 21********21",
        "12345, 12********45",
        "1234, ********",
        "'', ********",
    })
    void masksAccountIdsWithEightStarsLikePythonsCode(String accountId, String masked) {
        assertThat(Masking.maskAccountId(accountId)).isEqualTo(masked);
    }

    @ParameterizedTest(name = "arn {0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "arn:aws:iam::111122223333:role/role-name | arn:aws:iam::11********33:role/role-name",
        "arn:aws:sts::444455556666:assumed-role/r/sess | arn:aws:sts::44********66:assumed-role/r/sess",
        "arn:aws:iam::777788889999:user/a:b | arn:aws:iam::77********99:user/a:b",
        "arn:aws:s3:::bucket | arn:aws:s3::********:bucket",
        // Python raises IndexError on these; bsm reveals nothing.
        "not-an-arn | ***",
        "arn:aws:iam | ***",
        "xrn:aws:iam::111122223333:root | ***",
    })
    void masksTheAccountPartOfArns(String arn, String masked) {
        assertThat(Masking.maskPrincipalArn(arn)).isEqualTo(masked);
    }
}
