-- The brighter-fatter kernel as LSST names it today: 'bfk', one per detector (cp_pipe's cpBfkSolve output), a
-- calibration certified in DECam/calib/<cluster>. V2's 'bfKernel' ({instrument}, Gen2's single array) stays for
-- repositories that hold one. Additive only.
INSERT INTO dataset_type (name, dimensions, storage_class, is_calibration)
    VALUES ('bfk', '{instrument,detector}', 'BrighterFatterKernel', true) ON CONFLICT (name) DO NOTHING;
