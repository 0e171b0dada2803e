package org.lovoccs.cli;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A list of archive URLs to download, one per line: {@code URL [SIZE] [md5:HEX|sha256:HEX] [NAME]}.
 * Blank lines and everything after {@code #} are ignored. SIZE is the file's length in bytes. The file
 * is saved as NAME, or else as the last segment of the URL's path (percent-decoded, query ignored); the
 * name must be known before asking the server so that a re-run can resume and skip complete files
 * without a request, which is why Content-Disposition is not used. NOIRLab's {@code /api/retrieve/<md5>/}
 * URLs end in the file ID, so lists of those should give NAME.
 */
final class DownloadList {
    /** One file to download. {@code size} is -1 when the list does not give it; {@code checksum} may be null. */
    record Entry(int line, URI url, String name, long size, Checksum checksum) {
    }

    private DownloadList() {
    }

    /**
     * The entries of {@code file}. Every bad line is reported, with its number, in one CliException, and
     * nothing is returned: a list with a typo should be fixed before hours of downloading start.
     */
    static List<Entry> read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new Main.CliException("cannot read the URL list " + file + ": " + e.getMessage());
        }
        List<Entry> entries = new ArrayList<>();
        List<String> bad = new ArrayList<>();
        Map<String, Integer> names = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            int n = i + 1;
            String text = lines.get(i);
            int hash = text.indexOf('#');
            if (hash >= 0) {
                text = text.substring(0, hash);
            }
            text = text.strip();
            if (text.isEmpty()) {
                continue;
            }
            try {
                Entry e = parse(n, text);
                Integer first = names.putIfAbsent(e.name(), n);
                if (first != null) {
                    throw new IllegalArgumentException("file name " + e.name() + " is already used by line " + first
                            + " (give a NAME after the URL)");
                }
                entries.add(e);
            } catch (IllegalArgumentException e) {
                bad.add("line " + n + ": " + e.getMessage());
            }
        }
        if (!bad.isEmpty()) {
            throw new Main.CliException(file + " has " + bad.size() + " bad line(s); nothing was downloaded:\n  "
                    + String.join("\n  ", bad.subList(0, Math.min(bad.size(), 50)))
                    + (bad.size() > 50 ? "\n  ... and " + (bad.size() - 50) + " more" : ""));
        }
        if (entries.isEmpty()) {
            throw new Main.CliException(file + " lists no URLs (expected lines 'URL [SIZE] [md5:HEX|sha256:HEX] [NAME]')");
        }
        return entries;
    }

    static Entry parse(int line, String text) {
        String[] f = text.split("\\s+");
        URI url;
        try {
            url = new URI(f[0]);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a URL: " + f[0]);
        }
        if (url.getScheme() == null || !(url.getScheme().equals("http") || url.getScheme().equals("https"))
                || url.getHost() == null) {
            throw new IllegalArgumentException("not an http(s) URL: " + f[0]);
        }
        long size = -1;
        Checksum sum = null;
        String name = null;
        for (int i = 1; i < f.length; i++) {
            String t = f[i];
            if (t.matches("\\d+")) {
                if (size >= 0) {
                    throw new IllegalArgumentException("two sizes: " + size + " and " + t);
                }
                try {
                    size = Long.parseLong(t);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("size " + t + " is too large");
                }
            } else if (t.contains(":")) {
                if (sum != null) {
                    throw new IllegalArgumentException("two checksums: " + sum + " and " + t);
                }
                sum = Checksum.parse(t);
            } else if (name == null) {
                name = checkName(t);
            } else {
                throw new IllegalArgumentException("unexpected '" + t + "' (expected URL [SIZE] [md5:HEX|sha256:HEX] [NAME])");
            }
        }
        if (name == null) {
            String path = url.getRawPath() == null ? "" : url.getRawPath();
            String last = path.substring(path.lastIndexOf('/') + 1);
            if (last.isEmpty()) {
                throw new IllegalArgumentException("the URL's path gives no file name (" + f[0] + "); add a NAME after it");
            }
            name = checkName(URLDecoder.decode(last.replace("+", "%2B"), StandardCharsets.UTF_8));
        }
        return new Entry(line, url, name, size, sum);
    }

    /** A plain file name that cannot escape the output folder or collide with our {@code .part} files. */
    private static String checkName(String name) {
        if (name.contains("/") || name.contains("\\") || name.startsWith(".") || name.endsWith(".part")
                || name.chars().anyMatch(c -> c < 0x20)) {
            throw new IllegalArgumentException("'" + name + "' is not usable as a file name");
        }
        return name;
    }
}
