package io.hearth.security.keys;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Secrets of API keys: made from 32 random bytes, kept by Hearth only as their SHA-256, compared in constant time.
 * A secret is {@code hs_} and 43 URL-safe base64 characters: the prefix lets secret scanners recognise a leaked one,
 * and every character is allowed in an {@code Authorization: Bearer} token (RFC 6750) and a shell word.
 */
public final class Secrets {
    /** Marks a Hearth secret. */
    public static final String PREFIX = "hs_";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final HexFormat HEX = HexFormat.of();

    private Secrets() {
    }

    /** A new secret: 256 random bits. */
    public static String newSecret() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** A random password for the grid's users and key stores (no character that needs quoting anywhere). */
    public static String newPassword() {
        byte[] b = new byte[24];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b).replace('-', 'x').replace('_', 'y');
    }

    /** One digest per thread: looking the algorithm up costs more than hashing a secret, on every request. */
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    });

    /** The SHA-256 of a secret's UTF-8 bytes: what {@code printf %s SECRET | sha256sum} prints, as bytes. */
    public static byte[] sha256(String secret) {
        return SHA256.get().digest(secret.getBytes(StandardCharsets.UTF_8)); // digest() also resets it
    }

    /** The hash as the key file holds it: 64 lowercase hex digits. */
    public static String sha256Hex(String secret) {
        return HEX.formatHex(sha256(secret));
    }

    static byte[] parseHex(String hex) {
        return HEX.parseHex(hex);
    }

    static String hex(byte[] b) {
        return HEX.formatHex(b);
    }

    /** Equal contents, in a time that does not depend on where they differ. */
    static boolean constantTimeEquals(byte[] a, byte[] b) {
        return MessageDigest.isEqual(a, b);
    }
}
