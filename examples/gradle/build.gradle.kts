plugins {
    java
}

group = "com.example"
version = "1.0"

repositories {
    // Until bsm is on Maven Central: in the bsm checkout run `./mvnw install -DskipTests` first, which puts
    // dev.bsm:*:0.1.0-SNAPSHOT into ~/.m2/repository, where mavenLocal() finds it.
    mavenLocal()
    mavenCentral()
}

val bsmVersion = "0.1.0-SNAPSHOT"

dependencies {
    // bsm-bom pins bsm-core, bsm-testkit and bsm-junit5 to one version; nothing else.
    testImplementation(platform("dev.bsm:bsm-bom:$bsmVersion"))
    testImplementation("dev.bsm:bsm-junit5")          // brings bsm-core and bsm-testkit

    // The SDK module of each service the application calls, where the application needs it (bsm-core brings
    // only STS and IAM, to the tests).
    implementation(platform("software.amazon.awssdk:bom:2.57.8"))
    implementation("software.amazon.awssdk:s3")

    testImplementation(platform("org.junit:junit-bom:5.14.4"))  // 5.10 or later, 6.x too
    testImplementation("org.junit.jupiter:junit-jupiter")
    testRuntimeOnly("org.junit.platform:junit-platform-launcher")
    testImplementation("org.assertj:assertj-core:3.27.7")      // for BsmAssertions and the example's assertThat

    // Optional: LocalStack in Docker for @WithAwsSession(localstack = true); without it bsm uses a local
    // moto_server (pip install 'moto[server]'), and with neither the tests are skipped, saying why.
    // testRuntimeOnly(platform("org.testcontainers:testcontainers-bom:2.0.5"))
    // testRuntimeOnly("org.testcontainers:testcontainers-localstack")
}

tasks.withType<JavaCompile>().configureEach {
    options.release.set(17)
}

tasks.test {
    useJUnitPlatform()
    // A session's variables go into the test JVM's own environment (so ProcessBuilder children and
    // S3Client.create() see them): Java 17+ needs these opened. JNA needs native access on JDK 24+.
    jvmArgs(
        "--add-opens", "java.base/java.util=ALL-UNNAMED",
        "--add-opens", "java.base/java.lang=ALL-UNNAMED",
        "--enable-native-access=ALL-UNNAMED",
    )
    // Configuration parameters may also go here, e.g. systemProperty("bsm.apiCallTimeout", "PT30S"),
    // or into src/test/resources/junit-platform.properties.
}
