package io.hearth.security.tls;

import io.hearth.security.cluster.ClusterSecret;
import io.hearth.security.keys.Secrets;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code hearth certs} writes into a directory: a development CA and one member certificate for the given hosts,
 * in the forms each user of them reads.
 * <ul>
 *   <li>{@code ca.pem}: the CA certificate; clients trust it ({@code curl --cacert}, the CLI's {@code --cacert}).</li>
 *   <li>{@code ca-key.pem}: the CA's key; only needed to issue more certificates (a later run reuses the CA).</li>
 *   <li>{@code node.pem}, {@code node-key.pem}: the member certificate (and the CA's) and its key: the gateway's HTTPS
 *       ({@code --tls-cert}, {@code --tls-key}).</li>
 *   <li>{@code node.p12}, {@code trust.p12}: the same as PKCS#12 stores, for the grid's TLS.</li>
 *   <li>{@code cluster.secret}: the stores' passwords and a grid login ({@code --cluster-secret}); kept if present.</li>
 * </ul>
 * Every member of a development cluster may share the one member certificate; in production a CA of your own
 * issues one per host.
 */
public final class DevCertificates {
    static final Duration CA_VALIDITY = Duration.ofDays(3650);
    static final Duration MEMBER_VALIDITY = Duration.ofDays(825);

    private DevCertificates() {
    }

    /** The files written and whether the CA was made now (else an existing one was reused). */
    public record Written(List<Path> files, boolean newAuthority) {
    }

    public static Written write(Path dir, List<String> hosts, long now) throws IOException {
        Files.createDirectories(dir);
        Path caPem = dir.resolve("ca.pem");
        Path caKey = dir.resolve("ca-key.pem");
        Certificates.Issued ca;
        boolean fresh = !(Files.exists(caPem) && Files.exists(caKey));
        if (fresh) {
            ca = Certificates.authority("Hearth development CA", now - 60_000, now + CA_VALIDITY.toMillis());
        } else {
            ca = new Certificates.Issued(Pem.readCertificates(caPem).get(0), Pem.readPrivateKey(caKey));
        }
        Certificates.Issued member = Certificates.member("hearth-node", hosts, ca, now - 60_000,
            now + MEMBER_VALIDITY.toMillis());
        Path secretFile = dir.resolve("cluster.secret");
        Map<String, String> secret = Files.exists(secretFile) ? ClusterSecret.values(secretFile) : new LinkedHashMap<>();
        secret.putIfAbsent("user", "hearth");
        secret.putIfAbsent("password", Secrets.newPassword());
        secret.putIfAbsent("superuser_password", Secrets.newPassword());
        secret.put("keystore", "node.p12");
        secret.putIfAbsent("keystore_password", Secrets.newPassword());
        secret.put("truststore", "trust.p12");
        secret.putIfAbsent("truststore_password", Secrets.newPassword());

        List<Path> files = new ArrayList<>();
        if (fresh) {
            files.add(text(caPem, Pem.certificate(ca.certificate())));
            files.add(privateText(caKey, Pem.privateKey(ca.key())));
        }
        files.add(text(dir.resolve("node.pem"), Pem.certificate(member.certificate()) + Pem.certificate(ca.certificate())));
        files.add(privateText(dir.resolve("node-key.pem"), Pem.privateKey(member.key())));
        files.add(keyStore(dir.resolve("node.p12"), member.key(), secret.get("keystore_password"), member.certificate(),
            ca.certificate()));
        files.add(trustStore(dir.resolve("trust.p12"), secret.get("truststore_password"), ca.certificate()));
        ClusterSecret.write(secretFile, secret);
        files.add(secretFile);
        return new Written(files, fresh);
    }

    private static Path text(Path f, String s) throws IOException {
        Files.writeString(f, s, StandardCharsets.US_ASCII);
        return f;
    }

    private static Path privateText(Path f, String s) throws IOException {
        Files.deleteIfExists(f);
        Files.createFile(f);
        ownerOnly(f);
        Files.writeString(f, s, StandardCharsets.US_ASCII);
        return f;
    }

    private static Path keyStore(Path f, PrivateKey key, String password, X509Certificate... chain) throws IOException {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("hearth-node", key, password.toCharArray(), (Certificate[]) chain);
            return store(f, ks, password);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot write " + f + ": " + e.getMessage(), e);
        }
    }

    private static Path trustStore(Path f, String password, X509Certificate ca) throws IOException {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setCertificateEntry("hearth-ca", ca);
            return store(f, ks, password);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot write " + f + ": " + e.getMessage(), e);
        }
    }

    private static Path store(Path f, KeyStore ks, String password) throws IOException, GeneralSecurityException {
        Files.deleteIfExists(f);
        Files.createFile(f);
        ownerOnly(f);
        try (OutputStream out = Files.newOutputStream(f)) {
            ks.store(out, password.toCharArray());
        }
        return f;
    }

    private static void ownerOnly(Path f) throws IOException {
        try {
            Files.setPosixFilePermissions(f, java.util.Set.of(java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                java.nio.file.attribute.PosixFilePermission.OWNER_WRITE));
        } catch (UnsupportedOperationException e) {
            // not POSIX
        }
    }
}
