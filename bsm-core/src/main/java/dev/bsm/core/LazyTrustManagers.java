package dev.bsm.core;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import software.amazon.awssdk.http.TlsTrustManagersProvider;

/**
 * The JDK's default trust manager (the {@code javax.net.ssl.trustStore} properties, else the JDK's
 * {@code cacerts}), made on the first TLS handshake instead of when the HTTP client is built: reading and parsing
 * the trust store is a large part of an HTTP client's start-up, and a session against an {@code http://} emulator
 * never needs it. Every check is the default manager's own, given the socket or engine, so certificate path and
 * host name are verified exactly as without bsm.
 */
final class LazyTrustManagers implements TlsTrustManagersProvider {
    @Override
    public TrustManager[] trustManagers() {
        return new TrustManager[] {new LazyTrustManager()};
    }

    private static final class LazyTrustManager extends X509ExtendedTrustManager {
        private final Lazy<X509ExtendedTrustManager> delegate = new Lazy<>(LazyTrustManager::systemDefault);

        private static X509ExtendedTrustManager systemDefault() {
            try {
                TrustManagerFactory factory =
                        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                factory.init((KeyStore) null);
                for (TrustManager manager : factory.getTrustManagers()) {
                    if (manager instanceof X509ExtendedTrustManager extended) {
                        return extended;
                    }
                }
                throw new IllegalStateException("The JDK's default TrustManagerFactory made no X509 trust manager");
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("The JDK's default trust store could not be loaded: " + e, e);
            }
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            delegate.get().checkServerTrusted(chain, authType, socket);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            delegate.get().checkServerTrusted(chain, authType, engine);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            delegate.get().checkServerTrusted(chain, authType);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            delegate.get().checkClientTrusted(chain, authType, socket);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            delegate.get().checkClientTrusted(chain, authType, engine);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            delegate.get().checkClientTrusted(chain, authType);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return delegate.get().getAcceptedIssuers();
        }
    }
}
