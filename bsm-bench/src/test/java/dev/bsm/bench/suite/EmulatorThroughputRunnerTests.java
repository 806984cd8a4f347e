package dev.bsm.bench.suite;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The arithmetic of the throughput report: what it prints is what was measured. */
class EmulatorThroughputRunnerTests {

    @Test
    void everyConcurrencyMakesExactlyTheReportedNumberOfRequests() {
        // 402 split over 4 threads was 4 x 100 calls, reported as 402.
        assertThat(EmulatorThroughputRunner.roundedToShares(402)).isEqualTo(400);
        assertThat(EmulatorThroughputRunner.roundedToShares(400)).isEqualTo(400);
        assertThat(EmulatorThroughputRunner.roundedToShares(3)).as("at least one call per thread").isEqualTo(4);
    }

    @Test
    void aReadingThatFoundNoEmulatorMakesTheCpuTimeUnknownNotAFigure() {
        assertThat(EmulatorCpu.spent(-1, 1500)).isEqualTo(-1); // was 1501 ms
        assertThat(EmulatorCpu.spent(1500, -1)).isEqualTo(-1); // was -1501 ms
        assertThat(EmulatorCpu.spent(1000, 1500)).isEqualTo(500);
    }
}
