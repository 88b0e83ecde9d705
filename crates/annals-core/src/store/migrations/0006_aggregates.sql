-- Schema 6: a million events, instant (query.rs). Counts kept ahead of the
-- questions, so the timeline and the filter panel read hundreds of rows instead
-- of every event, kept exact by the transaction that writes an event (the
-- buckets by the triggers below, the combinations by store/event.rs `rekey`);
-- and a smaller file: the indexes the queries no longer need are gone, and the
-- full-text index keeps no second copy of the text.

-- event_key again, without its foreign key and its index by event (a fifth of
-- the file): `event_keyed` says where an event's rows are, so they are deleted by
-- their primary key. An event without a country gets the key 'c:', so country
-- lanes can count the lane of no country.
CREATE TABLE event_key_6 (
    key         TEXT NOT NULL,
    span_class  INTEGER NOT NULL,
    lo          INTEGER NOT NULL,
    hi          INTEGER NOT NULL,
    event_id    INTEGER NOT NULL,
    PRIMARY KEY (key, span_class, lo, event_id)
) WITHOUT ROWID;
INSERT INTO event_key_6 (key, span_class, lo, hi, event_id)
    SELECT key, span_class, lo, hi, event_id FROM event_key
    UNION ALL
    SELECT 'c:', span_class, lo, hi, id FROM event e
    WHERE NOT EXISTS (SELECT 1 FROM event_country ec WHERE ec.event_id = e.id);
DROP TABLE event_key;
ALTER TABLE event_key_6 RENAME TO event_key;

-- Kind and mission filters go through event_key; country filters through its
-- 'c:' rows or event_country's primary key; duplicates look events up by lo.
DROP INDEX event_kind;
DROP INDEX event_mission;
DROP INDEX event_country_by_country;

-- How many events have each combination of kind, status, mission (0: none) and
-- countries (sorted codes joined by ','; '' for none): the filter panel's counts,
-- under any choice of countries, missions, kinds and statuses, are sums over
-- these rows, far fewer than the events. A combination that drops to 0 stays.
CREATE TABLE event_combo (
    id         INTEGER PRIMARY KEY,
    kind       TEXT NOT NULL,
    status     TEXT NOT NULL,
    mission    INTEGER NOT NULL,
    countries  TEXT NOT NULL,
    n          INTEGER NOT NULL,
    UNIQUE (kind, status, mission, countries)
);
INSERT INTO event_combo (kind, status, mission, countries, n)
    SELECT e.kind, e.status, coalesce(e.mission_id, 0), coalesce((SELECT group_concat(country, ',') FROM (SELECT country FROM event_country WHERE event_id = e.id ORDER BY country)), ''), count(*)
    FROM event e GROUP BY 1, 2, 3, 4;

-- What event_key holds for each event: its combination, span class, lo and hi.
CREATE TABLE event_keyed (
    id          INTEGER PRIMARY KEY,
    combo       INTEGER NOT NULL,
    span_class  INTEGER NOT NULL,
    lo          INTEGER NOT NULL,
    hi          INTEGER NOT NULL
);
INSERT INTO event_keyed (id, combo, span_class, lo, hi)
    SELECT e.id, c.id, e.span_class, e.lo, e.hi
    FROM event e JOIN event_combo c
      ON c.kind = e.kind AND c.status = e.status AND c.mission = coalesce(e.mission_id, 0)
     AND c.countries = coalesce((SELECT group_concat(country, ',') FROM (SELECT country FROM event_country WHERE event_id = e.id ORDER BY country)), '');

-- How many events of a key start in each time bucket: `bucket` = lo >> `level`,
-- a bucket 2^level minutes wide, at levels 11, 14, 17, 20 and 23 (34 hours to
-- 16 years; query.rs `LEVELS`). The key '' counts every event, the others are
-- those of event_key. Rows that drop to zero stay.
CREATE TABLE event_bucket (
    key     TEXT NOT NULL,
    level   INTEGER NOT NULL,
    bucket  INTEGER NOT NULL,
    n       INTEGER NOT NULL,
    PRIMARY KEY (key, level, bucket)
) WITHOUT ROWID;
INSERT INTO event_bucket (key, level, bucket, n)
    SELECT '', l.level, e.lo >> l.level, count(*)
    FROM event e, (SELECT 11 AS level UNION ALL SELECT 14 AS level UNION ALL SELECT 17 AS level UNION ALL SELECT 20 AS level UNION ALL SELECT 23 AS level) l
    GROUP BY 1, 2, 3;
