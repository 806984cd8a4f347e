package dev.bsm.bench.coldstart;

import dev.bsm.core.BotoSesManager;
import java.net.URI;

/** Benchmark 4, bsm: a fresh JVM printing the account id through bsm with its defaults. Arg: the endpoint. */
public final class BsmMain {
    private BsmMain() {
    }

    public static void main(String[] args) {
        try (BotoSesManager bsm = BotoSesManager.builder()
                .credentials("testing", "testing")
                .region("us-east-1")
                .endpointOverride(URI.create(args[0]))
                .build()) {
            System.out.println(bsm.awsAccountId());
        }
    }
}
