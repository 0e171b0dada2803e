package org.lovoccs.simulator.catalog;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import nom.tam.fits.BinaryTable;
import nom.tam.fits.BinaryTableHDU;
import nom.tam.fits.Fits;
import nom.tam.fits.FitsException;
import nom.tam.fits.Header;
import nom.tam.util.FitsOutputStream;
import org.lovoccs.imaging.fits.FitsHeaders;

/**
 * Builds a FITS binary table column by column (name, unit, description) and writes it as the first extension of a
 * file with an empty primary HDU, the layout astropy's {@code Table.read} and LSST tools expect.
 */
public final class FitsTableBuilder {

    private record Column(String name, String unit, String description, Object data) {
    }

    private final String extname;
    private int rows;
    private final List<Column> columns = new ArrayList<>();
    private final List<Object[]> keywords = new ArrayList<>();

    /**
     * @param extname EXTNAME of the table HDU
     * @param rows    number of rows every column must have
     */
    public FitsTableBuilder(String extname, int rows) {
        this.extname = extname;
        this.rows = rows;
    }

    /** A table whose row count is set by its first column. */
    public FitsTableBuilder(String extname) {
        this(extname, -1);
    }

    /**
     * A column of any supported type (double[], long[], int[], boolean[], String[]), with its unit ("" for none)
     * and a description of at most 47 characters.
     */
    public FitsTableBuilder column(String name, Object values, String unit, String description) {
        int length;
        if (values instanceof double[] v) {
            length = v.length;
        } else if (values instanceof long[] v) {
            length = v.length;
        } else if (values instanceof int[] v) {
            length = v.length;
        } else if (values instanceof boolean[] v) {
            length = v.length;
        } else if (values instanceof String[] v) {
            length = v.length;
        } else {
            throw new IllegalArgumentException("column " + name + ": unsupported type "
                    + values.getClass().getSimpleName());
        }
        return add(name, unit, description, values, length);
    }

    public FitsTableBuilder doubles(String name, String unit, String description, double[] values) {
        return add(name, unit, description, values, values.length);
    }

    public FitsTableBuilder longs(String name, String unit, String description, long[] values) {
        return add(name, unit, description, values, values.length);
    }

    public FitsTableBuilder ints(String name, String unit, String description, int[] values) {
        return add(name, unit, description, values, values.length);
    }

    public FitsTableBuilder booleans(String name, String description, boolean[] values) {
        return add(name, "", description, values, values.length);
    }

    public FitsTableBuilder strings(String name, String description, String[] values) {
        return add(name, "", description, values, values.length);
    }

    /** A header keyword of the table HDU (e.g. the band or the seed of the catalogue). */
    public FitsTableBuilder keyword(String key, String value, String comment) {
        keywords.add(new Object[] {key, value, comment});
        return this;
    }

    /** A numeric header keyword of the table HDU. */
    public FitsTableBuilder keyword(String key, double value, String comment) {
        keywords.add(new Object[] {key, value, comment});
        return this;
    }

    /** An integer header keyword of the table HDU (written without a decimal point). */
    public FitsTableBuilder intKeyword(String key, long value, String comment) {
        keywords.add(new Object[] {key, value, comment});
        return this;
    }

    private FitsTableBuilder add(String name, String unit, String description, Object data, int length) {
        if (description.length() > 47) {
            throw new IllegalArgumentException("description of column " + name + " is longer than a header comment"
                    + " (47 characters): " + description);
        }
        if (rows < 0) {
            rows = length;
        }
        if (length != rows) {
            throw new IllegalArgumentException("column " + name + " has " + length + " rows, the table " + rows);
        }
        columns.add(new Column(name, unit, description, data));
        return this;
    }

    /** Writes the file (replacing it). */
    public void write(Path path) throws IOException {
        Path parent = path.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try (OutputStream os = Files.newOutputStream(path); FitsOutputStream out = new FitsOutputStream(os)) {
            write(out);
        }
    }

    /** Writes an empty primary HDU and the table to {@code out}. */
    public void write(FitsOutputStream out) throws IOException {
        try {
            Object[] data = new Object[columns.size()];
            for (int i = 0; i < data.length; i++) {
                data[i] = columns.get(i).data();
            }
            BinaryTable table = BinaryTable.fromColumnMajor(data);
            BinaryTableHDU hdu = table.toHDU();
            Header h = hdu.getHeader();
            for (int i = 0; i < columns.size(); i++) {
                Column c = columns.get(i);
                hdu.setColumnName(i, c.name(), c.description());
                if (!c.unit().isEmpty()) {
                    h.addValue("TUNIT" + (i + 1), c.unit(), "unit of " + c.name());
                }
            }
            h.addValue("EXTNAME", extname, "table name");
            for (Object[] k : keywords) {
                if (k[1] instanceof Double d) {
                    h.addValue((String) k[0], d, (String) k[2]);
                } else if (k[1] instanceof Long l) {
                    h.addValue((String) k[0], l, (String) k[2]);
                } else {
                    h.addValue((String) k[0], (String) k[1], (String) k[2]);
                }
            }
            Fits fits = new Fits();
            Header primary = FitsHeaders.primary();
            fits.addHDU(Fits.makeHDU(primary));
            fits.addHDU(hdu);
            fits.write(out);
        } catch (FitsException e) {
            throw new IOException("cannot write FITS table " + extname + ": " + e.getMessage(), e);
        }
    }
}
