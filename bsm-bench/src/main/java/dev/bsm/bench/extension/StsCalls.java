package dev.bsm.bench.extension;

import dev.bsm.testkit.MotoServer;
import java.util.List;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * Benchmark 3's STS count on its own: GetCallerIdentity calls per launcher run, for each test class alone and for
 * several classes in one run. The extension caches managers by configuration, and env and snapshot are not part
 * of it: Injected, InjectedEnv, InjectedSnapshot and InjectedEnvSnapshot are one configuration, OtherRegion another.
 * With the default isolation (an account per class, issue 13) each class has managers of its own as well, told the
 * account bsm chose for them: no call for {@code awsAccountId()} (one per class and configuration before they were
 * told).
 *
 * <p>Usage: {@code java --add-opens java.base/java.util=ALL-UNNAMED --add-opens java.base/java.lang=ALL-UNNAMED
 * -cp benchmarks.jar dev.bsm.bench.extension.StsCalls}
 */
public final class StsCalls {
    private StsCalls() {
    }

    public static void main(String[] args) {
        MotoServer.shared();
        Launcher launcher = LauncherFactory.create();
        List<List<Class<?>>> runs = List.of(
                List.of(Fixtures.NoExtension.class),
                List.of(Fixtures.Injected.class),
                List.of(Fixtures.InjectedEnv.class),
                List.of(Fixtures.InjectedSnapshot.class),
                List.of(Fixtures.InjectedEnvSnapshot.class),
                List.of(Fixtures.Injected.class, Fixtures.InjectedEnv.class, Fixtures.InjectedSnapshot.class,
                        Fixtures.InjectedEnvSnapshot.class),
                List.of(Fixtures.Injected.class, Fixtures.InjectedEnv.class, Fixtures.InjectedSnapshot.class,
                        Fixtures.InjectedEnvSnapshot.class, Fixtures.OtherRegion.class));
        System.out.println("| test classes in one launcher run | tests | GetCallerIdentity calls |");
        System.out.println("|---|---|---|");
        for (List<Class<?>> classes : runs) {
            Launch.Outcome outcome = Launch.run(launcher, classes.toArray(Class<?>[]::new));
            System.out.printf("| %s | %d | %d |%n", String.join(", ",
                    classes.stream().map(Class::getSimpleName).toList()), outcome.tests(),
                    outcome.getCallerIdentityCalls());
        }
        System.exit(0);
    }
}
