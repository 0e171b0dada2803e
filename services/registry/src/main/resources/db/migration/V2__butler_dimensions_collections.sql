-- The butler's registry, second cut (issue 4): dimension records, dataset types, datasets with one
-- column per dimension key, collections of the four kinds (RUN, CHAINED, TAGGED, CALIBRATION), and
-- HEALPix-indexed sky regions of visits, detectors and patches.

-- Dimensions ---------------------------------------------------------------------------------------

CREATE TABLE instrument (
    name          text PRIMARY KEY,
    class_name    text NOT NULL,
    detector_max  integer NOT NULL,
    visit_max     bigint NOT NULL,
    exposure_max  bigint NOT NULL
);
INSERT INTO instrument VALUES ('DECam', 'lsst.obs.decam.DarkEnergyCamera', 100, 2147483647, 2147483647);

CREATE TABLE band (
    name  text PRIMARY KEY
);
INSERT INTO band VALUES ('u'), ('g'), ('r'), ('i'), ('z'), ('Y'), ('N964');

CREATE TABLE physical_filter (
    instrument  text NOT NULL REFERENCES instrument(name),
    name        text NOT NULL,
    band        text NOT NULL REFERENCES band(name),
    PRIMARY KEY (instrument, name)
);
INSERT INTO physical_filter VALUES
    ('DECam', 'u DECam c0006 3500.0 1000.0', 'u'),
    ('DECam', 'g DECam SDSS c0001 4720.0 1520.0', 'g'),
    ('DECam', 'r DECam SDSS c0002 6415.0 1480.0', 'r'),
    ('DECam', 'i DECam SDSS c0003 7835.0 1470.0', 'i'),
    ('DECam', 'z DECam SDSS c0004 9260.0 1520.0', 'z'),
    ('DECam', 'Y DECam c0005 10095.0 1130.0', 'Y'),
    ('DECam', 'N964 DECam c0008 9645.0 94.0', 'N964');

