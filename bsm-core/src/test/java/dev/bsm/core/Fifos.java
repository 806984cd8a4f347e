package dev.bsm.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;

/** Named pipes for tests of reads that must not block (POSIX: made by {@code mkfifo}). */
final class Fifos {
    private Fifos() {
    }

    /** A new FIFO {@code name} in {@code dir}, with no writer. */
    static Path mkfifo(Path dir, String name) throws Exception {
        Path fifo = dir.resolve(name);
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
        assertThat(mkfifo.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(mkfifo.exitValue()).isZero();
        return fifo;
    }

    /** What a test does with a FIFO that has no writer. */
    interface Use {
        void accept(Path fifo) throws Exception;
    }

    /** Gives {@code use} a new FIFO without a writer, then releases any reader {@code use} left blocked on it. */
    static void withoutWriter(Path dir, String name, Use use) throws Exception {
        Path fifo = mkfifo(dir, name);
        try {
            use.accept(fifo);
        } finally {
            releaseBlockedReaders(fifo);
        }
    }

    /** Opening a FIFO read-write never blocks (Linux) and lets a reader blocked in open(2) go on to end of file. */
    private static void releaseBlockedReaders(Path fifo) throws IOException {
        FileChannel.open(fifo, StandardOpenOption.READ, StandardOpenOption.WRITE).close();
    }
}
