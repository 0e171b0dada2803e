-- Issue 5: the orchestrator plans from the pipeline, ahead of the data. A quantum whose inputs are not all produced
-- yet is 'unready' (ctrl_bps's name for it); it is dispatched when its last input becomes ready. The datasets a
-- quantum reads and writes (planned, with their deterministic IDs, before they exist) are its edges in the quantum
-- graph: a failed quantum's dependants are the quanta that read what it would have written.
ALTER TABLE quantum DROP CONSTRAINT quantum_state_check;
ALTER TABLE quantum ADD CONSTRAINT quantum_state_check
    CHECK (state IN ('unready', 'pending', 'running', 'done', 'failed', 'dep_fail'));

CREATE TABLE quantum_dataset (
    quantum       uuid NOT NULL REFERENCES quantum(id) ON DELETE CASCADE,
    dataset       uuid NOT NULL,
    role          text NOT NULL CHECK (role IN ('input', 'output')),
    connection    text NOT NULL,
    dataset_type  text NOT NULL,
    PRIMARY KEY (quantum, role, dataset)
);
-- "who reads this dataset" (readiness and dep_fail) and "who writes it"
CREATE INDEX quantum_dataset_by_dataset ON quantum_dataset (dataset, role);