CREATE TABLE detector (
    instrument    text NOT NULL REFERENCES instrument(name),
    id            integer NOT NULL,
    full_name     text NOT NULL,
    raft          text,
    purpose       text NOT NULL,
    name_in_raft  text GENERATED ALWAYS AS (full_name) STORED,
    PRIMARY KEY (instrument, id)
);
-- DECam's CCDs from obs_decam's chip-centre table: 62 science CCDs (CCDNUM 1-62), guiders and
-- wavefront sensors; raft = the N or S half (G and F for guiders and focus CCDs).
INSERT INTO detector (instrument, id, full_name, raft, purpose) VALUES
    ('DECam', 1, 'S29', 'S', 'SCIENCE'),
    ('DECam', 2, 'S30', 'S', 'SCIENCE'),
    ('DECam', 3, 'S31', 'S', 'SCIENCE'),
    ('DECam', 4, 'S25', 'S', 'SCIENCE'),
    ('DECam', 5, 'S26', 'S', 'SCIENCE'),
    ('DECam', 6, 'S27', 'S', 'SCIENCE'),
    ('DECam', 7, 'S28', 'S', 'SCIENCE'),
    ('DECam', 8, 'S20', 'S', 'SCIENCE'),
    ('DECam', 9, 'S21', 'S', 'SCIENCE'),
    ('DECam', 10, 'S22', 'S', 'SCIENCE'),
    ('DECam', 11, 'S23', 'S', 'SCIENCE'),
    ('DECam', 12, 'S24', 'S', 'SCIENCE'),
    ('DECam', 13, 'S14', 'S', 'SCIENCE'),
    ('DECam', 14, 'S15', 'S', 'SCIENCE'),
    ('DECam', 15, 'S16', 'S', 'SCIENCE'),
    ('DECam', 16, 'S17', 'S', 'SCIENCE'),
    ('DECam', 17, 'S18', 'S', 'SCIENCE'),
    ('DECam', 18, 'S19', 'S', 'SCIENCE'),
    ('DECam', 19, 'S8', 'S', 'SCIENCE'),
    ('DECam', 20, 'S9', 'S', 'SCIENCE'),
    ('DECam', 21, 'S10', 'S', 'SCIENCE'),
    ('DECam', 22, 'S11', 'S', 'SCIENCE'),
    ('DECam', 23, 'S12', 'S', 'SCIENCE'),
    ('DECam', 24, 'S13', 'S', 'SCIENCE'),
    ('DECam', 25, 'S1', 'S', 'SCIENCE'),
    ('DECam', 26, 'S2', 'S', 'SCIENCE'),
    ('DECam', 27, 'S3', 'S', 'SCIENCE'),
    ('DECam', 28, 'S4', 'S', 'SCIENCE'),
    ('DECam', 29, 'S5', 'S', 'SCIENCE'),
    ('DECam', 30, 'S6', 'S', 'SCIENCE'),
    ('DECam', 31, 'S7', 'S', 'SCIENCE'),
    ('DECam', 32, 'N1', 'N', 'SCIENCE'),
    ('DECam', 33, 'N2', 'N', 'SCIENCE'),
    ('DECam', 34, 'N3', 'N', 'SCIENCE'),
    ('DECam', 35, 'N4', 'N', 'SCIENCE'),
    ('DECam', 36, 'N5', 'N', 'SCIENCE'),
    ('DECam', 37, 'N6', 'N', 'SCIENCE'),
    ('DECam', 38, 'N7', 'N', 'SCIENCE'),
    ('DECam', 39, 'N8', 'N', 'SCIENCE'),
    ('DECam', 40, 'N9', 'N', 'SCIENCE'),
    ('DECam', 41, 'N10', 'N', 'SCIENCE'),
    ('DECam', 42, 'N11', 'N', 'SCIENCE'),
    ('DECam', 43, 'N12', 'N', 'SCIENCE'),
    ('DECam', 44, 'N13', 'N', 'SCIENCE'),
    ('DECam', 45, 'N14', 'N', 'SCIENCE'),
    ('DECam', 46, 'N15', 'N', 'SCIENCE'),
    ('DECam', 47, 'N16', 'N', 'SCIENCE'),
    ('DECam', 48, 'N17', 'N', 'SCIENCE'),
    ('DECam', 49, 'N18', 'N', 'SCIENCE'),
    ('DECam', 50, 'N19', 'N', 'SCIENCE'),
    ('DECam', 51, 'N20', 'N', 'SCIENCE'),
    ('DECam', 52, 'N21', 'N', 'SCIENCE'),
    ('DECam', 53, 'N22', 'N', 'SCIENCE'),
    ('DECam', 54, 'N23', 'N', 'SCIENCE'),
    ('DECam', 55, 'N24', 'N', 'SCIENCE'),
    ('DECam', 56, 'N25', 'N', 'SCIENCE'),
    ('DECam', 57, 'N26', 'N', 'SCIENCE'),
    ('DECam', 58, 'N27', 'N', 'SCIENCE'),
    ('DECam', 59, 'N28', 'N', 'SCIENCE'),
    ('DECam', 60, 'N29', 'N', 'SCIENCE'),
    ('DECam', 61, 'N30', 'N', 'SCIENCE'),
    ('DECam', 62, 'N31', 'N', 'SCIENCE'),
    ('DECam', 63, 'FS4', 'F', 'WAVEFRONT'),
    ('DECam', 64, 'FS3', 'F', 'WAVEFRONT'),
    ('DECam', 65, 'GS2', 'G', 'GUIDER'),
    ('DECam', 66, 'GS1', 'G', 'GUIDER'),
    ('DECam', 67, 'GN1', 'G', 'GUIDER'),
    ('DECam', 68, 'GN2', 'G', 'GUIDER'),
    ('DECam', 69, 'FN4', 'F', 'WAVEFRONT'),
    ('DECam', 70, 'FN3', 'F', 'WAVEFRONT'),
    ('DECam', 71, 'FS2', 'F', 'WAVEFRONT'),
    ('DECam', 72, 'FS1', 'F', 'WAVEFRONT'),
    ('DECam', 73, 'FN1', 'F', 'WAVEFRONT'),
    ('DECam', 74, 'FN2', 'F', 'WAVEFRONT');

CREATE TABLE day_obs (
    instrument      text NOT NULL REFERENCES instrument(name),
    id              integer NOT NULL,
    timespan_begin  timestamptz NOT NULL,
    timespan_end    timestamptz NOT NULL,
    PRIMARY KEY (instrument, id)
);

CREATE TABLE obs_group (
    instrument  text NOT NULL REFERENCES instrument(name),
    name        text NOT NULL,
    PRIMARY KEY (instrument, name)
);

