package dev.bsm.junit5;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Injects the {@code Path} of the snapshot file of a session declared with {@code snapshot = true}: written
 * owner-only before the test, unique to it, removed after it whatever its outcome.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.PARAMETER, ElementType.ANNOTATION_TYPE})
public @interface SnapshotFile {
    /** {@return the session's {@link WithAwsSession#name()}; empty for the only or unnamed session} */
    String value() default "";
}
