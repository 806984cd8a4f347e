package dev.bsm.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@link LeaseRecord}: what the lease file holds, read back exactly, and anything else taken for no record. */
class LeaseRecordTests {

    private static final ProcessStamp SUPERVISOR = new ProcessStamp(4242, Instant.parse("2026-12-01T10:00:00.12Z"),
            "pid:[4026531836]");
    private static final ProcessStamp SERVER = new ProcessStamp(4343, Instant.parse("2026-12-01T10:00:01.5Z"),
            "pid:[4026531836]");

    @Test
    void eachStateIsReadBackAsItWasWritten() {
        LeaseRecord starting = LeaseRecord.starting(SUPERVISOR, "build x, moto_server /bin/moto_server");
        LeaseRecord ready = starting.ready(URI.create("http://127.0.0.1:50123"), SERVER,
                Path.of("/tmp/bsm-0/bsm-moto-1-2/moto-server-3.log"));
        LeaseRecord failed = starting.failed("moto_server did not start:\nline two = with: colons");

        for (LeaseRecord record : new LeaseRecord[] {starting, ready, failed}) {
            assertThat(LeaseRecord.parse(record.bytes())).as(record.state().name()).contains(record);
        }
        assertThat(ready.names(SUPERVISOR)).isTrue();
        assertThat(ready.names(SERVER)).isFalse();
    }

    @Test
    void aLongFailureKeepsItsEnd() {
        String why = "x".repeat(20_000) + "the end";
        String kept = LeaseRecord.starting(SUPERVISOR, "b").failed(why).failure().orElseThrow();
        assertThat(kept).hasSizeLessThan(why.length()).endsWith("the end");
    }

    @Test
    void whatIsNotAWellFormedRecordIsNoRecord() {
        String ready = new String(LeaseRecord.starting(SUPERVISOR, "b").ready(URI.create("http://127.0.0.1:50123"),
                SERVER, Path.of("/l.log")).bytes(), StandardCharsets.UTF_8);
        for (String broken : new String[] {"", "state=READY\n", ready.replace("state=READY", "state=SERVING"),
                ready.replace("supervisor.pid=4242", "supervisor.pid=x"),
                ready.replace("http\\://127.0.0.1\\:50123", "http\\://evil.example\\:50123"),
                ready.replace("http\\://127.0.0.1\\:50123", "http\\://127.0.0.1\\:99999"),
                ready.replace("server.start=", "server.begun="), "\u0000\u0001garbage"}) {
            assertThat(LeaseRecord.parse(broken.getBytes(StandardCharsets.UTF_8))).as(broken)
                    .isEqualTo(Optional.empty());
        }
        assertThat(ready).as("the form the replacements above rely on").contains("http\\://127.0.0.1\\:50123");
    }

    @Test
    void aLocalStackRecordNamesTheContainersMappedPortOnTheDockerHostAndAMotoRecordStaysOnLoopback() {
        LeaseRecord container = LeaseRecord.starting(SUPERVISOR, "build x, LocalStack img", BuildKey.Kind.LOCALSTACK)
                .ready(URI.create("http://docker-host.internal:32771"), SUPERVISOR, Path.of("/l/supervisor.log"));
        assertThat(LeaseRecord.parse(container.bytes())).contains(container);
        assertThat(new String(container.bytes(), StandardCharsets.UTF_8)).contains("kind=LOCALSTACK");

        String moto = new String(container.bytes(), StandardCharsets.UTF_8).replace("kind=LOCALSTACK", "kind=MOTO");
        assertThat(LeaseRecord.parse(moto.getBytes(StandardCharsets.UTF_8))).as("moto on another host")
                .isEqualTo(Optional.empty());
        String older = new String(LeaseRecord.starting(SUPERVISOR, "b").ready(URI.create("http://127.0.0.1:50123"),
                SERVER, Path.of("/l.log")).bytes(), StandardCharsets.UTF_8).replaceAll("kind=MOTO\\R", "");
        assertThat(older).doesNotContain("kind=");
        assertThat(LeaseRecord.parse(older.getBytes(StandardCharsets.UTF_8))).as("a record from before kinds")
                .hasValueSatisfying(record -> assertThat(record.kind()).isEqualTo(BuildKey.Kind.MOTO));
        for (String broken : new String[] {"http\\://evil example\\:32771", "http\\://-x\\:32771",
                "https\\://docker-host.internal\\:32771", "http\\://docker-host.internal\\:99999"}) {
            String text = new String(container.bytes(), StandardCharsets.UTF_8)
                    .replace("http\\://docker-host.internal\\:32771", broken);
            assertThat(LeaseRecord.parse(text.getBytes(StandardCharsets.UTF_8))).as(broken)
                    .isEqualTo(Optional.empty());
        }
    }
}
