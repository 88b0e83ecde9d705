-- Schema 8: the events' full-text index keeps which events hold a word and
-- nothing more (detail = none): no column numbers, no positions. A search is
-- every word typed, each as a prefix of one token (query.rs `fts_query`), which
-- needs neither; phrase, NEAR and column queries are never asked. At a million
-- events the index is 17 bytes an event instead of 51, and writing it takes
-- two-thirds of the time.
DROP TABLE event_fts;
CREATE VIRTUAL TABLE event_fts USING fts5 (
    title, summary, place, quote,
    content = '', contentless_delete = 1, detail = none,
    tokenize = 'unicode61 remove_diacritics 2'
);
INSERT INTO event_fts (rowid, title, summary, place, quote)
    SELECT e.id, e.title, e.summary,
           concat_ws(' ', e.city, m.name,
                     (SELECT group_concat(c.name || ' ' || c.demonyms, ' ')
                      FROM event_country ec JOIN country c ON c.code = ec.country WHERE ec.event_id = e.id)),
           (SELECT group_concat(quote, ' ') FROM provenance WHERE event_id = e.id)
    FROM event e LEFT JOIN mission m ON m.id = e.mission_id;
