package dev.bsm.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/** The plain HTTP the emulators' own control endpoints need (health probes, state resets): no proxy, HTTP/1.1. */
final class EmulatorHttp {
    private EmulatorHttp() {
    }

    /** {@return the shared client} Created on first use, so merely loading a class starts no HTTP client threads. */
    static HttpClient client() {
        return Holder.CLIENT;
    }

    /** A non-2xx answer: its status, and {@code "POST uri answered HTTP n: body"} with the body shortened. */
    record Refusal(int status, String description) {
    }

    /**
     * Sends {@code POST uri} without a body.
     *
     * @return empty when the answer is 2xx, else what was answered
     * @throws UncheckedIOException when the request fails
     */
    static Optional<Refusal> post(URI uri, Duration timeout) {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).POST(HttpRequest.BodyPublishers.noBody())
                .build();
        HttpResponse<String> response;
        try {
            response = client().send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException("POST " + uri + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted during POST " + uri, e);
        }
        int status = response.statusCode();
        if (status / 100 == 2) {
            return Optional.empty();
        }
        String body = response.body() == null ? "" : response.body().strip();
        return Optional.of(new Refusal(status, "POST " + uri + " answered HTTP " + status
                + (body.isEmpty() ? "" : ": " + (body.length() <= 300 ? body : body.substring(0, 300) + "..."))));
    }

    /**
     * Sends {@code GET uri}.
     *
     * @return the status, or empty when nothing answered in time
     */
    static Optional<Integer> status(URI uri, Duration timeout) {
        try {
            return Optional.of(client().send(HttpRequest.newBuilder(uri).timeout(timeout).GET().build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode());
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private static final class Holder {
        static final HttpClient CLIENT = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .proxy(HttpClient.Builder.NO_PROXY)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }
}
