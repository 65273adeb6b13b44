package io.hearth.security.cluster;

import io.hearth.catalog.ErrorCode;
import io.hearth.catalog.HearthException;
import io.hearth.catalog.Suggest;
import io.hearth.node.GridSecurity;
import io.hearth.security.keys.Secrets;
import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

/**
 * The cluster secret file of {@code --cluster-secret}: what every member and tool of a cluster needs to reach the
 * grid, kept in a file readable by its owner only, never on a command line (where {@code ps} shows it to everyone).
 *
 * <pre>
 * user=hearth                  # thin clients and JDBC log in as this user (Ignite authentication)
 * password=...
 * superuser_password=...       # replaces Ignite's default ignite/ignite on the cluster's first start
 * keystore=node.p12            # TLS: this member's key and certificate (PKCS#12), relative to this file
 * keystore_password=...
 * truststore=trust.p12         # the CA members must be signed by
 * truststore_password=...
 * </pre>
 *
 * The login lines and the TLS lines each come all or none; {@code ./hearth certs} writes a file with both, and
 * {@code up} and {@code node} create one with a login only when the file given does not exist.
 */
public final class ClusterSecret {
    static final List<String> LOGIN = List.of("user", "password", "superuser_password");
    static final List<String> TLS = List.of("keystore", "keystore_password", "truststore", "truststore_password");
    static final String DEFAULT_USER = "hearth";

    private ClusterSecret() {
    }

