-- A gather's input edge is optional: when the quantum writing it fails, the gather goes on without it (a master
-- bias from the zeros that processed; select_visit over the CCDs that calibrated) instead of becoming dep_fail.
-- Additive only.
ALTER TABLE quantum_dataset ADD COLUMN IF NOT EXISTS optional boolean NOT NULL DEFAULT false;

-- A cluster's own config overrides, LABEL:FIELD to value (the seed's per-cluster options, e.g.
-- selectVisit:minGoodDetectors for a field observed with few CCDs), applied to every quantum planned for it.
ALTER TABLE cluster ADD COLUMN IF NOT EXISTS config jsonb NOT NULL DEFAULT '{}'::jsonb;
