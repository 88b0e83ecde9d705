-- Schema 11: a dataset's name and a file's path are written once, not on every
-- row that came from them. `dataset_row` kept both as text in each row and again
-- in its event index (the key's columns): some 70 bytes a row for a CSV's path
-- and name. Rows now point to `dataset` and `dataset_file` by id; (dataset,
-- row_id) stays the key, so a row imported again from a renamed file is still
-- the same row.
CREATE TABLE dataset (
    id    INTEGER PRIMARY KEY,
    name  TEXT NOT NULL UNIQUE
);
CREATE TABLE dataset_file (
    id    INTEGER PRIMARY KEY,
    path  TEXT NOT NULL UNIQUE
);
INSERT INTO dataset (name) SELECT DISTINCT dataset FROM dataset_row ORDER BY dataset;
INSERT INTO dataset_file (path) SELECT DISTINCT file FROM dataset_row ORDER BY file;
CREATE TABLE dataset_row_by_id (
    dataset   INTEGER NOT NULL REFERENCES dataset(id),
    row_id    TEXT NOT NULL,
    event_id  INTEGER NOT NULL REFERENCES event(id) ON DELETE CASCADE,
    file      INTEGER NOT NULL REFERENCES dataset_file(id),
    line      INTEGER NOT NULL,
    url       TEXT,
    grp       TEXT,
    PRIMARY KEY (dataset, row_id)
) WITHOUT ROWID;
INSERT INTO dataset_row_by_id (dataset, row_id, event_id, file, line, url, grp)
    SELECT d.id, r.row_id, r.event_id, f.id, r.line, r.url, r.grp
    FROM dataset_row r
    JOIN dataset d ON d.name = r.dataset
    JOIN dataset_file f ON f.path = r.file
    ORDER BY d.id, r.row_id;
DROP TABLE dataset_row;
ALTER TABLE dataset_row_by_id RENAME TO dataset_row;
CREATE INDEX dataset_row_event ON dataset_row (event_id);
