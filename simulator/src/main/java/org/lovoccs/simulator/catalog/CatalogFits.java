package org.lovoccs.simulator.catalog;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.lovoccs.imaging.Band;
import org.lovoccs.simulator.universe.Galaxy;
import org.lovoccs.simulator.universe.NfwHalo;
import org.lovoccs.simulator.universe.PhotRefStar;
import org.lovoccs.simulator.universe.RefStar;
import org.lovoccs.simulator.universe.Star;

/**
 * Writes the simulator's truth and reference catalogues as FITS binary tables (an empty primary HDU and one
 * BINTABLE extension with EXTNAME, TTYPEn and TUNITn).
 *
 * <p>Coordinates are written in DEGREES (TUNIT {@code deg}) in columns {@code ra}/{@code dec}, unlike LSST
 * refcats whose {@code coord_ra}/{@code coord_dec} are radians; the Gaia-like table follows the Gaia archive names
 * ({@code source_id, ra, dec, ra_error, dec_error, phot_g_mean_mag}) with errors in mas. Photometric refcat columns
 * are {@code <band>_mag} and {@code <band>_magErr} (AB mag), as in LSST's PS1 refcat but in magnitudes.
 */
public final class CatalogFits {

    private CatalogFits() {
    }

    /** Truth stars: id, ra, dec (deg), u_mag .. Y_mag (AB). EXTNAME TRUTH_STARS. */
    public static void writeStars(Path file, List<Star> stars) throws IOException {
        int n = stars.size();
        long[] id = new long[n];
        double[] ra = new double[n];
        double[] dec = new double[n];
        double[][] mags = new double[Band.values().length][n];
        for (int i = 0; i < n; i++) {
            Star s = stars.get(i);
            id[i] = s.id();
            ra[i] = s.raDeg();
            dec[i] = s.decDeg();
            for (Band b : Band.values()) {
                mags[b.ordinal()][i] = s.mag(b);
            }
        }
        FitsTableBuilder t = new FitsTableBuilder("TRUTH_STARS");
        t.column("id", id, "", "truth star id");
        t.column("ra", ra, "deg", "right ascension (ICRS)");
        t.column("dec", dec, "deg", "declination (ICRS)");
        for (Band b : Band.values()) {
            t.column(b.bandName() + "_mag", mags[b.ordinal()], "mag", "AB magnitude in DECam " + b.bandName());
        }
        t.write(file);
    }

    /** Truth galaxies: every {@link Galaxy} field; EXTNAME TRUTH_GALAXIES. */
    public static void writeGalaxies(Path file, List<Galaxy> galaxies) throws IOException {
        writeGalaxies(file, galaxies, null);
    }

