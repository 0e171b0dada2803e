-- Issue 5, first part: quanta are retried with backoff up to a limit and can be re-run by hand; a quantum
-- whose input failed is dep_fail; clusters are first-class (position, redshift, bands with their reference
-- catalogues, and whether the raw set is complete).

ALTER TABLE quantum DROP CONSTRAINT quantum_state_check;
ALTER TABLE quantum ADD CONSTRAINT quantum_state_check
    CHECK (state IN ('pending', 'running', 'done', 'failed', 'dep_fail'));
ALTER TABLE quantum
    ADD COLUMN max_attempts  integer NOT NULL DEFAULT 3,
    ADD COLUMN retry_at      timestamptz;
CREATE INDEX quantum_retry_due ON quantum (retry_at) WHERE retry_at IS NOT NULL;

ALTER TABLE cluster
    ADD COLUMN ra                double precision,
    ADD COLUMN dec               double precision,
    ADD COLUMN redshift          double precision,
    ADD COLUMN bands             jsonb NOT NULL DEFAULT '{}'::jsonb,
    ADD COLUMN raws_complete_at  timestamptz;
