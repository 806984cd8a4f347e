package dev.bsm.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Median and spread of measurements made outside JMH (fresh JVMs, whole-process wall time). */
public final class Stats {
    private Stats() {
    }

    /** @return the median (mean of the two middle values for an even count) */
    public static double median(List<? extends Number> values) {
        List<Double> sorted = sorted(values);
        int n = sorted.size();
        if (n == 0) {
            throw new IllegalArgumentException("no values");
        }
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /** @return the median absolute deviation from the median: a spread that outliers do not inflate */
    public static double mad(List<? extends Number> values) {
        double median = median(values);
        List<Double> deviations = new ArrayList<>();
        for (Number value : values) {
            deviations.add(Math.abs(value.doubleValue() - median));
        }
        return median(deviations);
    }

    public static double min(List<? extends Number> values) {
        return sorted(values).get(0);
    }

    public static double max(List<? extends Number> values) {
        List<Double> sorted = sorted(values);
        return sorted.get(sorted.size() - 1);
    }

    private static List<Double> sorted(List<? extends Number> values) {
        List<Double> sorted = new ArrayList<>();
        for (Number value : values) {
            sorted.add(value.doubleValue());
        }
        Collections.sort(sorted);
        return sorted;
    }
}
