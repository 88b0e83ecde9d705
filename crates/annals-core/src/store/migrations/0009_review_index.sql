-- Schema 9: the proposals waiting for review have an index of their own, in the
-- order the Review view shows them (surest first, then by date). Partial: only
-- proposed events are in it, so it costs a few bytes an event in a database of
-- mostly accepted or curated ones and nothing to a dataset import (its rows are
-- curated). The queue's page, its counts and its kind facet read it alone
-- instead of every event (`store/review.rs`).
CREATE INDEX event_review ON event (coalesce(confidence, 0) DESC, lo, id, kind)
    WHERE status = 'proposed';
