-- The htm7 dimension: reference catalogues are sharded by level-7 HTM triangle, as LSST's are
-- (butler ingest-refcat), so `--where "htm7 IN (...)"` finds the shards of a sky region.
-- (V9, not V8: another branch takes V8; Flyway applies the two in either order only with
-- quarkus.flyway.out-of-order=true, see docs/butler.md.)
ALTER TABLE dataset
    ADD COLUMN htm7 bigint GENERATED ALWAYS AS ((data_id->>'htm7')::bigint) STORED;
CREATE INDEX dataset_htm7 ON dataset (dataset_type, htm7) WHERE htm7 IS NOT NULL;
