package org.lovoccs.cli;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import javax.imageio.ImageIO;

import nom.tam.fits.BinaryTableHDU;
import nom.tam.fits.Fits;
import nom.tam.fits.FitsException;
import org.lovoccs.imaging.raw.RawCcd;
import org.lovoccs.imaging.raw.RawCcdReader;

/**
 * {@code ./lovoccs quicklook}: PNG pictures of a raw CCD (each amplifier half relative to its median, asinh stretch
 * from -3 to +200 robust sigma, 3x3 block means) and of a campaign's true shear field (whiskers of the mean reduced shear of background galaxies
 * per cell; North up, East left).
 */
final class QuickLook {
    static final String USAGE = """
            usage: lovoccs quicklook raw FILE [--hdu N] --out PNG
                   lovoccs quicklook shear CAMPAIGN_DIR [--cells 24] --out PNG
            """;

    private QuickLook() {
    }

    static int run(String[] a) {
        if (a.length < 2 || Arrays.asList(a).contains("--help")) {
            System.out.print(USAGE);
            return a.length < 2 ? 2 : 0;
        }
        Path in = Path.of(a[1]);
        Path out = Path.of(Main.option(a, "--out", null));
        try {
            BufferedImage img = switch (a[0]) {
                case "raw" -> raw(in, Integer.parseInt(Main.option(a, "--hdu", "1")));
                case "shear" -> shear(in.resolve("truth/galaxies.fits"), Integer.parseInt(Main.option(a, "--cells",
                        "24")));
                default -> throw new Main.UsageException("quicklook knows 'raw' and 'shear', not '" + a[0] + "'\n"
                        + USAGE);
            };
            ImageIO.write(img, "png", out.toFile());
            System.out.printf("wrote %s (%dx%d)%n", out, img.getWidth(), img.getHeight());
            return 0;
        } catch (IOException | FitsException e) {
            throw new Main.CliException("cannot make the picture from " + in + ": " + e.getMessage());
        }
    }

