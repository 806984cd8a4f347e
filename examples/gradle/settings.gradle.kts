// A stand-alone Gradle build that uses bsm the way any other project would: from a Maven repository, through the
// bom. Run it with your own Gradle 8.x (no wrapper is committed here): `gradle test`.
rootProject.name = "bsm-gradle-example"
