-- A dataset held in its job's memory and handed to the quanta after it there, never written to the object store
-- (lovoccs.orchestrator.held-in-job): registered, not stored, as a dataset cleanup has removed. It becomes stored
-- when the worker writes it after all because a quantum of its job that reads it failed (quantum.finished spilled).
ALTER TABLE dataset ADD COLUMN stored boolean NOT NULL DEFAULT true;
