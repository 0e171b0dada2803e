package org.lovoccs.registry.butler;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.lovoccs.events.DataId;
import org.lovoccs.events.DatasetIds;
import org.lovoccs.events.DatasetType;
import org.lovoccs.events.Dimension;
import org.lovoccs.events.EventCodec;
import org.lovoccs.events.S3Uri;
import org.lovoccs.objectstore.ObjectInfo;
import org.lovoccs.objectstore.ObjectStore;
import org.lovoccs.objectstore.ObjectStoreException;
import org.lovoccs.objectstore.Sha256InputStream;

/**
 * The butler's datastore: files in S3-compatible storage, registered as datasets with their size and SHA-256.
 * {@code transfer=direct} records an existing object where it is (as the seed's raw ingest does); {@code copy} copies
 * it server-side into the repository under {@code <run>/<datasetType>/<dimension>_<value>/.../<file>} first. A
 * dataset's checksum is verified when it is read back ({@link #verify}).
 */
@ApplicationScoped
public class Datastore {

    @Inject
    Butler butler;

    @Inject
    ObjectStore store;

    @ConfigProperty(name = "lovoccs.repo-bucket")
    String repoBucket;

    /** A file to ingest and its data ID. */
    public record FileToIngest(String uri, Map<String, Object> dataId) {
    }

    /** What ingest did. */
    public record Ingested(String run, String datasetType, String transfer, int files, int inserted,
                           int alreadyPresent, List<String> ids) {
    }

