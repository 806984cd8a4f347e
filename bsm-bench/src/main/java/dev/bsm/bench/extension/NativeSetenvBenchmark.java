package dev.bsm.bench.extension;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Benchmark 3's environment part, explained: what {@code env = true} does natively per test — five variables set
 * and then removed again (access key, secret key, two regions, endpoint: ten {@code setenv}/{@code unsetenv}
 * calls) — through JNA's interface mapping, as bsm-core's NativeEnvironment did up to 21a9e50, and through JNA's
 * direct mapping ({@code Native.register}), as it does since. Variables named {@code BSM_BENCH_*}, nothing else is
 * touched.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class NativeSetenvBenchmark {
    private static final String[] NAMES = {"BSM_BENCH_ACCESS_KEY_ID", "BSM_BENCH_SECRET_ACCESS_KEY",
        "BSM_BENCH_REGION", "BSM_BENCH_DEFAULT_REGION", "BSM_BENCH_ENDPOINT_URL"};
    private static final String VALUE = "http://127.0.0.1:4566";

    /** The way bsm-core's NativeEnvironment mapped libc up to 21a9e50. */
    interface CLibrary extends Library {
        int setenv(String name, String value, int overwrite);

        int unsetenv(String name);
    }

    /** JNA direct mapping: native methods bound once, no proxy or reflection per call. */
    static final class DirectCLibrary {
        static {
            Native.register(Platform.C_LIBRARY_NAME);
        }

        private DirectCLibrary() {
        }

        static native int setenv(String name, String value, int overwrite);

        static native int unsetenv(String name);
    }

    private final CLibrary interfaceMapped = Native.load(Platform.C_LIBRARY_NAME, CLibrary.class);

    @Benchmark
    public int interfaceMapping() {
        int result = 0;
        for (String name : NAMES) {
            result += interfaceMapped.setenv(name, VALUE, 1);
        }
        for (String name : NAMES) {
            result += interfaceMapped.unsetenv(name);
        }
        return result;
    }

    @Benchmark
    public int directMapping() {
        int result = 0;
        for (String name : NAMES) {
            result += DirectCLibrary.setenv(name, VALUE, 1);
        }
        for (String name : NAMES) {
            result += DirectCLibrary.unsetenv(name);
        }
        return result;
    }
}
