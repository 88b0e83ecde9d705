#!/usr/bin/env python3
"""Draws a reproducible random sample of the extractor's proposals on Reuters-21578 and
prints it as a TSV for labelling (issue 9: "a labelled random sample of 100 proposals
... at >= 0.85 right"). Python 3 standard library only.

Usage:

    annals import --db /tmp/reu.sqlite3 --jsonl ../shared/corpora/reuters21578.jsonl
    python3 scripts/reuters-sample.py /tmp/reu.sqlite3 ../shared/corpora/reuters21578.jsonl \
        [--seed 2026] [--n 100] > sample.tsv

The database is opened read-only. Every event in status `proposed` is a candidate; the
candidates are sorted by event id and `random.Random(seed).sample(ids, n)` picks n of
them, so the same database and seed give the same sample. Rows are printed in event-id
order with the columns

    story_id event_id sentence_start sentence_end trigger_start trigger_end date kind title quote

An event merged from several sentences has several sources; the row shows the one
its title was written from (the source sharing most words with the title, the first on a
tie). story_id is the Reuters story (the corpus's "id") whose text is the article that
source came from: the article body is matched to the corpus text exactly, and since
import stores a text once, a text the corpus holds under several ids gets the first.
Offsets are character offsets into that text (sentence_start/_end: the source sentence;
trigger_start/_end: the trigger word, empty when none). date is the event's start, or
"start/end" for a range. Tabs and newlines in the title and quote are replaced by
spaces; fields are not quoted, so read the file with
`csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE)` (some quotes begin with a
quotation mark). data/dev/reuters-sample.tsv is this output for seed 2026 and n 100,
less the title and quote columns (the corpus's and the extractor's words, which the
script prints again from a database), plus two hand-filled columns: label
(right/wrong) and why. Its event ids are those of a database imported at commit
5bfe7c5 (`cargo build --profile eval -p annals-cli`); a later extractor makes other
proposals and needs a new sample.

With --check LABELS.tsv (a labelled sample, as in data/dev/) the script draws
nothing: it reports how many of the labelled proposals the database still proposes
(an event in status `proposed` with a source in the same story's sentence and the
same date) and how many of those were labelled right. A change that only removes
proposals keeps the rest a random sample of what remains, so this measures it
without labelling again; a change that alters titles or dates needs a new sample.

Labelling rubric. A proposal is right only when ALL of these hold:
  (a) it is a real event, something that happened (or something planned and marked
      planned), that a careful analyst would put on a timeline. A price move or a
      routine figure ("profit rose 5 pct in 1986", "shares closed at 12") is right only
      if its date and verb are right and its title reads as a sentence. A state, a
      figure with no happening, an opinion or a forecast is wrong;
  (b) the date is the one the text gives to that event: not the date of another clause,
      not a deadline ("by June"), not the period a figure covers when the event is the
      reporting of it; judge the predicate the date modifies;
  (c) the title names who did what (subject + predicate); a fragment ("Expects to
      maintain"), a bare noun phrase ("A hearing"), a bare speech tag ("The company
      said"), an unresolved pronoun subject ("It redeemed ...") or a title that changes
      the meaning (a dropped "not") is wrong; a full noun-phrase subject passes even
      when it is vague ("The government raised ...");
  (d) the kind fits: `other` is fine when no specific kind fits; `statement` only for a
      saying dated by its own date; meeting, protest, treaty, conflict, arrest, entry,
      removal, departure, security, repatriation must fit the act;
  (e) a place, if given, is where it happened;
  (f) its sources report that one event: an event merged from sentences about
      different happenings is wrong even when its title sentence alone would be right.
When unsure, the label is wrong and the reason says why.
"""
import argparse
import json
import random
import re
import sqlite3
import sys


def clean(s):
    return " ".join((s or "").replace("\t", " ").replace("\r", " ").replace("\n", " ").split())


def words(s):
    return set(re.findall(r"[a-z0-9]+", (s or "").lower()))


def title_source(title, sources):
    """The source the title was written from: the one sharing most words with it (the
    first on a tie). An event merged from several sentences has several sources."""
    best, best_n = None, -1
    t = words(title)
    for src in sources:
        n = len(t & words(src[4]))
        if n > best_n:
            best, best_n = src, n
    return best


def check(args):
    """Prints how many proposals of a labelled sample the database still makes."""
    import csv

    text_of = {}
    with open(args.corpus, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                s = json.loads(line)
                text_of.setdefault(str(s["id"]), s["text"])
    db = sqlite3.connect(f"file:{args.db}?mode=ro", uri=True)
    article_of = {}
    for aid, body in db.execute("SELECT id, body FROM article"):
        article_of.setdefault(body, aid)
    with open(args.check, encoding="utf-8") as f:
        labels = list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
    kept = right = 0
    for row in labels:
        aid = article_of.get(text_of.get(row["story_id"], ""))
        found = False
        for start, end in db.execute(
                "SELECT e.date_start, e.date_end FROM provenance p JOIN event e ON e.id = p.event_id"
                " WHERE p.article_id = ? AND p.sentence_start = ? AND e.status = 'proposed'",
                (aid, int(row["sentence_start"]))):
            date = start if not end or end == start else f"{start}/{end}"
            found = found or date == row["date"]
        if found:
            kept += 1
            right += row["label"] == "right"
    print(f"{kept} of {len(labels)} labelled proposals still proposed; {right} of them right"
          f" ({right / kept if kept else 0:.2f}); right ones no longer proposed:"
          f" {sum(r['label'] == 'right' for r in labels) - right}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("db", help="an Annals database into which Reuters-21578 was imported")
    ap.add_argument("corpus", help="reuters21578.jsonl (one {id, dct, text} per line)")
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--n", type=int, default=100)
    ap.add_argument("--check", metavar="LABELS", help="a labelled sample to check against the database")
    args = ap.parse_args()
    if args.check:
        check(args)
        return

    story_of_text = {}
    with open(args.corpus, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                s = json.loads(line)
                story_of_text.setdefault(s["text"], s["id"])

    db = sqlite3.connect(f"file:{args.db}?mode=ro", uri=True)
    ids = [r[0] for r in db.execute("SELECT id FROM event WHERE status = 'proposed' ORDER BY id")]
    if len(ids) < args.n:
        sys.exit(f"only {len(ids)} proposals, fewer than {args.n}")
    picked = sorted(random.Random(args.seed).sample(ids, args.n))

    out = sys.stdout
    out.write("\t".join(["story_id", "event_id", "sentence_start", "sentence_end", "trigger_start",
                         "trigger_end", "date", "kind", "title", "quote"]) + "\n")
    for eid in picked:
        title, kind, start, end = db.execute(
            "SELECT title, kind, date_start, date_end FROM event WHERE id = ?", (eid,)).fetchone()
        sources = db.execute(
            "SELECT p.sentence_start, p.sentence_end, p.trigger_start, p.trigger_end, p.quote, a.body"
            " FROM provenance p JOIN article a ON a.id = p.article_id"
            " WHERE p.event_id = ? ORDER BY p.id", (eid,)).fetchall()
        src = title_source(title, sources)
        if src is None:
            s_start = s_end = t_start = t_end = None
            quote, story = "", ""
        else:
            s_start, s_end, t_start, t_end, quote, body = src
            story = story_of_text.get(body, "")
        date = start if not end or end == start else f"{start}/{end}"
        row = [story, eid, s_start, s_end, t_start, t_end, date, kind, clean(title), clean(quote)]
        out.write("\t".join("" if v is None else str(v) for v in row) + "\n")


if __name__ == "__main__":
    main()
