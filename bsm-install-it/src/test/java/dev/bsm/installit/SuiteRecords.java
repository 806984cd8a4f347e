package dev.bsm.installit;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What the suite project's tests wrote down (its {@code SuiteWork}): one properties file per test, named
 * {@code <class>.exercise.properties} for the queue, table and bucket check, {@code <class>.thread.properties}
 * for the thread check and {@code <class>.contest.properties} for the two classes that take one bucket name at the
 * same time (its {@code ContestedBucket}).
 */
record SuiteRecords(List<Entry> exercises, List<Entry> threads, List<Entry> contests) {

    /** One test's record. */
    record Entry(Properties values) {
        String get(String key) {
            String value = values.getProperty(key);
            if (value == null) {
                throw new AssertionError("the record has no " + key + ": " + values);
            }
            return value;
        }

        String className() {
            return get("class");
        }

        long fork() {
            return Long.parseLong(get("fork"));
        }

        /** The moto_server the test's JVM used, as {@code pid@startInstant}. */
        String motoServer() {
            return get("motoServer");
        }

        boolean failsafe() {
            return className().endsWith("IT");
        }
    }

    static SuiteRecords read(Path directory) throws IOException {
        return new SuiteRecords(read(directory, ".exercise.properties"), read(directory, ".thread.properties"),
                read(directory, ".contest.properties"));
    }

    /** The records in {@code directory} whose file names end with {@code suffix}, by file name. */
    static List<Entry> read(Path directory, String suffix) throws IOException {
        List<Entry> entries = new ArrayList<>();
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(suffix)).sorted().toList()) {
                Properties values = new Properties();
                try (Reader reader = Files.newBufferedReader(file)) {
                    values.load(reader);
                }
                entries.add(new Entry(values));
            }
        }
        return entries;
    }

    /** The contest record of one class. */
    Entry contest(String className) {
        return contests.stream().filter(e -> e.className().equals(className)).findFirst()
                .orElseThrow(() -> new AssertionError("no contest record of " + className + ": " + contests));
    }

    /** The exercises of Surefire's classes ({@code false}) or Failsafe's ({@code true}). */
    List<Entry> exercises(boolean failsafe) {
        return exercises.stream().filter(e -> e.failsafe() == failsafe).toList();
    }

    /**
     * For each test JVM, the most classes that were inside their exercise at one instant ({@code System.nanoTime}
     * spans, comparable only within one JVM: across forks, overlap says nothing).
     */
    static Map<Long, Integer> mostClassesAtOnceByFork(List<Entry> exercises) {
        Map<Long, Integer> most = new TreeMap<>();
        exercises.stream().collect(Collectors.groupingBy(Entry::fork)).forEach((fork, spans) -> {
            List<long[]> events = new ArrayList<>();
            for (Entry span : spans) {
                events.add(new long[] {Long.parseLong(span.get("start")), 1});
                events.add(new long[] {Long.parseLong(span.get("end")), -1});
            }
            // An end before a start at the same instant: touching spans do not overlap.
            events.sort(Comparator.<long[]>comparingLong(e -> e[0]).thenComparingLong(e -> e[1]));
            int inside = 0;
            int max = 0;
            for (long[] event : events) {
                inside += (int) event[1];
                max = Math.max(max, inside);
            }
            most.put(fork, max);
        });
        return most;
    }
}
