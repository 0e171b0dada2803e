-- Issue 6: gathers (a master bias combines the zeros of a detector; a master flat the flats of a detector and
-- physical filter) are planned from the outputs already planned upstream, grouped by the gather's data ID. Each
-- edge keeps its dataset's data ID with the implied values of its exposure (band, physical_filter).
ALTER TABLE quantum_dataset ADD COLUMN data_id jsonb;
CREATE INDEX quantum_dataset_outputs_by_type ON quantum_dataset (dataset_type) WHERE role = 'output';
