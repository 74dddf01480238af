/**
 * TLS for the HTTPS edge port: the certificate it serves (the operator's PEM files, or one issued by a
 * development CA that Coffer creates in {@code <data-dir>/tls} and keeps across starts), and the Netty
 * {@code SslContext} built from it (OpenSSL through netty-tcnative when it loads, the JDK otherwise).
 */
package dev.coffer.gateway.tls;
