-- Schema 2: a time index per filter value, so a filtered window query reads only
-- the events of the chosen country, mission, kind or status in that window instead
-- of every event of the window. One row per (event, value); kept by the store on
-- every write (store/event.rs `rekey`).
CREATE TABLE event_key (
    key         TEXT NOT NULL,    -- 'c:JP', 'm:12', 'k:entry', 's:accepted'
    span_class  INTEGER NOT NULL,
    lo          INTEGER NOT NULL,
    hi          INTEGER NOT NULL,
    event_id    INTEGER NOT NULL REFERENCES event(id) ON DELETE CASCADE,
    PRIMARY KEY (key, span_class, lo, event_id)
) WITHOUT ROWID;
CREATE INDEX event_key_event ON event_key (event_id);

INSERT INTO event_key (key, span_class, lo, hi, event_id)
    SELECT 'k:' || kind, span_class, lo, hi, id FROM event
    UNION ALL SELECT 's:' || status, span_class, lo, hi, id FROM event
    UNION ALL SELECT 'm:' || mission_id, span_class, lo, hi, id FROM event WHERE mission_id IS NOT NULL
    UNION ALL SELECT 'c:' || ec.country, e.span_class, e.lo, e.hi, e.id
              FROM event e JOIN event_country ec ON ec.event_id = e.id;
