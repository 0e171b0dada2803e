package org.lovoccs.cli;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * An expected file checksum as written in a download list: {@code md5:HEX} (what the NOIRLab archive
 * records for every file; its file ID is the MD5) or {@code sha256:HEX} (what our datastore records).
 * Hex digits are compared case-insensitively; {@link #toString()} gives the lower-case form.
 */
record Checksum(String algorithm, String hex) {
    /** The checksum {@code text} ({@code md5:HEX} or {@code sha256:HEX}); throws IllegalArgumentException saying why not. */
    static Checksum parse(String text) {
        int colon = text.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("'" + text + "' is not md5:HEX or sha256:HEX");
        }
        String alg = text.substring(0, colon).toLowerCase(Locale.ROOT);
        String hex = text.substring(colon + 1).toLowerCase(Locale.ROOT);
        int digits = switch (alg) {
            case "md5" -> 32;
            case "sha256" -> 64;
            default -> throw new IllegalArgumentException("unknown checksum '" + alg + ":'; expected md5: or sha256:");
        };
        if (hex.length() != digits || !hex.matches("[0-9a-f]+")) {
            throw new IllegalArgumentException(alg + " checksum must be " + digits + " hex digits, got '" + hex + "'");
        }
        return new Checksum(alg, hex);
    }

    /** A fresh digest of this checksum's algorithm. */
    MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance(algorithm.equals("md5") ? "MD5" : "SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 and SHA-256 are required by every Java runtime", e);
        }
    }

    /** The finished {@code digest} in this checksum's form, for comparing and for messages. */
    Checksum of(MessageDigest digest) {
        return new Checksum(algorithm, HexFormat.of().formatHex(digest.digest()));
    }

    @Override
    public String toString() {
        return algorithm + ":" + hex;
    }
}