    /** Reads a secret file into the grid's security settings. */
    public static GridSecurity read(Path file) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException e) {
            throw invalid(file, "file.read", "cannot read it: " + e.getMessage());
        }
        for (String k : p.stringPropertyNames()) {
            if (!LOGIN.contains(k) && !TLS.contains(k)) {
                throw invalid(file, "key.unknown", "unknown key '" + k + "'" + Suggest.hint(k, all()) + " (keys: "
                    + String.join(", ", all()) + ")");
            }
            if (p.getProperty(k).isBlank()) {
                throw invalid(file, "required", "'" + k + "' is empty");
            }
        }
        Optional<GridSecurity.Login> login = group(file, p, LOGIN).map(v -> new GridSecurity.Login(v.get("user"),
            v.get("password"), v.get("superuser_password")));
        if (login.isPresent() && login.get().user().equals("ignite")) {
            throw invalid(file, "user.superuser", "user may not be 'ignite', Ignite's superuser: name Hearth's own user");
        }
        Path dir = file.toAbsolutePath().getParent();
        Optional<GridSecurity.Tls> tls = group(file, p, TLS).map(v -> new GridSecurity.Tls(dir.resolve(v.get("keystore")),
            v.get("keystore_password"), dir.resolve(v.get("truststore")), v.get("truststore_password")));
        if (login.isEmpty() && tls.isEmpty()) {
            throw invalid(file, "required", "it has neither a login (user, password, superuser_password) nor TLS "
                + "(keystore, truststore and their passwords)");
        }
        for (Path store : tls.map(t -> List.of(t.keyStore(), t.trustStore())).orElse(List.of())) {
            if (!Files.isReadable(store)) {
                throw invalid(file, "file.read", "cannot read " + store + " (paths are relative to the secret file)");
            }
        }
        return new GridSecurity(tls, login, false);
    }

    /**
     * Writes a new secret file with a login of random passwords (no TLS), readable by its owner only, when none exists
     * at {@code file}: what {@code up --cluster-secret FILE} does on a first start. Returns whether it wrote one.
     */
    public static boolean createWithLogin(Path file) {
        if (Files.exists(file)) {
            return false;
        }
        Map<String, String> v = new LinkedHashMap<>();
        v.put("user", DEFAULT_USER);
        v.put("password", Secrets.newPassword());
        v.put("superuser_password", Secrets.newPassword());
        write(file, v);
        return true;
    }

    /** Writes {@code values} as a secret file, readable and writable by its owner only. */
    public static void write(Path file, Map<String, String> values) {
        StringWriter w = new StringWriter();
        w.write("# Hearth cluster secret: the grid's login and TLS stores. Keep it private (mode 600); give every\n");
        w.write("# node, gateway and tool of the cluster the same file (--cluster-secret). See docs/decisions/0020-security.md.\n");
        for (Map.Entry<String, String> e : values.entrySet()) {
            w.write(e.getKey() + "=" + e.getValue() + "\n");
        }
        try {
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, ".cluster-secret", ".tmp");
            setOwnerOnly(tmp);
            Files.writeString(tmp, w.toString(), StandardCharsets.UTF_8);
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw invalid(file, "file.write", "cannot write it: " + e.getMessage());
        }
    }

    /** The values of a secret file as written (for a tool that adds to it). */
    public static Map<String, String> values(Path file) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException e) {
            throw invalid(file, "file.read", "cannot read it: " + e.getMessage());
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (String k : all()) {
            if (p.getProperty(k) != null) {
                out.put(k, p.getProperty(k));
            }
        }
        return out;
    }

    /**
     * The connection properties of Ignite's thin JDBC driver for this cluster: the login, and with TLS
     * {@code sslMode=require} trusting the cluster's CA.
     */
    public static Properties jdbcProperties(GridSecurity s) {
        Properties p = new Properties();
        s.login().ifPresent(l -> {
            p.setProperty(JDBC + "user", l.user());
            p.setProperty(JDBC + "password", l.password());
        });
        s.tls().ifPresent(t -> {
            p.setProperty(JDBC + "sslMode", "require");
            p.setProperty(JDBC + "sslTrustCertificateKeyStoreUrl", t.trustStore().toAbsolutePath().toString());
            p.setProperty(JDBC + "sslTrustCertificateKeyStorePassword", t.trustStorePassword());
            p.setProperty(JDBC + "sslTrustCertificateKeyStoreType", "PKCS12");
            // Ignite's thin driver will not open TLS without a key store of its own, though the server asks for no
            // client certificate: the member's store serves.
            p.setProperty(JDBC + "sslClientCertificateKeyStoreUrl", t.keyStore().toAbsolutePath().toString());
            p.setProperty(JDBC + "sslClientCertificateKeyStorePassword", t.keyStorePassword());
            p.setProperty(JDBC + "sslClientCertificateKeyStoreType", "PKCS12");
        });
        return p;
    }

    /** The driver reads connection properties given as {@link Properties} under this prefix (URL ones without). */
    public static final String JDBC = "ignite.jdbc.";

    static void setOwnerOnly(Path f) throws IOException {
        try {
            Files.setPosixFilePermissions(f, Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: the directory's protection is what there is
        }
    }

    /** Whether anyone but the owner may read {@code f} (a secret file that is, is said at start). */
    public static boolean readableByOthers(Path f) {
        try {
            Set<PosixFilePermission> p = Files.getPosixFilePermissions(f);
            return p.contains(PosixFilePermission.GROUP_READ) || p.contains(PosixFilePermission.OTHERS_READ);
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    private static Optional<Map<String, String>> group(Path file, Properties p, List<String> keys) {
        Map<String, String> v = new LinkedHashMap<>();
        for (String k : keys) {
            if (p.getProperty(k) != null) {
                v.put(k, p.getProperty(k).trim());
            }
        }
        if (v.isEmpty()) {
            return Optional.empty();
        }
        if (v.size() < keys.size()) {
            List<String> missing = keys.stream().filter(k -> !v.containsKey(k)).toList();
            throw invalid(file, "required", "it has " + String.join(", ", v.keySet()) + " but not " + String.join(", ", missing)
                + " (they come together)");
        }
        return Optional.of(v);
    }

    private static List<String> all() {
        List<String> a = new java.util.ArrayList<>(LOGIN);
        a.addAll(TLS);
        return a;
    }

    private static HearthException invalid(Path file, String rule, String message) {
        return new HearthException(ErrorCode.CONFIGURATION, "cluster-secret", rule, "cluster secret " + file + ": " + message);
    }
}
