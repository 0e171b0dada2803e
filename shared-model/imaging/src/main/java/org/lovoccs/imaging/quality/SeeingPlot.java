package org.lovoccs.imaging.quality;

import org.lovoccs.imaging.wcs.Gnomonic;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Locale;

/**
 * check_visit's seeing plot of one visit (PNG): every CCD drawn where it lies on the sky (North up, East left), labelled
 * with its FWHM in pixels and its ellipticity; CCDs that fail the cuts are outlined and labelled in red, with the
 * visit's median FWHM and the cuts in the title.
 */
public final class SeeingPlot {

    private static final int SIZE = 900;
    private static final int MARGIN = 60;

    private SeeingPlot() {
    }

    public static void write(long visit, String band, List<CcdQuality> ccds, QualityCuts cuts, OutputStream out)
            throws IOException {
        List<QualityTable.Row> rows = ccds.stream().map(q -> new QualityTable.Row(q, cuts.failures(q).isEmpty(),
                String.join("; ", cuts.failures(q)))).toList();
        write(visit, band, rows, String.format(Locale.ROOT, "FWHM < %.1f px, e < %.2f", cuts.maxFwhm(band),
                cuts.maxEllipticity(band)), out);
    }

    /**
     * The plot from check_visit's verdicts as its table gives them ({@code passed}); {@code cutsText} describes the
     * cuts in the title.
     */
    public static void write(long visit, String band, List<QualityTable.Row> rows, String cutsText, OutputStream out)
            throws IOException {
        List<CcdQuality> ccds = rows.stream().map(QualityTable.Row::ccd).toList();
        if (ccds.isEmpty()) {
            throw new IllegalArgumentException("visit " + visit + " has no CCD to plot");
        }
        double ra0 = 0;
        double dec0 = 0;
        for (CcdQuality q : ccds) {
            ra0 += q.raDeg();
            dec0 += q.decDeg();
        }
        ra0 /= ccds.size();
        dec0 /= ccds.size();
        double extent = 1;
        for (CcdQuality q : ccds) {
            for (int k = 0; k < 4; k++) {
                double[] t = Gnomonic.toTangent(ra0, dec0, q.corners()[2 * k], q.corners()[2 * k + 1]);
                extent = Math.max(extent, Math.max(Math.abs(t[0]), Math.abs(t[1])));
            }
        }
        double scale = (SIZE / 2.0 - MARGIN) / extent;
        BufferedImage img = new BufferedImage(SIZE, SIZE, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, SIZE, SIZE);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        double[] fw = ccds.stream().mapToDouble(CcdQuality::fwhmPixels).filter(Double::isFinite).sorted().toArray();
        double median = fw.length == 0 ? Double.NaN : fw[fw.length / 2];
        int failing = 0;
        for (QualityTable.Row row : rows) {
            CcdQuality q = row.ccd();
            boolean fails = !row.passed();
            failing += fails ? 1 : 0;
            Path2D p = new Path2D.Double();
            double cx = 0;
            double cy = 0;
            for (int k = 0; k < 4; k++) {
                double[] t = Gnomonic.toTangent(ra0, dec0, q.corners()[2 * k], q.corners()[2 * k + 1]);
                double x = SIZE / 2.0 - t[0] * scale;   // East (increasing RA) to the left
                double y = SIZE / 2.0 - t[1] * scale;   // North up
                cx += x / 4;
                cy += y / 4;
                if (k == 0) {
                    p.moveTo(x, y);
                } else {
                    p.lineTo(x, y);
                }
            }
            p.closePath();
            g.setColor(fails ? new Color(255, 225, 225) : new Color(225, 240, 255));
            g.fill(p);
            g.setColor(fails ? Color.RED : Color.DARK_GRAY);
            g.setStroke(new BasicStroke(fails ? 2f : 1f));
            g.draw(p);
            String l1 = String.format(Locale.ROOT, "%d", q.detector());
            String l2 = Double.isFinite(q.fwhmPixels()) ? String.format(Locale.ROOT, "%.2f px", q.fwhmPixels()) : "-";
            String l3 = Double.isFinite(q.ellipticity()) ? String.format(Locale.ROOT, "e %.3f", q.ellipticity()) : "";
            g.drawString(l1, (float) cx - g.getFontMetrics().stringWidth(l1) / 2f, (float) cy - 10);
            g.drawString(l2, (float) cx - g.getFontMetrics().stringWidth(l2) / 2f, (float) cy + 3);
            g.drawString(l3, (float) cx - g.getFontMetrics().stringWidth(l3) / 2f, (float) cy + 16);
        }
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        g.drawString(String.format(Locale.ROOT, "visit %d, %s: median FWHM %.2f px; %d of %d CCDs fail (%s)", visit,
                band, median, failing, ccds.size(), cutsText), 20, 30);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.drawString("N up, E left; red: fails check_visit's cuts", 20, SIZE - 20);
        g.dispose();
        ImageIO.write(img, "png", out);
    }
}
