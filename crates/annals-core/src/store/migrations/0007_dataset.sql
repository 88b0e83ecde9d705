-- Schema 7: events imported from datasets (CSV/TSV, ACLED, GDELT, TimelineJS).
-- Numbered 7, not 6: schema 6 is written on another branch at the same time. The
-- runner (store/mod.rs) applies migrations by number, so a gap is allowed.
--
-- Where it happened, when the dataset says: WGS 84 degrees, NULL when unknown.
ALTER TABLE event ADD COLUMN lat REAL CHECK (lat IS NULL OR lat BETWEEN -90 AND 90);
ALTER TABLE event ADD COLUMN lon REAL CHECK (lon IS NULL OR lon BETWEEN -180 AND 180);

-- Where a dataset event came from: the dataset ("ACLED", "GDELT", or the name the
-- user gave a CSV), the row's own id in it (GLOBALEVENTID, event_id_cnty, the
-- mapped id column, else a hash of the row), the file and line it was read from,
-- the source URL and group it names. (dataset, row_id) is unique: importing the
-- same rows again adds nothing.
CREATE TABLE dataset_row (
    dataset   TEXT NOT NULL,
    row_id    TEXT NOT NULL,
    event_id  INTEGER NOT NULL REFERENCES event(id) ON DELETE CASCADE,
    file      TEXT NOT NULL,
    line      INTEGER NOT NULL,
    url       TEXT,
    grp       TEXT,
    PRIMARY KEY (dataset, row_id)
) WITHOUT ROWID;
CREATE INDEX dataset_row_event ON dataset_row (event_id);