-- exposure (from V1) gets the butler's record fields and names
ALTER TABLE exposure RENAME COLUMN obs_start TO timespan_begin;
ALTER TABLE exposure RENAME COLUMN target TO target_name;
ALTER TABLE exposure RENAME COLUMN ra TO tracking_ra;
ALTER TABLE exposure RENAME COLUMN dec TO tracking_dec;
ALTER TABLE exposure
    ADD COLUMN timespan_end        timestamptz,
    ADD COLUMN obs_id              text,
    ADD COLUMN dark_time           double precision,
    ADD COLUMN observation_reason  text,
    ADD COLUMN seq_num             integer,
    ADD COLUMN "group"             text,
    ADD COLUMN science_program     text,
    ADD COLUMN sky_angle           double precision,
    ADD COLUMN zenith_angle        double precision;
UPDATE exposure SET timespan_end = timespan_begin + exposure_time * interval '1 second',
                    obs_id = 'ct4m' || id, "group" = id::text, dark_time = exposure_time;
INSERT INTO day_obs (instrument, id, timespan_begin, timespan_end)
    SELECT DISTINCT instrument, day_obs,
           to_timestamp(day_obs::text, 'YYYYMMDD') + interval '12 hours',
           to_timestamp(day_obs::text, 'YYYYMMDD') + interval '36 hours'
    FROM exposure ON CONFLICT DO NOTHING;
CREATE INDEX exposure_day_obs ON exposure (instrument, day_obs);

CREATE TABLE visit (
    instrument          text NOT NULL REFERENCES instrument(name),
    id                  bigint NOT NULL,
    physical_filter     text NOT NULL,
    band                text NOT NULL,
    day_obs             integer NOT NULL,
    exposure_time       double precision,
    target_name         text,
    observation_reason  text,
    science_program     text,
    zenith_angle        double precision,
    timespan_begin      timestamptz,
    timespan_end        timestamptz,
    region              text,
    PRIMARY KEY (instrument, id)
);

-- Sky regions (convex spherical polygons as JSON) and their HEALPix NESTED pixels at order 10, so that
-- "which patches does this visit overlap" is an indexed join on pixel, then an exact test.
CREATE TABLE visit_detector_region (
    instrument  text NOT NULL,
    visit       bigint NOT NULL,
    detector    integer NOT NULL,
    region      text NOT NULL,
    PRIMARY KEY (instrument, visit, detector)
);
CREATE TABLE visit_detector_region_pixel (
    pixel       bigint NOT NULL,
    instrument  text NOT NULL,
    visit       bigint NOT NULL,
    detector    integer NOT NULL,
    PRIMARY KEY (pixel, instrument, visit, detector),
    FOREIGN KEY (instrument, visit, detector) REFERENCES visit_detector_region ON DELETE CASCADE
);

CREATE TABLE skymap (
    name          text PRIMARY KEY,
    hash          text,
    tract_max     integer NOT NULL,
    patch_nx_max  integer NOT NULL,
    patch_ny_max  integer NOT NULL
);
CREATE TABLE tract (
    skymap  text NOT NULL REFERENCES skymap(name),
    id      integer NOT NULL,
    region  text NOT NULL,
    PRIMARY KEY (skymap, id)
);
CREATE TABLE patch (
    skymap  text NOT NULL,
    tract   integer NOT NULL,
    id      integer NOT NULL,
    cell_x  integer NOT NULL,
    cell_y  integer NOT NULL,
    region  text NOT NULL,
    PRIMARY KEY (skymap, tract, id),
    FOREIGN KEY (skymap, tract) REFERENCES tract
);
CREATE TABLE patch_pixel (
    pixel   bigint NOT NULL,
    skymap  text NOT NULL,
    tract   integer NOT NULL,
    patch   integer NOT NULL,
    PRIMARY KEY (pixel, skymap, tract, patch),
    FOREIGN KEY (skymap, tract, patch) REFERENCES patch ON DELETE CASCADE
);

-- Dataset types and datasets -------------------------------------------------------------------------

CREATE TABLE dataset_type (
    name            text PRIMARY KEY,
    dimensions      text[] NOT NULL,
    storage_class   text NOT NULL,
    is_calibration  boolean NOT NULL DEFAULT false
);
INSERT INTO dataset_type VALUES
    ('raw', '{instrument,detector,exposure}', 'Exposure', false),
    ('postISRCCD', '{instrument,detector,exposure}', 'Exposure', false),
    ('bias', '{instrument,detector}', 'ExposureF', true),
    ('flat', '{instrument,detector,physical_filter}', 'ExposureF', true),
    ('fringe', '{instrument,detector,physical_filter}', 'ExposureF', true),
    ('sky', '{instrument,detector,physical_filter}', 'ExposureF', true),
    ('bfKernel', '{instrument}', 'NumpyArray', true),
    ('defects', '{instrument,detector}', 'Defects', true),
    ('crosstalk', '{instrument,detector}', 'CrosstalkCalib', true),
    ('linearizer', '{instrument,detector}', 'Linearizer', true),
    ('calexp', '{instrument,detector,visit}', 'ExposureF', false),
    ('src', '{instrument,detector,visit}', 'SourceCatalog', false),
    ('deepCoadd', '{skymap,tract,patch,band}', 'ExposureF', false);

