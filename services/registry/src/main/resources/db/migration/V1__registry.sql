-- The butler's registry, first cut: collections, exposure records, datasets, quanta, quarantine,
-- and the transactional outbox through which every event leaves the registry.

CREATE TABLE cluster (
    name        text PRIMARY KEY,
    first_seen  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE collection (
    name        text PRIMARY KEY,
    type        text NOT NULL CHECK (type IN ('RUN', 'CHAINED', 'TAGGED', 'CALIBRATION')),
    created_at  timestamptz NOT NULL DEFAULT now()
);
INSERT INTO collection (name, type) VALUES ('DECam/raw/all', 'RUN');

-- The output RUN of a pipeline step for one cluster, made once (timestamped, as the seed's runs are).
CREATE TABLE cluster_run (
    cluster     text NOT NULL REFERENCES cluster(name),
    step        text NOT NULL,
    run         text NOT NULL REFERENCES collection(name),
    PRIMARY KEY (cluster, step)
);

CREATE TABLE exposure (
    instrument        text NOT NULL,
    id                bigint NOT NULL,
    day_obs           integer NOT NULL,
    physical_filter   text NOT NULL,
    band              text NOT NULL,
    obs_start         timestamptz NOT NULL,
    exposure_time     double precision NOT NULL,
    target            text,
    ra                double precision,
    dec               double precision,
    observation_type  text,
    PRIMARY KEY (instrument, id)
);

CREATE TABLE dataset (
    id            uuid PRIMARY KEY,
    dataset_type  text NOT NULL,
    run           text NOT NULL REFERENCES collection(name),
    cluster       text NOT NULL REFERENCES cluster(name),
    data_id       jsonb NOT NULL,
    uri           text NOT NULL,
    byte_offset   bigint,
    byte_length   bigint,
    checksum      text,
    producer      text NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX dataset_cluster_type ON dataset (cluster, dataset_type);
CREATE INDEX dataset_data_id ON dataset USING gin (data_id);

CREATE TABLE quantum (
    id             uuid PRIMARY KEY,
    cluster        text NOT NULL REFERENCES cluster(name),
    task_label     text NOT NULL,
    service        text NOT NULL,
    data_id        jsonb NOT NULL,
    state          text NOT NULL CHECK (state IN ('pending', 'running', 'done', 'failed')),
    attempt        integer NOT NULL DEFAULT 1,
    dispatch       jsonb NOT NULL,
    worker         text,
    error_type     text,
    error_message  text,
    log_uri        text,
    metrics        jsonb,
    created_at     timestamptz NOT NULL DEFAULT now(),
    started_at     timestamptz,
    finished_at    timestamptz
);
CREATE INDEX quantum_cluster_task ON quantum (cluster, task_label, state);

CREATE TABLE quarantine (
    quarantine_uri  text PRIMARY KEY,
    cluster         text NOT NULL REFERENCES cluster(name),
    source_uri      text NOT NULL,
    problem         text NOT NULL,
    reason          text NOT NULL,
    quarantined_at  timestamptz NOT NULL
);

CREATE TABLE outbox (
    id            bigserial PRIMARY KEY,
    topic         text NOT NULL,
    msg_key       text,
    payload       text NOT NULL,
    traceparent   text,
    created_at    timestamptz NOT NULL DEFAULT now(),
    published_at  timestamptz
);
CREATE INDEX outbox_unpublished ON outbox (id) WHERE published_at IS NULL;