INSERT INTO event_bucket (key, level, bucket, n)
    SELECT k.key, l.level, k.lo >> l.level, count(*)
    FROM event_key k, (SELECT 11 AS level UNION ALL SELECT 14 AS level UNION ALL SELECT 17 AS level UNION ALL SELECT 20 AS level UNION ALL SELECT 23 AS level) l
    GROUP BY 1, 2, 3;

CREATE TRIGGER event_bucket_ins AFTER INSERT ON event BEGIN
    INSERT INTO event_bucket (key, level, bucket, n) VALUES ('', 11, new.lo >> 11, 1), ('', 14, new.lo >> 14, 1), ('', 17, new.lo >> 17, 1), ('', 20, new.lo >> 20, 1), ('', 23, new.lo >> 23, 1)
        ON CONFLICT (key, level, bucket) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER event_bucket_del AFTER DELETE ON event BEGIN
    UPDATE event_bucket SET n = n - 1 WHERE key = '' AND level = 11 AND bucket = old.lo >> 11;
    UPDATE event_bucket SET n = n - 1 WHERE key = '' AND level = 14 AND bucket = old.lo >> 14;
    UPDATE event_bucket SET n = n - 1 WHERE key = '' AND level = 17 AND bucket = old.lo >> 17;
    UPDATE event_bucket SET n = n - 1 WHERE key = '' AND level = 20 AND bucket = old.lo >> 20;
    UPDATE event_bucket SET n = n - 1 WHERE key = '' AND level = 23 AND bucket = old.lo >> 23;
END;
CREATE TRIGGER event_bucket_upd AFTER UPDATE OF lo ON event WHEN old.lo <> new.lo BEGIN
    UPDATE event_bucket SET n = n - 1 WHERE key = '' AND level = 11 AND bucket = old.lo >> 11;
    UPDATE event_bucket SET n = n - 1 WHERE key = '' AND level = 14 AND bucket = old.lo >> 14;
    UPDATE event_bucket SET n = n - 1 WHERE key = '' AND level = 17 AND bucket = old.lo >> 17;
    UPDATE event_bucket SET n = n - 1 WHERE key = '' AND level = 20 AND bucket = old.lo >> 20;
    UPDATE event_bucket SET n = n - 1 WHERE key = '' AND level = 23 AND bucket = old.lo >> 23;
    INSERT INTO event_bucket (key, level, bucket, n) VALUES ('', 11, new.lo >> 11, 1), ('', 14, new.lo >> 14, 1), ('', 17, new.lo >> 17, 1), ('', 20, new.lo >> 20, 1), ('', 23, new.lo >> 23, 1)
        ON CONFLICT (key, level, bucket) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER event_key_bucket_ins AFTER INSERT ON event_key BEGIN
    INSERT INTO event_bucket (key, level, bucket, n) VALUES (new.key, 11, new.lo >> 11, 1), (new.key, 14, new.lo >> 14, 1), (new.key, 17, new.lo >> 17, 1), (new.key, 20, new.lo >> 20, 1), (new.key, 23, new.lo >> 23, 1)
        ON CONFLICT (key, level, bucket) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER event_key_bucket_del AFTER DELETE ON event_key BEGIN
    UPDATE event_bucket SET n = n - 1 WHERE key = old.key AND level = 11 AND bucket = old.lo >> 11;
    UPDATE event_bucket SET n = n - 1 WHERE key = old.key AND level = 14 AND bucket = old.lo >> 14;
    UPDATE event_bucket SET n = n - 1 WHERE key = old.key AND level = 17 AND bucket = old.lo >> 17;
    UPDATE event_bucket SET n = n - 1 WHERE key = old.key AND level = 20 AND bucket = old.lo >> 20;
    UPDATE event_bucket SET n = n - 1 WHERE key = old.key AND level = 23 AND bucket = old.lo >> 23;
END;

-- The full-text index without a copy of the text (nothing reads it back); rows
-- are still deleted by rowid (contentless_delete).
DROP TABLE event_fts;
CREATE VIRTUAL TABLE event_fts USING fts5 (
    title, summary, place, quote,
    content = '', contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 2'
);
INSERT INTO event_fts (rowid, title, summary, place, quote)
    SELECT e.id, e.title, e.summary,
           concat_ws(' ', e.city, m.name,
                     (SELECT group_concat(c.name || ' ' || c.demonyms, ' ')
                      FROM event_country ec JOIN country c ON c.code = ec.country WHERE ec.event_id = e.id)),
           (SELECT group_concat(quote, ' ') FROM provenance WHERE event_id = e.id)
    FROM event e LEFT JOIN mission m ON m.id = e.mission_id;
