-- Skymaps made by the registry (register-skymap) and visits defined from exposures (define-visits).
-- Additive only: a skymap keeps the config it was made with, and the skyMap dataset type (LSST's
-- register-skymap writes one skyMap dataset, dimensions {skymap}, to the RUN 'skymaps').

ALTER TABLE skymap ADD COLUMN IF NOT EXISTS config jsonb;

INSERT INTO dataset_type (name, dimensions, storage_class, is_calibration)
    VALUES ('skyMap', '{skymap}', 'SkyMap', false) ON CONFLICT (name) DO NOTHING;

-- the spatial join reads a set of visits' pixels: (instrument, visit) first
CREATE INDEX IF NOT EXISTS visit_detector_region_pixel_visit
    ON visit_detector_region_pixel (instrument, visit, detector, pixel);
CREATE INDEX IF NOT EXISTS patch_pixel_skymap ON patch_pixel (skymap, pixel);
