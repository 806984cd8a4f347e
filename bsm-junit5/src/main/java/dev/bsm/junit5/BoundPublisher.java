package dev.bsm.junit5;

import java.nio.ByteBuffer;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/**
 * An async response body whose subscriber is called as the call's caller was bound. The body is delivered on the
 * SDK's Netty event loops, which serve every class's calls: code that reads a streaming response
 * ({@code AsyncResponseTransformer.toPublisher()}, a transformer or subscriber of one's own) runs there, and an
 * SDK call it makes must land where the caller's did, not where the event loop's last work did. Each signal binds
 * the thread for its duration and then puts back exactly what was there.
 */
final class BoundPublisher implements Publisher<ByteBuffer> {
    private final Publisher<ByteBuffer> body;
    private final SessionBinding binding;

    /** @param binding the caller's binding, or null for a caller bound to no scope */
    BoundPublisher(Publisher<ByteBuffer> body, SessionBinding binding) {
        this.body = body;
        this.binding = binding;
    }

    @Override
    public void subscribe(Subscriber<? super ByteBuffer> subscriber) {
        body.subscribe(new Subscriber<ByteBuffer>() {
            @Override
            public void onSubscribe(Subscription subscription) {
                try (SessionBinding.Restore restore = SessionBinding.bind(binding)) {
                    subscriber.onSubscribe(subscription);
                }
            }

            @Override
            public void onNext(ByteBuffer buffer) {
                try (SessionBinding.Restore restore = SessionBinding.bind(binding)) {
                    subscriber.onNext(buffer);
                }
            }

            @Override
            public void onError(Throwable failure) {
                try (SessionBinding.Restore restore = SessionBinding.bind(binding)) {
                    subscriber.onError(failure);
                }
            }

            @Override
            public void onComplete() {
                try (SessionBinding.Restore restore = SessionBinding.bind(binding)) {
                    subscriber.onComplete();
                }
            }
        });
    }
}
