package dev.bsm.junit5;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which hosts and ports count as an emulator's: compared by name, never resolved. */
class EmulatorHostsTests {

    @ParameterizedTest(name = "{1}:{2} is {0}: {3}")
    @CsvSource({
        "http://127.0.0.1:5000,  127.0.0.1,                     5000, true",
        "http://127.0.0.1:5000,  127.0.0.1,                     5001, false",
        "http://127.0.0.1:5000,  localhost,                     5000, true",
        "http://127.0.0.1:5000,  LOCALHOST.,                    5000, true",
        "http://127.0.0.1:5000,  reports.localhost,             5000, true",
        "http://127.0.0.1:5000,  [::1],                         5000, true",
        "http://127.0.0.1:5000,  ::1,                           5000, true",
        "http://127.0.0.1:5000,  127.0.0.2,                     5000, true",
        "http://127.0.0.1:5000,  0.0.0.0,                       5000, true",
        "http://127.0.0.1:5000,  localhost.localstack.cloud,    5000, true",
        "http://127.0.0.1:5000,  s3.localhost.localstack.cloud, 5000, true",
        "http://127.0.0.1:5000,  localhost.evil.example,        5000, false",
        "http://127.0.0.1:5000,  evillocalhost,                 5000, false",
        "http://127.0.0.1:5000,  127.0.0.1.nip.io,              5000, false",
        "http://127.0.0.1:5000,  localstack.cloud,              5000, false",
        "http://127.0.0.1:5000,  127.0.0.256,                   5000, false",
        "http://127.0.0.1:5000,  10.0.0.1,                      5000, false",
        "http://127.0.0.1:5000,  [fe80::1],                     5000, false",
        "http://127.0.0.1:5000,  myhost,                        5000, false",
        "http://localhost:4566,  reports.localhost,             4566, true",
        "http://localhost:4566,  127.0.0.1,                     4566, true",
        "http://localhost:4566,  sqs.us-east-1.amazonaws.com,   4566, false",
        "http://localstack:4566, localstack,                    4566, true",
        "http://localstack:4566, reports.localstack,            4566, true",
        "http://localstack:4566, xlocalstack,                   4566, false",
        "http://localstack:4566, localhost,                     4566, false",
        "http://localstack:4566, localstack,                    4567, false",
        "http://192.168.1.5:4566, 192.168.1.5,                  4566, true",
        "http://192.168.1.5:4566, reports.192.168.1.5,          4566, false",
        "http://192.168.1.5:4566, localhost,                    4566, false",
        "https://emulator.example, emulator.example,            443,  true",
        "https://emulator.example, emulator.example,            80,   false",
        "http://emulator.example,  emulator.example,            80,   true",
        "https://emulator.example, s3.us-east-1.amazonaws.com,  443,  false",
    })
    void hostsAndPortsOfTheEmulator(String emulator, String host, int port, boolean expected) {
        assertThat(EmulatorHosts.isEmulator(URI.create(emulator), host, port)).isEqualTo(expected);
    }
}
