package io.hearth.security.tls;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * X.509 certificates for a development CA and the members it vouches for, with the JDK alone (no BouncyCastle, no
 * keytool process): EC P-256 keys, ECDSA-SHA256 signatures. A member's certificate serves both ends of a TLS
 * connection (server and client authentication: nodes connect to each other) and names its hosts as subject
 * alternative names, which clients check.
 */
public final class Certificates {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String ECDSA_SHA256 = "1.2.840.10045.4.3.2";

    private Certificates() {
    }

    /** A key and the certificate that binds it. */
    public record Issued(X509Certificate certificate, PrivateKey key) {
    }

    public static KeyPair newKeyPair() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java runtime has EC P-256", e);
        }
    }

    /** A self-signed CA that may sign member certificates (not other CAs). */
    public static Issued authority(String name, long notBefore, long notAfter) {
        KeyPair kp = newKeyPair();
        byte[] extensions = Der.sequence(
            extension("2.5.29.19", true, Der.sequence(Der.bool(true), Der.integer(BigInteger.ZERO))),
            extension("2.5.29.15", true, Der.namedBits(5, 6)), // keyCertSign, cRLSign
            extension("2.5.29.14", false, Der.octets(keyId(kp.getPublic()))));
        return new Issued(sign(name, kp.getPublic(), name, kp.getPrivate(), notBefore, notAfter, extensions), kp.getPrivate());
    }

    /** A member certificate signed by {@code ca}, for TLS servers and clients on {@code hosts} (names or addresses). */
    public static Issued member(String name, List<String> hosts, Issued ca, long notBefore, long notAfter) {
        KeyPair kp = newKeyPair();
        List<byte[]> names = new ArrayList<>();
        for (String h : hosts) {
            names.add(isAddress(h) ? Der.tagged(7, false, address(h)) : Der.tagged(2, false,
                h.getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
        }
        byte[] extensions = Der.sequence(
            extension("2.5.29.19", true, Der.sequence()),
            extension("2.5.29.15", true, Der.namedBits(0, 4)), // digitalSignature, keyAgreement (EC keys)
            extension("2.5.29.37", false, Der.sequence(Der.oid("1.3.6.1.5.5.7.3.1"), Der.oid("1.3.6.1.5.5.7.3.2"))),
            extension("2.5.29.17", false, Der.sequence(names.toArray(new byte[0][]))),
            extension("2.5.29.14", false, Der.octets(keyId(kp.getPublic()))),
            extension("2.5.29.35", false, Der.sequence(Der.tagged(0, false, keyId(ca.certificate().getPublicKey())))));
        String issuer = ca.certificate().getSubjectX500Principal().getName().replaceFirst("^CN=", "");
        return new Issued(sign(name, kp.getPublic(), issuer, ca.key(), notBefore, notAfter, extensions), kp.getPrivate());
    }

    private static X509Certificate sign(String subject, PublicKey key, String issuer, PrivateKey issuerKey, long notBefore,
                                        long notAfter, byte[] extensions) {
        byte[] algorithm = Der.sequence(Der.oid(ECDSA_SHA256));
        byte[] tbs = Der.sequence(
            Der.tagged(0, true, Der.integer(BigInteger.TWO)), // v3
            Der.integer(new BigInteger(64, RANDOM).add(BigInteger.ONE)),
            algorithm,
            name(issuer),
            Der.sequence(Der.time(notBefore), Der.time(notAfter)),
            name(subject),
            key.getEncoded(), // SubjectPublicKeyInfo, already DER
            Der.tagged(3, true, extensions));
        try {
            Signature s = Signature.getInstance("SHA256withECDSA");
            s.initSign(issuerKey);
            s.update(tbs);
            byte[] cert = Der.sequence(tbs, algorithm, Der.bits(s.sign()));
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new java.io.ByteArrayInputStream(cert));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign a certificate for " + subject, e);
        }
    }

    /** A name of one common name: {@code CN=...}. */
    private static byte[] name(String commonName) {
        return Der.sequence(Der.set(Der.sequence(Der.oid("2.5.4.3"), Der.utf8(commonName))));
    }

    private static byte[] extension(String oid, boolean critical, byte[] value) {
        return critical ? Der.sequence(Der.oid(oid), Der.bool(true), Der.octets(value))
            : Der.sequence(Der.oid(oid), Der.octets(value));
    }

    /** RFC 5280's method 1: the SHA-1 of the public key's bits. */
    private static byte[] keyId(PublicKey key) {
        try {
            byte[] spki = key.getEncoded();
            // SubjectPublicKeyInfo ::= SEQUENCE { algorithm, BIT STRING }. A P-256 key's is 91 bytes ending in
            // 03 42 00 and the 65-byte point: hash the point. (Another key's whole encoding: still a unique id.)
            boolean p256 = spki.length == 91 && spki[23] == 0x03 && spki[25] == 0;
            byte[] bits = p256 ? java.util.Arrays.copyOfRange(spki, 26, 91) : spki;
            return MessageDigest.getInstance("SHA-1").digest(bits);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean isAddress(String host) {
        return host.matches("[0-9.]+") || host.contains(":");
    }

    private static byte[] address(String host) {
        try {
            return InetAddress.getByName(host).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address: " + host, e);
        }
    }
}
