-- Schema 3: imported articles keep their date expressions, each with what the text
-- says (its Expr) and what it is anchored to, so that correcting the publication
-- date re-resolves every date that depended on it (store/import.rs).
CREATE TABLE article_timex (
    article_id  INTEGER NOT NULL REFERENCES article(id) ON DELETE CASCADE,
    idx         INTEGER NOT NULL,   -- position in the article's list (anchors refer to it)
    start_char  INTEGER NOT NULL,
    end_char    INTEGER NOT NULL,
    timex       TEXT NOT NULL,      -- JSON of timex::Timex: span, text, Expr, anchor, value
    PRIMARY KEY (article_id, idx)
) WITHOUT ROWID;

-- Which of the article's expressions dates the event read from this sentence, and
-- that expression's Expr and anchor (JSON), readable without the list.
ALTER TABLE provenance ADD COLUMN timex_index INTEGER;
ALTER TABLE provenance ADD COLUMN date_expr TEXT;

-- Why an event is back in review ("8 May 2002, was 2 July 2008: publication date
-- corrected"); cleared when it is accepted.
ALTER TABLE event ADD COLUMN review_note TEXT;