    /** As above, with the lens's parameters as header keywords (HALOM200, HALOC, HALOZ, HALORA, HALODEC). */
    public static void writeGalaxies(Path file, List<Galaxy> galaxies, NfwHalo halo) throws IOException {
        int n = galaxies.size();
        long[] id = new long[n];
        String[] sed = new String[n];
        boolean[] member = new boolean[n];
        double[][] d = new double[17][n];
        double[][] mags = new double[Band.values().length][n];
        for (int i = 0; i < n; i++) {
            Galaxy g = galaxies.get(i);
            id[i] = g.id();
            sed[i] = g.sedType();
            member[i] = g.clusterMember();
            double[] v = {g.raDeg(), g.decDeg(), g.redshift(), g.bulgeFraction(), g.diskHalfLightArcsec(),
                g.bulgeHalfLightArcsec(), g.e1Intrinsic(), g.e2Intrinsic(), g.kappa(), g.gamma1(), g.gamma2(),
                g.g1(), g.g2(), g.magnification(), g.e1Lensed(), g.e2Lensed(), 0};
            for (int k = 0; k < 16; k++) {
                d[k][i] = v[k];
            }
            for (Band b : Band.values()) {
                mags[b.ordinal()][i] = g.mag(b);
            }
        }
        FitsTableBuilder t = new FitsTableBuilder("TRUTH_GALAXIES");
        t.column("id", id, "", "truth galaxy id");
        t.column("ra", d[0], "deg", "right ascension (ICRS)");
        t.column("dec", d[1], "deg", "declination (ICRS)");
        t.column("redshift", d[2], "", "redshift");
        t.column("sed_type", sed, "", "BPZ template: El Sbc Scd Im SB3 SB2");
        for (Band b : Band.values()) {
            t.column(b.bandName() + "_mag", mags[b.ordinal()], "mag", "unlensed AB magnitude, DECam " + b.bandName());
        }
        t.column("bulge_fraction", d[3], "", "bulge-to-total flux ratio");
        t.column("disk_hlr", d[4], "arcsec", "disk half-light radius");
        t.column("bulge_hlr", d[5], "arcsec", "bulge half-light radius");
        t.column("e1_intrinsic", d[6], "", "intrinsic (a-b)/(a+b) ellipticity, axis 1 East");
        t.column("e2_intrinsic", d[7], "", "intrinsic ellipticity, axis 2 North");
        t.column("kappa", d[8], "", "convergence");
        t.column("gamma1", d[9], "", "shear component 1 (East)");
        t.column("gamma2", d[10], "", "shear component 2 (North)");
        t.column("g1", d[11], "", "reduced shear component 1");
        t.column("g2", d[12], "", "reduced shear component 2");
        t.column("magnification", d[13], "", "signed magnification");
        t.column("e1_lensed", d[14], "", "lensed ellipticity component 1");
        t.column("e2_lensed", d[15], "", "lensed ellipticity component 2");
        t.column("cluster_member", member, "", "red-sequence member of the lens");
        if (halo != null) {
            t.keyword("HALOM200", halo.m200Msun(), "[Msun] NFW M200c")
                    .keyword("HALOC", halo.concentration(), "NFW concentration c200")
                    .keyword("HALOZ", halo.redshift(), "lens redshift")
                    .keyword("HALORA", halo.raDeg(), "[deg] lens centre RA")
                    .keyword("HALODEC", halo.decDeg(), "[deg] lens centre Dec");
        }
        t.write(file);
    }

    /** Gaia-like astrometric refcat; EXTNAME GAIA_REFCAT. */
    public static void writeGaia(Path file, List<RefStar> stars) throws IOException {
        int n = stars.size();
        long[] id = new long[n];
        double[][] d = new double[6][n];
        for (int i = 0; i < n; i++) {
            RefStar s = stars.get(i);
            id[i] = s.id();
            d[0][i] = s.raDeg();
            d[1][i] = s.decDeg();
            d[2][i] = s.raErrMas();
            d[3][i] = s.decErrMas();
            d[4][i] = s.gMag();
            d[5][i] = s.gMagErr();
        }
        FitsTableBuilder t = new FitsTableBuilder("GAIA_REFCAT");
        t.column("source_id", id, "", "truth star id");
        t.column("ra", d[0], "deg", "right ascension (ICRS, simulation epoch)");
        t.column("dec", d[1], "deg", "declination");
        t.column("ra_error", d[2], "mas", "error of ra*cos(dec)");
        t.column("dec_error", d[3], "mas", "error of dec");
        t.column("phot_g_mean_mag", d[4], "mag", "Gaia-like G");
        t.column("phot_g_mean_mag_error", d[5], "mag", "error of G");
        t.write(file);
    }

    /** Photometric refcat of one band; EXTNAME PHOT_REFCAT_&lt;band&gt;. */
    public static void writePhotometric(Path file, Band band, List<PhotRefStar> stars) throws IOException {
        int n = stars.size();
        long[] id = new long[n];
        double[][] d = new double[4][n];
        for (int i = 0; i < n; i++) {
            PhotRefStar s = stars.get(i);
            id[i] = s.id();
            d[0][i] = s.raDeg();
            d[1][i] = s.decDeg();
            d[2][i] = s.mag();
            d[3][i] = s.magErr();
        }
        FitsTableBuilder t = new FitsTableBuilder("PHOT_REFCAT_" + band.bandName());
        t.column("id", id, "", "truth star id");
        t.column("ra", d[0], "deg", "right ascension (ICRS)");
        t.column("dec", d[1], "deg", "declination");
        t.column(band.bandName() + "_mag", d[2], "mag", "AB magnitude");
        t.column(band.bandName() + "_magErr", d[3], "mag", "1-sigma magnitude error");
        t.write(file);
    }
}