-- one column per dimension key, derived from the data ID, so that a where clause is plain indexed SQL
ALTER TABLE dataset ALTER COLUMN cluster DROP NOT NULL;
ALTER TABLE dataset
    ADD COLUMN instrument       text    GENERATED ALWAYS AS (data_id->>'instrument') STORED,
    ADD COLUMN band             text    GENERATED ALWAYS AS (data_id->>'band') STORED,
    ADD COLUMN physical_filter  text    GENERATED ALWAYS AS (data_id->>'physical_filter') STORED,
    ADD COLUMN detector         integer GENERATED ALWAYS AS ((data_id->>'detector')::integer) STORED,
    ADD COLUMN day_obs          integer GENERATED ALWAYS AS ((data_id->>'day_obs')::integer) STORED,
    ADD COLUMN "group"          text    GENERATED ALWAYS AS (data_id->>'group') STORED,
    ADD COLUMN exposure         bigint  GENERATED ALWAYS AS ((data_id->>'exposure')::bigint) STORED,
    ADD COLUMN visit            bigint  GENERATED ALWAYS AS ((data_id->>'visit')::bigint) STORED,
    ADD COLUMN skymap           text    GENERATED ALWAYS AS (data_id->>'skymap') STORED,
    ADD COLUMN tract            integer GENERATED ALWAYS AS ((data_id->>'tract')::integer) STORED,
    ADD COLUMN patch            integer GENERATED ALWAYS AS ((data_id->>'patch')::integer) STORED;
DROP INDEX dataset_data_id;
CREATE UNIQUE INDEX dataset_type_run_data_id ON dataset (dataset_type, run, data_id);
CREATE INDEX dataset_exposure ON dataset (exposure, detector) WHERE exposure IS NOT NULL;
CREATE INDEX dataset_visit ON dataset (visit, detector) WHERE visit IS NOT NULL;
CREATE INDEX dataset_detector ON dataset (detector);
CREATE INDEX dataset_band ON dataset (band) WHERE band IS NOT NULL;
CREATE INDEX dataset_patch ON dataset (skymap, tract, patch) WHERE tract IS NOT NULL;
CREATE INDEX dataset_run_type ON dataset (run, dataset_type);

-- Collections ------------------------------------------------------------------------------------------

ALTER TABLE collection ADD COLUMN doc text;

CREATE TABLE collection_chain (
    parent    text NOT NULL REFERENCES collection(name) ON DELETE CASCADE,
    position  integer NOT NULL,
    child     text NOT NULL REFERENCES collection(name),
    PRIMARY KEY (parent, position),
    UNIQUE (parent, child)
);

CREATE TABLE tagged_dataset (
    collection    text NOT NULL REFERENCES collection(name) ON DELETE CASCADE,
    dataset_id    uuid NOT NULL REFERENCES dataset(id) ON DELETE CASCADE,
    dataset_type  text NOT NULL,
    data_id       jsonb NOT NULL,
    PRIMARY KEY (collection, dataset_id),
    UNIQUE (collection, dataset_type, data_id)
);

-- A CALIBRATION collection certifies datasets over validity ranges; for one dataset type and data ID
-- the ranges in a collection may not overlap, and the database itself enforces it.
CREATE EXTENSION IF NOT EXISTS btree_gist;
CREATE TABLE calib_dataset (
    collection    text NOT NULL REFERENCES collection(name) ON DELETE CASCADE,
    dataset_id    uuid NOT NULL REFERENCES dataset(id) ON DELETE CASCADE,
    dataset_type  text NOT NULL,
    data_id       jsonb NOT NULL,
    data_id_key   text GENERATED ALWAYS AS (data_id::text) STORED,
    validity      tstzrange NOT NULL CHECK (NOT isempty(validity)),
    CONSTRAINT calib_no_overlap EXCLUDE USING gist
        (collection WITH =, dataset_type WITH =, data_id_key WITH =, validity WITH &&)
);
