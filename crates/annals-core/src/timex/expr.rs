//! What a date expression says, before it is resolved: "Wednesday, past tense",
//! "March 25 of the year before", "one day after the previous date". Stored with each
//! [`Timex`](super::Timex) so that a corrected publication date re-resolves it
//! ([`resolve`](super::resolve)) without reading the text again.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::lexicon::{DayPart, Season, Unit};

/// Which way to look for a date whose year (or week) the text leaves out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum Lean {
    /// Nothing in the sentence says: a month is taken in the anchor's year, a weekday
    /// as the most recent one (news reports the past).
    Unknown,
    /// Past tense: on or before the anchor.
    Past,
    /// Future tense: on or after the anchor.
    Future,
    /// "last March 25", "last Friday": strictly before the anchor.
    Before,
    /// "next May", "this coming Sunday": strictly after the anchor.
    After,
}

/// The year of a calendar expression.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "lowercase")]
#[ts(export)]
pub enum YearSpec {
    /// Written out: "May 2002", "1961".
    Stated { year: i32 },
    /// Relative to the anchor's year: "June last year" is -1, "this September" 0.
    Relative { years: i32 },
    /// Left out: "March 25", "last January".
    Implied { lean: Lean },
}

/// Temporal reference words without a calendar value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[ts(export)]
pub enum RefKind {
    #[serde(rename = "PRESENT_REF")]
    Present,
    #[serde(rename = "PAST_REF")]
    Past,
    #[serde(rename = "FUTURE_REF")]
    Future,
}

impl RefKind {
    pub(crate) fn value(self) -> &'static str {
        match self {
            RefKind::Present => "PRESENT_REF",
            RefKind::Past => "PAST_REF",
            RefKind::Future => "FUTURE_REF",
        }
    }
}

/// Named days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Holiday {
    NewYearsDay,
    NewYearsEve,
    ChristmasEve,
    Christmas,
    IndependenceDay,
    /// US: fourth Thursday of November.
    Thanksgiving,
    /// US: the Tuesday after the first Monday of November.
    ElectionDay,
    Easter,
}

/// The understanding of one expression.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[ts(export)]
pub enum Expr {
    /// A calendar date given in part or whole: "May 10, 2002", "March 25",
    /// "May 2002", "1961", "last January".
    Calendar {
        year: YearSpec,
        month: Option<u32>,
        day: Option<u32>,
    },
    /// "Wednesday", "last Friday", "the previous Friday". Monday = 1.
    Weekday {
        weekday: u32,
        lean: Lean,
    },
    /// A period `amount` units from the anchor, at the unit's granularity:
    /// "yesterday" (day -1), "last week" (week -1), "this year" (year 0), "two years
    /// ago" (year -2), "the next day" (day +1 from the previous date).
    /// With `keep_grain` the anchor's own granularity is kept: "a year earlier"
    /// after "the third quarter" is the third quarter of the year before.
    Shift {
        unit: Unit,
        amount: i32,
        keep_grain: bool,
    },
    /// The n-th quarter or half of a year: "the second quarter", "2002-Q2".
    YearPart {
        unit: Unit,
        index: u32,
        year: YearSpec,
    },
    /// The reported quarter: "the quarter", "the latest quarter" (the quarter that
    /// ended most recently before the anchor, or the current one early in it).
    LatestQuarter {
        year: YearSpec,
    },
    Season {
        season: Season,
        year: YearSpec,
    },
    /// "the weekend", "this weekend": the most recent one for a past reading,
    /// the coming one for a future reading.
    Weekend {
        lean: Lean,
    },
    /// A decade by its first three digits (199 for the 1990s), written `199` when
    /// `bare`, otherwise `199X`.
    Decade {
        decade: i32,
        bare: bool,
    },
    /// A century by its first two digits (19 for the 20th century).
    Century {
        century: i32,
    },
    Holiday {
        holiday: Holiday,
        year: YearSpec,
    },
    Ref {
        which: RefKind,
    },
    /// "three years", "a month", "several days" (`amount` None: `PXD`).
    Duration {
        unit: Unit,
        amount: Option<u32>,
    },
    /// A recurring time, already in TIMEX3 form (`XXXX-WXX-2`, `P1Y`).
    Set {
        pattern: String,
    },
    /// A time of day on a date: "8:11 PM EDT", "Friday morning", "tonight".
    /// Without a date it falls on the anchor's day.
    Time {
        date: Option<Box<Expr>>,
        hour: Option<u32>,
        minute: Option<u32>,
        part: Option<DayPart>,
    },
    /// "1950-53": one expression covering both ends.
    Range {
        begin: Box<Expr>,
        end: Box<Expr>,
    },
}