    /**
     * ingest-files: registers each file as a {@code datasetType} dataset in RUN {@code run} (created if missing).
     * Deterministic IDs make a repeated ingest insert nothing.
     */
    public Ingested ingest(String datasetType, String run, String transfer, List<FileToIngest> files) {
        String mode = transfer == null ? "direct" : transfer.toLowerCase(Locale.ROOT);
        if (!mode.equals("direct") && !mode.equals("copy")) {
            throw ButlerException.badRequest("--transfer must be direct (record the file where it is) or copy (copy"
                    + " it into the repository), got '" + transfer + "'");
        }
        if (files == null || files.isEmpty()) {
            throw ButlerException.badRequest("no files to ingest");
        }
        return butler.inTransaction(c -> {
            DatasetType type = datasetType(c, datasetType);
            ensureRun(c, run);
            List<String> ids = new ArrayList<>();
            int inserted = 0;
            for (FileToIngest f : files) {
                DataId dataId = dataId(type, f);
                if (f.uri() != null && f.uri().startsWith("file:")) {
                    var id = DatasetIds.deterministic(type, run, dataId);
                    ids.add(id.toString());
                    inserted += ingestLocal(c, type, run, mode, dataId, id, f.uri());
                    continue;
                }
                S3Uri source = parse(f.uri());
                ObjectInfo info = store.stat(source.bucket(), source.key()).orElseThrow(() -> ButlerException
                        .notFound("no object at " + f.uri() + ": nothing was ingested"));
                S3Uri target = source;
                if (mode.equals("copy")) {
                    target = new S3Uri(repoBucket, layout(run, type.name(), dataId, source.key()));
                    store.ensureBucket(repoBucket);
                    store.copy(source.bucket(), source.key(), target.bucket(), target.key(), info.etag());
                }
                String checksum = checksum(target, 0, info.size());
                var id = DatasetIds.deterministic(type, run, dataId);
                ids.add(id.toString());
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO dataset (id, dataset_type, run, data_id,"
                        + " uri, byte_offset, byte_length, checksum, producer) VALUES (?, ?, ?, ?::jsonb, ?, 0, ?, ?,"
                        + " ?) ON CONFLICT (id) DO NOTHING")) {
                    ps.setObject(1, id);
                    ps.setString(2, type.name());
                    ps.setString(3, run);
                    ps.setString(4, EventCodec.toJson(dataId));
                    ps.setString(5, target.toString());
                    ps.setLong(6, info.size());
                    ps.setString(7, checksum);
                    ps.setString(8, "butler ingest-files --transfer " + mode);
                    inserted += ps.executeUpdate();
                } catch (SQLException e) {
                    if ("23505".equals(e.getSQLState())) {
                        throw ButlerException.conflict("RUN " + run + " already holds a different " + type.name()
                                + " dataset with data ID " + dataId.canonical() + "; a RUN holds one per data ID");
                    }
                    throw e;
                }
            }
            return new Ingested(run, type.name(), mode, files.size(), inserted, files.size() - inserted, ids);
        });
    }

    /**
     * ingest-files of a {@code file:///} path (a master calibration from a calibration repository, as the seed
     * ingests them): the registry reads the file where it runs, so the path must be visible there, as it must be
     * to the workers for {@code direct}; {@code copy} uploads it into the repository.
     */
    private int ingestLocal(Connection c, DatasetType type, String run, String mode, DataId dataId, java.util.UUID id,
                            String uri) throws SQLException {
        java.nio.file.Path path;
        try {
            path = org.lovoccs.objectstore.LocalFiles.path(uri);
        } catch (IllegalArgumentException e) {
            throw ButlerException.badRequest(e.getMessage());
        }
        if (!java.nio.file.Files.isRegularFile(path)) {
            throw ButlerException.notFound(path + " does not exist on the registry's machine ("
                    + org.lovoccs.objectstore.LocalFiles.host() + "): a file:/// path must be visible to the registry"
                    + " and the workers at the same path; or upload the file and ingest its s3:// URI. Nothing was"
                    + " ingested");
        }
        long size;
        String checksum;
        try (InputStream in = java.nio.file.Files.newInputStream(path); Sha256InputStream sha = new Sha256InputStream(in)) {
            size = sha.transferTo(java.io.OutputStream.nullOutputStream());
            checksum = sha.takeChecksum();
        } catch (IOException e) {
            throw new ButlerException(502, "cannot read " + path + " on " + org.lovoccs.objectstore.LocalFiles.host()
                    + ": " + e.getMessage() + "; nothing was ingested");
        }
        String target = path.toUri().toString();
        if (mode.equals("copy")) {
            String key = layout(run, type.name(), dataId, path.getFileName().toString());
            store.ensureBucket(repoBucket);
            store.put(repoBucket, key, path, "application/octet-stream");
            target = "s3://" + repoBucket + "/" + key;
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO dataset (id, dataset_type, run, data_id, uri,"
                + " byte_offset, byte_length, checksum, producer) VALUES (?, ?, ?, ?::jsonb, ?, 0, ?, ?, ?)"
                + " ON CONFLICT (id) DO NOTHING")) {
            ps.setObject(1, id);
            ps.setString(2, type.name());
            ps.setString(3, run);
            ps.setString(4, EventCodec.toJson(dataId));
            ps.setString(5, target);
            ps.setLong(6, size);
            ps.setString(7, checksum);
            ps.setString(8, "butler ingest-files --transfer " + mode);
            return ps.executeUpdate();
        } catch (SQLException e) {
            if ("23505".equals(e.getSQLState())) {
                throw ButlerException.conflict("RUN " + run + " already holds a different " + type.name()
                        + " dataset with data ID " + dataId.canonical() + "; a RUN holds one per data ID");
            }
            throw e;
        }
    }

    /** A dataset already stored somewhere, to register in bulk. */
    public record Registered(Map<String, Object> dataId, String uri, Long byteLength, String checksum) {
    }

    /**
     * Registers many datasets of one type in one RUN in a single statement (arrays unnested server-side); the
     * files are not read (use {@link #ingest} to check and checksum them). Returns the number inserted; rows
     * already present are left alone.
     */
    public int register(String datasetType, String run, List<Registered> datasets) {
        if (datasets == null || datasets.isEmpty()) {
            throw ButlerException.badRequest("no datasets to register");
        }
        return butler.inTransaction(c -> {
            DatasetType type = datasetType(c, datasetType);
            ensureRun(c, run);
            int n = datasets.size();
            Object[] ids = new Object[n];
            String[] dataIds = new String[n];
            String[] uris = new String[n];
            Long[] lengths = new Long[n];
            String[] sums = new String[n];
            for (int i = 0; i < n; i++) {
                Registered r = datasets.get(i);
                DataId id = dataId(type, new FileToIngest(r.uri(), r.dataId()));
                ids[i] = DatasetIds.deterministic(type, run, id);
                dataIds[i] = EventCodec.toJson(id);
                uris[i] = r.uri();
                lengths[i] = r.byteLength();
                sums[i] = r.checksum();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO dataset (id, dataset_type, run, data_id, uri,"
                    + " byte_offset, byte_length, checksum, producer) SELECT u.id, ?, ?, u.data_id::jsonb, u.uri, 0,"
                    + " u.len, u.sum, 'butler register' FROM unnest(?::uuid[], ?::text[], ?::text[], ?::bigint[],"
                    + " ?::text[]) AS u(id, data_id, uri, len, sum) ON CONFLICT (id) DO NOTHING")) {
                ps.setString(1, type.name());
                ps.setString(2, run);
                ps.setArray(3, c.createArrayOf("uuid", ids));
                ps.setArray(4, c.createArrayOf("text", dataIds));
                ps.setArray(5, c.createArrayOf("text", uris));
                ps.setArray(6, c.createArrayOf("bigint", lengths));
                ps.setArray(7, c.createArrayOf("text", sums));
                return ps.executeUpdate();
            }
        });
    }

    /** The result of reading a dataset back. */
    public record Verified(String id, String uri, long bytes, String checksum, boolean ok) {
    }

    /**
     * Reads a dataset's bytes back and compares their SHA-256 with the one recorded at ingest.
     *
     * @throws ButlerException 409 when they differ (the file was changed or damaged after ingest); 404 when the
     *                          dataset is not registered, or registered but never stored (held in its job's memory)
     */
    public Verified verify(String id) {
        Object[] row = butler.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT uri, byte_offset, byte_length, checksum, stored, dataset_type FROM dataset"
                            + " WHERE id = ?::uuid")) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw ButlerException.notFound("no dataset with id " + id);
                    }
                    if (!rs.getBoolean(5)) {
                        throw ButlerException.notFound("dataset " + id + " (" + rs.getString(6) + ") is registered"
                                + " but was never stored: its job held it in memory for the quanta after it"
                                + " (lovoccs.orchestrator.held-in-job); to keep such datasets, create the cluster"
                                + " with -c orchestrator:heldInJob=none and run the step again");
                    }
                    return new Object[] {rs.getString(1), rs.getObject(2), rs.getObject(3), rs.getString(4)};
                }
            }
        });
        if (((String) row[0]).startsWith("file:")) {
            return verifyInPlace(id, (String) row[0], (Number) row[1], (Number) row[2], (String) row[3]);
        }
        S3Uri uri = parse((String) row[0]);
        long offset = row[1] == null ? 0 : ((Number) row[1]).longValue();
        long length = row[2] == null ? store.stat(uri.bucket(), uri.key()).map(ObjectInfo::size).orElse(0L)
                : ((Number) row[2]).longValue();
        String actual = checksum(uri, offset, length);
        if (row[3] != null && !row[3].equals(actual)) {
            throw ButlerException.conflict("checksum mismatch for dataset " + id + " at " + uri + ": recorded "
                    + row[3] + ", read " + actual + "; the file was changed or damaged after it was ingested");
        }
        return new Verified(id, uri.toString(), length, actual, true);
    }

    /**
     * A dataset registered in place ({@code ingest-raws -t direct} of a local folder), read from this machine's file
     * system: the registry must see the path, as the workers must.
     */
    private Verified verifyInPlace(String id, String uri, Number offset, Number length, String recorded) {
        byte[] bytes;
        try {
            bytes = store.readChecked(uri, offset == null ? null : offset.longValue(),
                    length == null ? null : length.longValue(), null, "dataset " + id);
        } catch (IllegalStateException | IllegalArgumentException e) {
            throw ButlerException.conflict(e.getMessage());
        } catch (UncheckedIOException e) {
            throw new ButlerException(502, e.getMessage());
        }
        String actual = org.lovoccs.objectstore.Checksums.sha256(bytes);
        if (recorded != null && !recorded.equals(actual)) {
            throw ButlerException.conflict("checksum mismatch for dataset " + id + " at " + uri + ": recorded "
                    + recorded + ", read " + actual + "; the file was changed or damaged after it was ingested");
        }
        return new Verified(id, uri, bytes.length, actual, true);
    }

    private String checksum(S3Uri uri, long offset, long length) {
        try (InputStream in = offset == 0 ? store.open(uri.bucket(), uri.key())
                : new java.io.ByteArrayInputStream(store.getRange(uri.bucket(), uri.key(), offset, length));
             Sha256InputStream sha = new Sha256InputStream(in)) {
            byte[] buf = new byte[1 << 16];
            long left = length;
            while (left > 0) {
                int n = sha.read(buf, 0, (int) Math.min(buf.length, left));
                if (n < 0) {
                    throw ButlerException.conflict(uri + " is shorter than its recorded " + length + " bytes");
                }
                left -= n;
            }
            return sha.takeChecksum();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + uri, e);
        } catch (ObjectStoreException e) {
            throw new ButlerException(502, "cannot read " + uri + " from object storage: " + e.getMessage());
        }
    }

    private static S3Uri parse(String uri) {
        try {
            return S3Uri.parse(uri);
        } catch (RuntimeException e) {
            throw ButlerException.badRequest("not an s3:// URI: '" + uri + "'");
        }
    }

    /** {@code <run>/<datasetType>/<dim>_<value>/.../<file name>}. */
    static String layout(String run, String type, DataId dataId, String sourceKey) {
        StringBuilder b = new StringBuilder(run).append('/').append(type);
        dataId.asMap().forEach((k, v) -> b.append('/').append(k).append('_').append(v.toString()
                .replaceAll("[^A-Za-z0-9._-]", "_")));
        return b.append('/').append(sourceKey.substring(sourceKey.lastIndexOf('/') + 1)).toString();
    }

    private static DataId dataId(DatasetType type, FileToIngest f) {
        if (f.dataId() == null) {
            throw ButlerException.badRequest("file " + f.uri() + " has no data ID");
        }
        DataId id;
        try {
            id = DataId.of(f.dataId());
        } catch (IllegalArgumentException e) {
            throw ButlerException.badRequest("file " + f.uri() + ": " + e.getMessage());
        }
        Set<String> missing = new TreeSet<>();
        for (Dimension d : type.dimensions()) {
            if (id.get(d) == null) {
                missing.add(d.key());
            }
        }
        if (!missing.isEmpty()) {
            throw ButlerException.badRequest("file " + f.uri() + ": a " + type.name() + " data ID needs "
                    + type.dimensions().stream().map(Dimension::key).toList() + "; missing " + missing);
        }
        return type.required(id);
    }

    private static DatasetType datasetType(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT dimensions, storage_class FROM dataset_type WHERE name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    List<String> known = new ArrayList<>();
                    try (PreparedStatement all = c.prepareStatement("SELECT name FROM dataset_type ORDER BY name");
                         ResultSet r2 = all.executeQuery()) {
                        while (r2.next()) {
                            known.add(r2.getString(1));
                        }
                    }
                    throw ButlerException.notFound("unknown dataset type '" + name + "'; registered types: "
                            + String.join(", ", known));
                }
                List<Dimension> dims = new ArrayList<>();
                for (String d : (String[]) rs.getArray(1).getArray()) {
                    dims.add(Dimension.of(d));
                }
                return new DatasetType(name, dims, rs.getString(2));
            }
        }
    }

    private static void ensureRun(Connection c, String run) throws SQLException {
        if (run == null || run.isBlank() || Globs.isGlob(run)) {
            throw ButlerException.badRequest("a RUN name is required and may not contain '*' or '?'");
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT type FROM collection WHERE name = ?")) {
            ps.setString(1, run);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    if (!rs.getString(1).equals("RUN")) {
                        throw ButlerException.conflict("'" + run + "' is a " + rs.getString(1)
                                + " collection; datasets are ingested into a RUN");
                    }
                    return;
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO collection (name, type) VALUES (?, 'RUN')")) {
            ps.setString(1, run);
            ps.executeUpdate();
        }
    }
}
