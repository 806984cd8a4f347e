package dev.bsm.testkit.assertj;

import dev.bsm.core.BotoSesManager;
import java.nio.file.Path;

/**
 * Entry point of bsm's AssertJ assertions. Import its methods statically, next to AssertJ's own:
 *
 * <pre>{@code
 * import static dev.bsm.testkit.assertj.BsmAssertions.assertThat;
 * import static dev.bsm.testkit.assertj.BsmAssertions.assertThatSnapshot;
 * import static org.assertj.core.api.Assertions.assertThat;
 *
 * assertThat(deployer).isAssumedRole("deployer").hasRegion("us-east-1").isNotExpired();
 * assertThatSnapshot(snapshot.path()).isOwnerOnly().holdsSessionOf(deployer);
 * assertThat(snapshot.path()).exists();      // AssertJ's Path assertions still work
 * }</pre>
 *
 * <p>The snapshot entry point is {@code assertThatSnapshot(Path)}, not {@code assertThat(Path)}: with both this
 * class's and AssertJ's {@code assertThat} imported statically, two {@code assertThat(Path)} methods would make
 * every {@code assertThat(path)} call ambiguous and fail to compile. {@code assertThat(BotoSesManager)} has no such
 * clash: it is more specific than AssertJ's {@code assertThat(T)}.
 *
 * <p>Needs {@code org.assertj:assertj-core} on the test class path: bsm-testkit declares it optional, so add it
 * to your build (most test setups have it already).
 */
public final class BsmAssertions {

    private BsmAssertions() {
    }

    /**
     * Starts assertions on a manager.
     *
     * @param actual the session under test
     * @return assertions on its identity ({@code hasAccountId}, {@code hasPrincipalArn}, {@code isAssumedRole}),
     *     {@code hasRegion} and expiry ({@code isNotExpired}, {@code expiresWithin})
     */
    public static BotoSesManagerAssert assertThat(BotoSesManager actual) {
        return new BotoSesManagerAssert(actual);
    }

    /**
     * Starts assertions on a snapshot file.
     *
     * @param snapshotFile a snapshot file, as written by {@link BotoSesManager#tempSnapshot(Path)}
     * @return assertions on its permissions ({@code isOwnerOnly}) and content ({@code holdsSessionOf})
     */
    public static SnapshotFileAssert assertThatSnapshot(Path snapshotFile) {
        return new SnapshotFileAssert(snapshotFile);
    }
}
