package dev.bsm.junit5;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Picks which {@link WithAwsSession} a {@code BotoSesManager} parameter, or a client parameter
 * ({@code S3Client}, {@code S3Presigner}, ...), gets, by name:
 *
 * <pre>{@code
 * @WithAwsSession(name = "source", profile = "a")
 * @WithAwsSession(name = "target", assumeRole = "arn:aws:iam::222233334444:role/x")
 * class CrossAccountIT {
 *     @Test void copy(@AwsSession("source") BotoSesManager from, @AwsSession("target") BotoSesManager to) { }
 *     @Test void send(@AwsSession("target") SqsClient sqs) { }   // the target's bsm.client(SqsClient.class)
 * }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.PARAMETER, ElementType.ANNOTATION_TYPE})
public @interface AwsSession {
    /** {@return the session's {@link WithAwsSession#name()}} */
    String value();
}
