package dev.bsm.bench.coldstart;

/** Benchmark 4, the floor: a fresh JVM from the same jar that prints a constant and does no AWS work. */
public final class JvmOnlyMain {
    private JvmOnlyMain() {
    }

    public static void main(String[] args) {
        System.out.println("123456789012");
    }
}
