-- Schema 4: the word of the source sentence that the event was read from (the
-- predicate its date modifies, extract/predicate.rs), in characters of the article
-- text; NULL for sources typed in or read before schema 4.
ALTER TABLE provenance ADD COLUMN trigger_start INTEGER;
ALTER TABLE provenance ADD COLUMN trigger_end INTEGER;
