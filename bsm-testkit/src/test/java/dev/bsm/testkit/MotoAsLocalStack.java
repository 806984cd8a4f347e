package dev.bsm.testkit;

import java.net.URI;
import java.util.Map;

/**
 * A stand-in for Testcontainers in the build's LocalStack supervisor ({@link LeaseContainer#STARTER_PROPERTY}):
 * "starts the container" by launching a real {@code moto_server} (under its watchdog, in the supervisor), so that
 * the sharing of the build's LocalStack lease is proven by real processes where no Docker runs. It answers S3 as
 * LocalStack would for what the tests ask; only the container start is replaced, the lease is the real one.
 */
public final class MotoAsLocalStack implements LeaseContainer.Starter {

    /** The line the supervisor's log gets, so that a test can tell the stand-in ran. */
    static final String STARTED = "stand-in LocalStack: moto_server for image ";

    @Override
    public LocalStackEmulator.Container start(String image, Map<String, String> environment) {
        MotoProcess moto = MotoProcess.launch(MotoProcess::freePort);
        System.out.println(STARTED + image + " at " + moto.endpoint());
        return new LocalStackEmulator.Container() {
            @Override
            public URI endpoint() {
                return moto.endpoint();
            }

            @Override
            public String accessKeyId() {
                return "test";
            }

            @Override
            public String secretAccessKey() {
                return "test";
            }

            @Override
            public String region() {
                return "us-east-1";
            }

            @Override
            public String containerId() {
                return "moto-" + moto.server().pid();
            }

            @Override
            public boolean running() {
                return ProcessTrees.isRunning(moto.server());
            }

            @Override
            public void stop() {
                moto.stop();
            }
        };
    }
}
