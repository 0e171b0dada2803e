-- Quantum clusters (ctrl_bps's clustering, e.g. processCcd = isr + characterizeImage + calibrate + checkVisit of one
-- CCD): a quantum sent as a follower in another quantum's job names that quantum here, so that when a quantum of the
-- job fails, the followers that never started go back to waiting for their inputs. Additive only.
ALTER TABLE quantum ADD COLUMN IF NOT EXISTS dispatched_with uuid;
CREATE INDEX IF NOT EXISTS quantum_dispatched_with ON quantum (dispatched_with) WHERE dispatched_with IS NOT NULL;