    static BufferedImage raw(Path file, int hdu) throws IOException {
        List<RawCcd> ccds;
        try (InputStream s = Files.newInputStream(file)) {
            ccds = RawCcdReader.readAll(s);
        }
        if (hdu < 1 || hdu > ccds.size()) {
            throw new Main.UsageException("--hdu must be 1-" + ccds.size() + " for " + file);
        }
        RawCcd ccd = ccds.get(hdu - 1);
        // each half (amplifier) is shown relative to its own median, so both amplifiers' skies look alike
        int half = ccd.width() / 2;
        double[] offset = new double[2];
        for (int side = 0; side < 2; side++) {
            int[] sample = new int[(ccd.height() / 8) * (half / 8)];
            int k = 0;
            for (int y = 0; y + 8 <= ccd.height() && k < sample.length; y += 8) {
                for (int x = side * half; x + 8 <= (side + 1) * half && k < sample.length; x += 8) {
                    sample[k++] = ccd.get(x, y);
                }
            }
            Arrays.sort(sample, 0, k);
            offset[side] = sample[k / 2];
        }
        int bin = 3;
        int w = ccd.width() / bin;
        int h = ccd.height() / bin;
        double[] v = new double[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double s = 0;
                for (int dy = 0; dy < bin; dy++) {
                    for (int dx = 0; dx < bin; dx++) {
                        int px = x * bin + dx;
                        s += ccd.get(px, y * bin + dy) - offset[px < half ? 0 : 1];
                    }
                }
                v[y * w + x] = s / (bin * bin);
            }
        }
        // robust noise of the (offset-removed) picture: the median absolute deviation, scaled to sigma
        double[] dev = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            dev[i] = Math.abs(v[i]);
        }
        Arrays.sort(dev);
        double sigma = Math.max(1.0, 1.4826 * dev[dev.length / 2]);
        double lo = -3 * sigma;
        double hi = 200 * sigma;
        double soft = 3 * sigma;
        double norm = asinh((hi - lo) / soft);
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double t = asinh(Math.max(0, v[y * w + x] - lo) / soft) / norm;
                int g = (int) Math.round(255 * Math.min(1, t));
                // FITS row 1 at the bottom
                img.getRaster().setSample(x, h - 1 - y, 0, g);
            }
        }
        return img;
    }

    static BufferedImage shear(Path galaxies, int cells) throws IOException, FitsException {
        double[] ra;
        double[] dec;
        double[] g1;
        double[] g2;
        boolean[] member;
        String halo;
        double haloRa;
        double haloDec;
        try (Fits f = new Fits(galaxies.toFile())) {
            BinaryTableHDU t = (BinaryTableHDU) f.getHDU(1);
            ra = (double[]) t.getColumn("ra");
            dec = (double[]) t.getColumn("dec");
            g1 = (double[]) t.getColumn("g1");
            g2 = (double[]) t.getColumn("g2");
            member = (boolean[]) t.getColumn("cluster_member");
            haloRa = t.getHeader().getDoubleValue("HALORA", Double.NaN);
            haloDec = t.getHeader().getDoubleValue("HALODEC", Double.NaN);
            double m200 = t.getHeader().getDoubleValue("HALOM200", Double.NaN);
            halo = Double.isNaN(m200) ? "?" : String.format(java.util.Locale.ROOT, "%.2g", m200);
        }
        double ra0 = Double.isNaN(haloRa) ? Arrays.stream(ra).average().orElse(0) : haloRa;
        double dec0 = Double.isNaN(haloDec) ? Arrays.stream(dec).average().orElse(0) : haloDec;
        double cos = Math.cos(Math.toRadians(dec0));
        double half = 0;
        for (int i = 0; i < ra.length; i++) {
            half = Math.max(half, Math.max(Math.abs((ra[i] - ra0) * cos), Math.abs(dec[i] - dec0)));
        }
        double[] s1 = new double[cells * cells];
        double[] s2 = new double[cells * cells];
        int[] n = new int[cells * cells];
        for (int i = 0; i < ra.length; i++) {
            if (member[i]) {
                continue;
            }
            // East to the left: x grows to the West
            int cx = (int) ((-(ra[i] - ra0) * cos + half) / (2 * half) * cells);
            int cy = (int) (((dec[i] - dec0) + half) / (2 * half) * cells);
            if (cx < 0 || cy < 0 || cx >= cells || cy >= cells) {
                continue;
            }
            s1[cy * cells + cx] += g1[i];
            s2[cy * cells + cx] += g2[i];
            n[cy * cells + cx]++;
        }
        int size = 720;
        int margin = 40;
        double cell = (size - 2.0 * margin) / cells;
        double scale = cell / 0.05 * 0.9;
        BufferedImage img = new BufferedImage(size, size + 30, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        g.setColor(Color.DARK_GRAY);
        g.drawRect(margin, margin, size - 2 * margin, size - 2 * margin);
        g.setStroke(new BasicStroke(2f));
        g.setColor(new Color(20, 60, 160));
        for (int cy = 0; cy < cells; cy++) {
            for (int cx = 0; cx < cells; cx++) {
                int k = cy * cells + cx;
                if (n[k] < 5) {
                    continue;
                }
                double m1 = s1[k] / n[k];
                double m2 = s2[k] / n[k];
                double len = Math.hypot(m1, m2) * scale;
                // position angle from East toward North; on the picture East is left, North up
                double pa = 0.5 * Math.atan2(m2, m1);
                double dx = -Math.cos(pa) * len / 2;
                double dy = -Math.sin(pa) * len / 2;
                double x = margin + (cx + 0.5) * cell;
                double y = size - margin - (cy + 0.5) * cell;
                g.drawLine((int) (x - dx), (int) (y + dy), (int) (x + dx), (int) (y - dy));
            }
        }
        g.setColor(Color.RED);
        g.drawOval(size / 2 - 6, size / 2 - 6, 12, 12);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
        g.drawString(String.format("true reduced shear of background galaxies, %.2f deg field; halo M200 = %s Msun"
                + " (red circle)", 2 * half, halo), margin, 25);
        g.drawString("N up, E left; bar: g = 0.05", margin, size + 10);
        g.setStroke(new BasicStroke(2f));
        g.drawLine(size - margin - (int) (0.05 * scale), size + 5, size - margin, size + 5);
        g.dispose();
        return img;
    }

    private static double asinh(double x) {
        return Math.log(x + Math.sqrt(x * x + 1));
    }
}
