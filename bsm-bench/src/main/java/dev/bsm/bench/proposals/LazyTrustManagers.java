package dev.bsm.bench.proposals;

import java.net.Socket;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import software.amazon.awssdk.http.TlsTrustManagersProvider;

/**
 * A sketch of a proposed bsm default, for measurement only (benchmarks 2 and 4), not bsm code: the JDK's default
 * trust manager, made (trust store loaded and parsed) on the first TLS handshake instead of when the HTTP client is
 * built. Given to an SDK HTTP client with {@code tlsTrustManagersProvider(...)}, it keeps the client's own TLS code
 * (hostname verification, protocols) and only defers the trust store; clients of an http:// emulator never load it.
 */
public final class LazyTrustManagers implements TlsTrustManagersProvider {
    @Override
    public TrustManager[] trustManagers() {
        return new TrustManager[] {new LazyTrustManager()};
    }

    private static final class LazyTrustManager extends X509ExtendedTrustManager {
        private volatile X509ExtendedTrustManager delegate;

        private X509ExtendedTrustManager delegate() {
            X509ExtendedTrustManager current = delegate;
            if (current == null) {
                synchronized (this) {
                    current = delegate;
                    if (current == null) {
                        current = systemDefault();
                        delegate = current;
                    }
                }
            }
            return current;
        }

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
                throw new IllegalStateException("The JDK's default TrustManagerFactory has no X509 trust manager");
            } catch (NoSuchAlgorithmException | KeyStoreException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            delegate().checkClientTrusted(chain, authType, socket);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            delegate().checkServerTrusted(chain, authType, socket);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            delegate().checkClientTrusted(chain, authType, engine);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            delegate().checkServerTrusted(chain, authType, engine);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            delegate().checkClientTrusted(chain, authType);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            delegate().checkServerTrusted(chain, authType);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return delegate().getAcceptedIssuers();
        }
    }
}
