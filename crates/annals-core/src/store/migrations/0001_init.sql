-- Annals schema 1. Dates are stored twice: as text at their precision (the truth)
-- and as integer minute keys lo/hi (derived, for windowing and sorting).

CREATE TABLE country (
    code      TEXT PRIMARY KEY CHECK (length(code) = 2 AND code = upper(code)),
    code3     TEXT,
    name      TEXT NOT NULL,
    official  TEXT,
    demonyms  TEXT NOT NULL DEFAULT '[]',  -- JSON array
    aliases   TEXT NOT NULL DEFAULT '[]',  -- JSON array
    capital   TEXT
) WITHOUT ROWID;

CREATE TABLE mission (
    id               INTEGER PRIMARY KEY,
    kind             TEXT NOT NULL CHECK (kind IN ('embassy', 'consulate', 'consulate_general', 'mission')),
    sending_country  TEXT NOT NULL REFERENCES country(code),
    host_country     TEXT NOT NULL REFERENCES country(code),
    city             TEXT NOT NULL,
    name             TEXT NOT NULL,
    UNIQUE (sending_country, kind, city)
);

CREATE TABLE article (
    id                 INTEGER PRIMARY KEY,
    title              TEXT NOT NULL,
    byline             TEXT,
    source             TEXT,
    dateline           TEXT,
    published_printed  TEXT,
    published          TEXT,
    published_note     TEXT,
    body               TEXT NOT NULL,
    content_hash       TEXT NOT NULL UNIQUE,
    imported_at        TEXT NOT NULL
);

CREATE TABLE event (
    id           INTEGER PRIMARY KEY,
    title        TEXT NOT NULL CHECK (length(trim(title)) > 0),
    summary      TEXT NOT NULL DEFAULT '',
    kind         TEXT NOT NULL,
    date_start   TEXT NOT NULL,
    date_end     TEXT,
    approximate  INTEGER NOT NULL DEFAULT 0 CHECK (approximate IN (0, 1)),
    precision    TEXT NOT NULL CHECK (precision IN ('year', 'month', 'day', 'minute')),
    lo           INTEGER NOT NULL,
    hi           INTEGER NOT NULL CHECK (hi > lo),
    -- ceil(log2(hi - lo)): events of one class are at most 2^class minutes long, so
    -- a window [a, b) needs only lo in [a - 2^class, b) per class (see query.rs).
    span_class   INTEGER NOT NULL,
    city         TEXT,
    country      TEXT REFERENCES country(code),
    mission_id   INTEGER REFERENCES mission(id) ON DELETE SET NULL,
    status       TEXT NOT NULL CHECK (status IN ('proposed', 'accepted', 'rejected')),
    origin       TEXT NOT NULL CHECK (origin IN ('manual', 'extracted', 'curated')),
    confidence   REAL,
    background   INTEGER NOT NULL DEFAULT 0 CHECK (background IN (0, 1)),
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);
CREATE INDEX event_window ON event (span_class, lo, hi);
CREATE INDEX event_lo ON event (lo, id);
CREATE INDEX event_mission ON event (mission_id, lo);
CREATE INDEX event_kind ON event (kind, lo);

CREATE TABLE event_country (
    event_id  INTEGER NOT NULL REFERENCES event(id) ON DELETE CASCADE,
    country   TEXT NOT NULL REFERENCES country(code),
    PRIMARY KEY (event_id, country)
) WITHOUT ROWID;
CREATE INDEX event_country_by_country ON event_country (country, event_id);

-- How many events each span class holds, kept by triggers so a window query knows
-- which classes to visit without scanning the events.
CREATE TABLE span_class_count (
    span_class  INTEGER PRIMARY KEY,
    n           INTEGER NOT NULL
);
CREATE TRIGGER event_span_ins AFTER INSERT ON event BEGIN
    INSERT INTO span_class_count (span_class, n) VALUES (new.span_class, 1)
        ON CONFLICT (span_class) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER event_span_del AFTER DELETE ON event BEGIN
    UPDATE span_class_count SET n = n - 1 WHERE span_class = old.span_class;
    DELETE FROM span_class_count WHERE n <= 0;
END;
CREATE TRIGGER event_span_upd AFTER UPDATE OF span_class ON event
WHEN old.span_class <> new.span_class BEGIN
    UPDATE span_class_count SET n = n - 1 WHERE span_class = old.span_class;
    DELETE FROM span_class_count WHERE n <= 0;
    INSERT INTO span_class_count (span_class, n) VALUES (new.span_class, 1)
        ON CONFLICT (span_class) DO UPDATE SET n = n + 1;
END;

CREATE TABLE provenance (
    id              INTEGER PRIMARY KEY,
    event_id        INTEGER NOT NULL REFERENCES event(id) ON DELETE CASCADE,
    article_id      INTEGER NOT NULL REFERENCES article(id) ON DELETE CASCADE,
    sentence_start  INTEGER NOT NULL,
    sentence_end    INTEGER NOT NULL CHECK (sentence_end >= sentence_start),
    quote           TEXT NOT NULL,
    date_text       TEXT,
    date_anchor     TEXT
);
CREATE INDEX provenance_event ON provenance (event_id);
CREATE INDEX provenance_article ON provenance (article_id);

-- Every change to an event keeps the state before it, so edits can be traced.
CREATE TABLE event_revision (
    id        INTEGER PRIMARY KEY,
    event_id  INTEGER NOT NULL,
    at        TEXT NOT NULL,
    action    TEXT NOT NULL CHECK (action IN ('update', 'delete', 'restore')),
    snapshot  TEXT NOT NULL  -- JSON of the event before the action
);
CREATE INDEX event_revision_event ON event_revision (event_id, id);

-- Full text over events: rowid is the event id; kept by the store on every write.
CREATE VIRTUAL TABLE event_fts USING fts5 (
    title, summary, place, quote,
    tokenize = 'unicode61 remove_diacritics 2'
);

CREATE VIRTUAL TABLE article_fts USING fts5 (
    title, body,
    content = 'article', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER article_fts_ins AFTER INSERT ON article BEGIN
    INSERT INTO article_fts (rowid, title, body) VALUES (new.id, new.title, new.body);
END;
CREATE TRIGGER article_fts_del AFTER DELETE ON article BEGIN
    INSERT INTO article_fts (article_fts, rowid, title, body) VALUES ('delete', old.id, old.title, old.body);
END;
CREATE TRIGGER article_fts_upd AFTER UPDATE OF title, body ON article BEGIN
    INSERT INTO article_fts (article_fts, rowid, title, body) VALUES ('delete', old.id, old.title, old.body);
    INSERT INTO article_fts (rowid, title, body) VALUES (new.id, new.title, new.body);
END;

CREATE TABLE setting (
    key    TEXT PRIMARY KEY,
    value  TEXT NOT NULL
) WITHOUT ROWID;
