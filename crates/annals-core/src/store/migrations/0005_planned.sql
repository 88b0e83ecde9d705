-- Schema 5: an event announced or expected rather than one that happened ("is
-- due in Beijing on Monday", "will close 149 towers"): shown as planned.
ALTER TABLE event ADD COLUMN planned INTEGER NOT NULL DEFAULT 0;
