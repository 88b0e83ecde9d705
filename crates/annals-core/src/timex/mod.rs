//! The temporal tagger: finds date and time expressions in English news text and
//! normalizes them as TIMEX3 values, the way TempEval-3 annotates them.
//!
//! ```text
//! text ──scan──▶ tokens ──grammar──▶ hits (span + Expr) ──discourse──▶ anchors
//!                                                        ──resolve(dct)──▶ values
//! ```
//!
//! * [`tag`] does it all for one text and its publication date (DCT).
//! * Each [`Timex`] keeps what the text said ([`Expr`]) and what it is anchored to
//!   ([`Anchor`]), so [`resolve`] can recompute every value when the publication
//!   date is corrected, without the text.
//!
//! Invariants (checked by property tests in `tests/timex.rs`):
//! * never panics; spans are within the text, on character boundaries, in order and
//!   non-overlapping; output is a function of (text, dct) only (no clock).
//! * linear time: one tokenizing pass, then every rule looks ahead a bounded number
//!   of tokens from a token that can start an expression. Worst cases tested
//!   (`pathological_inputs_finish`, about 2 MB each): `1950-53-` repeated, "May May
//!   May", a run of digits, "last last the the of", a run of hyphens, "a few a couple
//!   of", multi-byte text, "10 May 2002, " repeated, "the next day" paragraphs,
//!   "April 24 and 25 and", "In March and April 1998,", "Friday night at 2 a.m.",
//!   "the quarter ended Sept. 30,", "set Friday effective Monday until", "Q1 FY13
//!   year-long-long is on", "could not be could be neither nor be", "said that in
//!   March may have is set for", "eight and a half years or so from now hence".

mod discourse;
mod expr;
mod grammar;
pub(crate) mod lexicon;
mod resolve;
mod scan;
mod value;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::date::{EventDate, Precision};

pub use expr::{Expr, Holiday, Lean, RefKind, YearSpec};
pub use lexicon::{DayPart, Season, Unit};

/// TIMEX3 type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "UPPERCASE")]
#[ts(export)]
pub enum TimexType {
    Date,
    Time,
    Duration,
    Set,
}

impl TimexType {
    /// `DATE`, `TIME`, `DURATION`, `SET`.
    pub fn as_str(self) -> &'static str {
        match self {
            TimexType::Date => "DATE",
            TimexType::Time => "TIME",
            TimexType::Duration => "DURATION",
            TimexType::Set => "SET",
        }
    }
}

/// TIMEX3 `mod`: "early May", "the end of 1990", "more than two years".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[ts(export)]
pub enum Modifier {
    Early,
    Mid,
    Late,
    Start,
    End,
    Approx,
    MoreThan,
    LessThan,
    EqualOrMore,
    EqualOrLess,
}

/// What a relative expression was resolved against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[ts(export)]
pub enum Anchor {
    /// Stands on its own: "May 10, 2002", "three years", "now".
    Absolute,
    /// The publication date: "Wednesday", "last year".
    Dct,
    /// An earlier expression of the same text (its index in the list): "the next day".
    Previous { index: usize },
}

/// One date or time expression found in a text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Timex {
    /// Offsets in Unicode characters of the text as given, end exclusive.
    pub start: usize,
    pub end: usize,
    pub text: String,
    #[serde(rename = "type")]
    pub kind: TimexType,
    /// TIMEX3 value: `2002-05-08`, `2002-W19`, `2002-Q2`, `199`, `PRESENT_REF`, `P3Y`,
    /// `XXXX-WXX-2`; `X`s where the anchor is unknown.
    pub value: String,
    pub modifier: Option<Modifier>,
    pub anchor: Anchor,
    /// What the text says, for re-resolution.
    pub expr: Expr,
    /// The calendar interval the value covers ("2002-Q2" is 2002-04/2002-06); for the
    /// ends of a range ("1950-53", "from May to July") the whole range.
    pub date: Option<EventDate>,
    pub precision: Option<Precision>,
    /// The other end of "from X to Y" / "between X and Y".
    pub range_with: Option<usize>,
}

/// Finds and resolves every date and time expression of `text`, whose publication
/// date is `dct` (None: relative expressions keep `X`s, as in `XXXX-WXX-3`).
pub fn tag(text: &str, dct: Option<NaiveDate>) -> Vec<Timex> {
    let toks = scan::tokenize(text);
    let mut hits = grammar::find(text, &toks);
    let (anchors, partners) = discourse::link(&toks, &mut hits);
    let mut bytes = Vec::with_capacity(hits.len() * 2);
    for h in &hits {
        let start = toks.get(h.first).map_or(0, |t| t.start);
        let end = h
            .last
            .checked_sub(1)
            .and_then(|l| toks.get(l))
            .map_or(start, |t| t.end);
        bytes.push(start);
        bytes.push(end.max(start));
    }
    let chars = scan::char_offsets(text, &bytes);
    let mut timexes: Vec<Timex> = hits
        .into_iter()
        .zip(anchors)
        .zip(partners)
        .enumerate()
        .map(|(i, ((h, anchor), range_with))| {
            let (bs, be) = (bytes[2 * i], bytes[2 * i + 1]);
            Timex {
                start: chars[2 * i],
                end: chars[2 * i + 1],
                text: text.get(bs..be).unwrap_or("").to_string(),
                kind: h.kind,
                value: String::new(),
                modifier: h.modifier,
                anchor,
                expr: h.expr,
                date: None,
                precision: None,
                range_with,
            }
        })
        .collect();
    resolve(&mut timexes, dct);
    timexes
}

