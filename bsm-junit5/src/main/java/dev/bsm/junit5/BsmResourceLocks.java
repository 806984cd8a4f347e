package dev.bsm.junit5;

import java.lang.reflect.Method;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLocksProvider;
import org.junit.jupiter.api.parallel.Resources;

/**
 * The resource locks of {@link WithAwsSession} classes and methods, as {@link SessionLocks} decides them: JUnit
 * 5.12 and later call it (the annotation declares it with {@code @ResourceLock(providers = ...)}), before the run
 * and from annotations alone. Only the annotation names this class, and JUnit up to 5.11 ignores that member, so
 * this class (which needs 5.12's {@code ResourceLocksProvider}) is never loaded there.
 */
final class BsmResourceLocks implements ResourceLocksProvider {

    @Override
    public Set<Lock> provideForClass(Class<?> testClass) {
        return locks(SessionLocks.classChangesEnvironment(testClass));
    }

    @Override
    public Set<Lock> provideForNestedClass(List<Class<?>> enclosingInstanceTypes, Class<?> testClass) {
        return provideForClass(testClass);
    }

    @Override
    public Set<Lock> provideForMethod(List<Class<?>> enclosingInstanceTypes, Class<?> testClass, Method testMethod) {
        return locks(SessionLocks.methodChangesEnvironment(testClass, testMethod));
    }

    private static Set<Lock> locks(Optional<Boolean> changesEnvironment) {
        if (changesEnvironment.isEmpty()) {
            return Set.of();
        }
        ResourceAccessMode mode = changesEnvironment.get() ? ResourceAccessMode.READ_WRITE : ResourceAccessMode.READ;
        return Set.of(new Lock(SessionLocks.ENVIRONMENT, mode), new Lock(Resources.SYSTEM_PROPERTIES, mode));
    }
}