/// Recomputes `value`, `date` and `precision` of every expression against a
/// (possibly corrected) publication date, in order, so that an expression anchored
/// to an earlier one sees that one's new value. Spans, text and anchors stay.
pub fn resolve(timexes: &mut [Timex], dct: Option<NaiveDate>) {
    let mut points = Vec::with_capacity(timexes.len());
    for t in timexes.iter_mut() {
        let anchor = match t.anchor {
            Anchor::Absolute => None,
            Anchor::Dct => dct.map(value::Point::Day),
            Anchor::Previous { index } => points.get(index).copied().flatten(),
        };
        let r = resolve::resolve(&t.expr, anchor);
        let approximate = t.modifier == Some(Modifier::Approx);
        let date = match &r {
            resolve::Resolved::Point(p) => p.interval(),
            resolve::Resolved::Range(b, e) => span(b.interval(), e.interval()),
            resolve::Resolved::Text(_) => None,
        };
        t.value = r.value();
        t.date = date.map(|d| EventDate { approximate, ..d });
        points.push(r.point());
    }
    // The two ends of "from May to July" each carry the whole range.
    for i in 0..timexes.len() {
        let Some(j) = timexes[i]
            .range_with
            .filter(|&j| j > i && j < timexes.len())
        else {
            continue;
        };
        if let Some(whole) = span(timexes[i].date, timexes[j].date) {
            timexes[i].date = Some(whole);
            timexes[j].date = Some(whole);
        }
    }
    for t in timexes.iter_mut() {
        t.precision = t.date.map(|d| d.precision());
    }
}

/// From the start of `a` to the end of `b`, if `b` ends after `a` starts.
fn span(a: Option<EventDate>, b: Option<EventDate>) -> Option<EventDate> {
    let (a, b) = (a?, b?);
    let end = b.end.unwrap_or(b.start);
    EventDate::new(a.start, Some(end), a.approximate || b.approximate)
        .ok()
        .or(Some(a))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dct(s: &str) -> Option<NaiveDate> {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
    }

    fn values(text: &str, d: &str) -> Vec<(String, String)> {
        tag(text, dct(d))
            .into_iter()
            .map(|t| (t.text, t.value))
            .collect()
    }

    #[test]
    fn the_next_day_counts_from_the_previous_date() {
        let v = values(
            "Police entered on Wednesday. Two men climbed the wall the next day.",
            "2002-05-10",
        );
        assert_eq!(
            v,
            [
                ("Wednesday".into(), "2002-05-08".into()),
                ("the next day".into(), "2002-05-09".into())
            ]
        );
    }

    #[test]
    fn a_following_month_counts_from_the_previous_paragraph() {
        let v = values(
            "In March, the company received an offer.\n\nThe following month, it put itself up for sale.",
            "1989-10-27",
        );
        assert_eq!(v[1], ("The following month".into(), "1989-04".into()));
        // A day in a new paragraph still counts from the story's own day.
        let v = values(
            "Police entered on Wednesday. In March they had been warned.\n\nThe next day, two men climbed the wall.",
            "2002-05-10",
        );
        assert_eq!(v[2], ("The next day".into(), "2002-05-09".into()));
    }

    #[test]
    fn correcting_the_dct_re_resolves_relative_values_only() {
        let mut t = tag(
            "Wednesday's incident; the 1961 convention.",
            dct("2008-07-07"),
        );
        assert_eq!(t[0].value, "2008-07-02");
        resolve(&mut t, dct("2002-05-10"));
        assert_eq!(t[0].value, "2002-05-08");
        assert_eq!(t[1].value, "1961");
        assert_eq!(t[1].anchor, Anchor::Absolute);
    }

    #[test]
    fn ranges_carry_both_ends() {
        let t = tag("since the 1950-53 Korean War", None);
        assert_eq!(t[0].text, "1950-53");
        assert_eq!(t[0].value, "1950");
        assert_eq!(
            t[0].date.map(|d| d.to_string()).as_deref(),
            Some("1950/1953")
        );
        let t = tag("from May to July 2002", dct("2002-05-10"));
        assert_eq!(t.len(), 2);
        assert_eq!(t[0].range_with, Some(1));
        assert_eq!(
            t[0].date.map(|d| d.to_string()).as_deref(),
            Some("2002-05/2002-07")
        );
    }

    #[test]
    fn a_plan_told_in_the_past_looks_back_a_plan_told_in_the_present_ahead() {
        // Wednesday 30 September 1998.
        for (text, value) in [
            (
                "On Friday, the government planned to pay the claims.",
                "1998-09-25",
            ),
            ("The service was scheduled for Friday.", "1998-09-25"),
            (
                "The minister is expected to arrive on Friday.",
                "1998-10-02",
            ),
            ("Talks are scheduled to resume Friday.", "1998-10-02"),
        ] {
            assert_eq!(values(text, "1998-09-30")[0].1, value, "{text}");
        }
    }

    #[test]
    fn hopes_and_plans_as_nouns_give_no_tense() {
        // Monday 2 March 1987: the briefing was the Friday before.
        for text in [
            "Officials expressed high hopes for both computers at a briefing on Friday.",
            "Officials outlined plans for a new plant at a briefing on Friday.",
        ] {
            assert_eq!(values(text, "1987-03-02")[0].1, "1987-02-27", "{text}");
        }
        assert_eq!(
            values(
                "The company hopes to close the sale on Friday.",
                "1987-03-02"
            )[0]
            .1,
            "1987-03-06"
        );
    }

    #[test]
    fn offsets_are_in_characters() {
        let t = tag("Ünïcödé — on Friday", dct("2002-05-10"));
        assert_eq!((t[0].start, t[0].end), (13, 19));
    }
}
