//! The grammar: which token sequences are date and time expressions, and what each
//! says ([`Expr`]). It runs over the tokens once, left to right; only a token that
//! can start an expression (a month, weekday, number, or one of a few dozen words)
//! is looked at further, and every rule looks ahead a bounded number of tokens, so
//! the whole pass is linear in the length of the text.
//!
//! This file holds the pass (`find`), the token accessors and the dispatch on the
//! first token (`Grammar::core`); the rules live beside it, one kind of expression
//! a file: `calendar` (months, weekdays, holidays), `clock` (times of day),
//! `numbers` (years, numeric dates, counts, durations, "ago"), `periods` (quarters,
//! fiscal years, seasons, year-end), `relative` ("the next day", "last week",
//! "yesterday", "every Tuesday") and `tense` (which way a date without its year
//! leans).

use super::expr::{Expr, Holiday, Lean, RefKind, YearSpec};
use super::lexicon::{DayPart, Kw, Lex, Season, Unit};
use super::scan::{Gap, Tok};
use super::{Modifier, TimexType};

mod calendar;
mod clock;
mod numbers;
mod periods;
mod relative;
mod tense;

/// How a hit finds the date it is relative to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AnchorRule {
    /// Needs nothing: "May 10, 2002", "three years".
    Absolute,
    /// The publication date: "yesterday", "last week".
    Dct,
    /// The previous date in the discourse: "the next day", "two days later".
    Previous,
    /// "a year ago", "year-earlier": the period before a quarter just mentioned, or
    /// else the year before the publication date.
    QuarterContext,
    /// "10:35 a.m.": on the day the text is talking about (the previous day-level
    /// date of the paragraph, else the story's day, else the publication date).
    PreviousDay,
}

/// One expression found: token range `[first, last)`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Hit {
    pub first: usize,
    pub last: usize,
    pub expr: Expr,
    pub kind: TimexType,
    pub anchor: AnchorRule,
    pub modifier: Option<Modifier>,
}

impl Hit {
    fn new(first: usize, last: usize, expr: Expr, anchor: AnchorRule) -> Hit {
        let kind = kind_of(&expr);
        Hit {
            first,
            last,
            expr,
            kind,
            anchor,
            modifier: None,
        }
    }
}

fn kind_of(expr: &Expr) -> TimexType {
    match expr {
        Expr::Duration { .. } => TimexType::Duration,
        Expr::Set { .. } => TimexType::Set,
        Expr::Time { .. } => TimexType::Time,
        _ => TimexType::Date,
    }
}

/// The anchor an expression needs by its nature.
fn natural_anchor(expr: &Expr) -> AnchorRule {
    match expr {
        Expr::Calendar {
            year: YearSpec::Stated { .. },
            ..
        }
        | Expr::Decade { .. }
        | Expr::Century { .. }
        | Expr::Ref { .. }
        | Expr::Duration { .. }
        | Expr::Set { .. } => AnchorRule::Absolute,
        Expr::YearPart {
            year: YearSpec::Stated { .. },
            ..
        }
        | Expr::Season {
            year: YearSpec::Stated { .. },
            ..
        }
        | Expr::Holiday {
            year: YearSpec::Stated { .. },
            ..
        } => AnchorRule::Absolute,
        Expr::Range { begin, .. } => natural_anchor(begin),
        Expr::Time { date: Some(d), .. } => natural_anchor(d),
        _ => AnchorRule::Dct,
    }
}

pub(crate) struct Grammar<'a> {
    text: &'a str,
    toks: &'a [Tok],
}

/// Finds every expression in the tokens, left to right, longest first at each start.
pub(crate) fn find(text: &str, toks: &[Tok]) -> Vec<Hit> {
    let g = Grammar { text, toks };
    let mut hits = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        if can_start(toks[i].lex) {
            if let Some(mut h) = g.parse(i) {
                // "the next year or so", "the next two years or so".
                if g.kw(h.last, Kw::Or) && g.is_word(h.last + 1, "so") {
                    h.last += 2;
                }
                if h.last > i {
                    i = h.last;
                    let second = g.second_day(&h);
                    hits.push(h);
                    // "April 24 and 25": the second day is a date of its own.
                    if let Some(second) = second {
                        i = second.last;
                        hits.push(second);
                    }
                    continue;
                }
            }
        }
        i += 1;
    }
    hits
}

fn can_start(lex: Lex) -> bool {
    match lex {
        Lex::Other | Lex::Future | Lex::PastTense | Lex::OrdSuffix => false,
        Lex::DayPart(_) => true,
        Lex::Punct(c) => c == b'\'',
        // Units too: "year-end", "year-long", "decades-long".
        _ => true,
    }
}

const IMPLIED: YearSpec = YearSpec::Implied {
    lean: Lean::Unknown,
};

const SENTENCE_END: [u8; 4] = [b'.', b'!', b'?', b';'];

impl<'a> Grammar<'a> {
    fn at(&self, i: usize) -> Lex {
        self.toks.get(i).map_or(Lex::Punct(0), |t| t.lex)
    }

    fn kw(&self, i: usize, k: Kw) -> bool {
        self.at(i) == Lex::Kw(k)
    }

    fn punct(&self, i: usize, c: u8) -> bool {
        self.at(i) == Lex::Punct(c)
    }

    /// Token `i` follows the one before it with no space.
    fn attached(&self, i: usize) -> bool {
        self.toks.get(i).is_some_and(|t| t.gap == Gap::None)
    }

    fn cap(&self, i: usize) -> bool {
        self.toks.get(i).is_some_and(|t| t.cap)
    }

    fn word(&self, i: usize) -> &'a str {
        self.toks
            .get(i)
            .and_then(|t| self.text.get(t.start..t.end))
            .unwrap_or("")
    }

    fn is_word(&self, i: usize, w: &str) -> bool {
        self.word(i).eq_ignore_ascii_case(w)
    }

    /// Skips an attached hyphen: "mid-1990s", "two-year".
    fn hyphen(&self, i: usize) -> usize {
        if self.punct(i, b'-') && self.attached(i) && self.attached(i + 1) {
            i + 1
        } else {
            i
        }
    }

    /// Token `i` in lower case, if it is an ASCII word of at most 8 letters (else
    /// empty).
    fn lower<'b>(&self, i: usize, buf: &'b mut [u8; 8]) -> &'b [u8] {
        let w = self.word(i).as_bytes();
        if w.len() > buf.len() {
            return &[];
        }
        for (d, s) in buf.iter_mut().zip(w) {
            *d = s.to_ascii_lowercase();
        }
        &buf[..w.len()]
    }

    fn parse(&self, i: usize) -> Option<Hit> {
        let (j, modifier) = self.modifier(i);
        if j > i {
            if let Some(mut h) = self.core(j) {
                // "about five hours", "over three years": the modifier is kept, but
                // the span is the expression's own, as TimeBank and AQUAINT mark it.
                if !matches!(self.at(i), Lex::Kw(Kw::About | Kw::Over)) {
                    h.first = i;
                }
                // "the late 1970s" is written like "the 1970s".
                if let (true, Expr::Decade { bare, .. }) = (self.kw(i, Kw::The), &mut h.expr) {
                    *bare = true;
                }
                if modifier.is_some() {
                    h.modifier = modifier;
                }
                // "up to the year 2000" says until when, not how much.
                if self.kw(i, Kw::Up) && h.kind != TimexType::Duration {
                    h.first = j;
                    h.modifier = None;
                }
                return Some(h);
            }
        }
        self.core(i)
    }

    /// A modifier before an expression: "early", "mid-", "the end of", "more than".
    fn modifier(&self, i: usize) -> (usize, Option<Modifier>) {
        use Kw::*;
        let next = |k: usize| self.hyphen(k);
        match self.at(i) {
            Lex::Kw(The) if matches!(self.at(i + 1), Lex::Kw(Early | Late | Mid)) => {
                let (j, m) = self.modifier(i + 1);
                (j, m)
            }
            Lex::Kw(Early) => (next(i + 1), Some(Modifier::Early)),
            Lex::Kw(Late) => (next(i + 1), Some(Modifier::Late)),
            Lex::Kw(Mid) => (next(i + 1), Some(Modifier::Mid)),
            Lex::Kw(Earlier) | Lex::Kw(Later)
                if matches!(
                    self.at(i + 1),
                    Lex::Kw(This | That | Yesterday | Today | Tomorrow) | Lex::Weekday(..)
                ) =>
            {
                (i + 1, None)
            }
            Lex::Kw(Earlier) | Lex::Kw(Later)
                if self.kw(i + 1, In)
                    && self.kw(i + 2, The)
                    && matches!(
                        self.at(i + 3),
                        Lex::Unit(Unit::Year | Unit::Month | Unit::Week, false)
                    ) =>
            {
                (i + 2, None)
            }
            Lex::Kw(The) => {
                let m = match self.at(i + 1) {
                    Lex::Kw(End) => Modifier::End,
                    Lex::Kw(Beginning | Start) => Modifier::Start,
                    Lex::Kw(Middle) => Modifier::Mid,
                    _ => return (i, None),
                };
                if self.kw(i + 2, Of) {
                    (i + 3, Some(m))
                } else {
                    (i, None)
                }
            }
            // "by end of year", "at start of 2003": the same without "the", after a
            // preposition.
            Lex::Kw(End | Beginning | Start | Middle) if self.edge_of(i) => {
                let m = match self.at(i) {
                    Lex::Kw(End) => Modifier::End,
                    Lex::Kw(Middle) => Modifier::Mid,
                    _ => Modifier::Start,
                };
                (i + 2, Some(m))
            }
            // "end-March", "end-1987", "end-year": wire copy's "the end of".
            Lex::Kw(End) if self.hyphen(i + 1) > i + 1 => (i + 2, Some(Modifier::End)),
            Lex::Kw(More) if self.kw(i + 1, Than) => (i + 2, Some(Modifier::MoreThan)),
            Lex::Kw(Less) if self.kw(i + 1, Than) => (i + 2, Some(Modifier::LessThan)),
            Lex::Kw(At) if self.kw(i + 1, Least) => (i + 2, Some(Modifier::EqualOrMore)),
            Lex::Kw(Up) if self.kw(i + 1, To) => (i + 2, Some(Modifier::EqualOrLess)),
            Lex::Kw(Nearly | Almost) => (i + 1, Some(Modifier::LessThan)),
            Lex::Kw(Over) if !self.kw(i + 1, The) => (i + 1, Some(Modifier::MoreThan)),
            Lex::Kw(About | Around) => (i + 1, Some(Modifier::Approx)),
            _ => (i, None),
        }
    }

    /// "last year", "this year", "next year" at `i`: years from the anchor's, and
    /// where it ends. Said of a month, a season or a part of a year: "June last
    /// year", "the summer of this year", "the first half of next year".
    fn relative_year(&self, i: usize) -> Option<(i32, usize)> {
        if self.at(i + 1) != Lex::Unit(Unit::Year, false) {
            return None;
        }
        match self.at(i) {
            Lex::Kw(Kw::Last) => Some((-1, i + 2)),
            Lex::Kw(Kw::This) => Some((0, i + 2)),
            Lex::Kw(Kw::Next) => Some((1, i + 2)),
            _ => None,
        }
    }

    /// "end of", "beginning of", "start of", "middle of" at `i`, after a preposition
    /// that makes it a point in time: "by end of", "at start of".
    fn edge_of(&self, i: usize) -> bool {
        use Kw::*;
        matches!(self.at(i), Lex::Kw(End | Beginning | Start | Middle))
            && self.kw(i + 1, Of)
            && i > 0
            && (matches!(
                self.at(i - 1),
                Lex::Kw(By | At | Before | Until | To | From | Since | After | Through)
            ) || ["toward", "towards", "near"]
                .iter()
                .any(|w| self.is_word(i - 1, w)))
    }

    fn core(&self, j: usize) -> Option<Hit> {
        use Kw::*;
        match self.at(j) {
            Lex::Kw(The) => self.the(j),
            Lex::Month(m, abbr) => self.month_date(j, m, abbr, None),
            Lex::Weekday(w, plural) => self.weekday(j, w, plural, None),
            Lex::Num(v, n) => self.number(j, v, n),
            Lex::NumWord(_) => match self.spelled_year(j) {
                Some((year, e)) => Some(Hit::new(j, e, stated_year(year), AnchorRule::Absolute)),
                None => self.counted(j, j),
            },
            Lex::Kw(A | Several | Few | SomeWord | Couple) => self.counted(j, j),
            Lex::Kw(That) => match self.at(j + 1) {
                Lex::Unit(
                    unit @ (Unit::Day | Unit::Week | Unit::Month | Unit::Quarter | Unit::Year),
                    false,
                ) => {
                    let expr = Expr::Shift {
                        unit,
                        amount: 0,
                        keep_grain: false,
                    };
                    Some(Hit::new(j, j + 2, expr, AnchorRule::Previous))
                }
                _ => None,
            },
            Lex::Ordinal(o) => self.ordinal(j, j, o),
            Lex::Season(s) if self.cap(j) || j == 0 || !self.cap(j) => self.season(j, j, s, None),
            Lex::Decades(d) => Some(Hit::new(
                j,
                j + 1,
                Expr::Decade {
                    decade: 190 + decade_digit(d),
                    bare: false,
                },
                AnchorRule::Absolute,
            )),
            // "a year-long effort", "the day-long meeting", "decades-long".
            Lex::Unit(unit, plural)
                if self.hyphen(j + 1) > j + 1 && self.is_word(j + 2, "long") =>
            {
                let amount = (!plural).then_some(1);
                let expr = Expr::Duration { unit, amount };
                Some(Hit::new(j, j + 3, expr, AnchorRule::Absolute))
            }
            // "by end of year", "at the end of month", "end-year", "mid-year": the
            // current one (not "the end of year five").
            Lex::Unit(unit @ (Unit::Year | Unit::Quarter | Unit::Month | Unit::Week), false)
                if j >= 2
                    && ((self.kw(j - 1, Of)
                        && matches!(
                            self.at(j - 2),
                            Lex::Kw(End | Beginning | Start | Middle)
                        )
                        && (self.edge_of(j - 2) || (j >= 3 && self.kw(j - 3, The))))
                        || (matches!(self.at(j - 2), Lex::Kw(End | Mid))
                            && self.hyphen(j - 1) == j))
                    && !matches!(self.at(j + 1), Lex::Num(..) | Lex::NumWord(_)) =>
            {
                // "had end-year assets of": as "year-end", last year's when past.
                let past = unit == Unit::Year
                    && self.punct(j - 1, b'-')
                    && self.kw(j - 2, End)
                    && self.tense(j - 2, j + 1) == Lean::Past;
                let expr = Expr::Shift {
                    unit,
                    amount: -i32::from(past),
                    keep_grain: false,
                };
                Some(Hit::new(j, j + 1, expr, AnchorRule::Dct))
            }
            Lex::Unit(Unit::Year, false) => self.year_compound(j, j),
            // "years from now", "decades hence": the future at large, as "years ago"
            // is the past.
            Lex::Unit(unit, true) if unit >= Unit::Week => match self.at(j + 1) {
                Lex::Kw(Kw::From) if self.kw(j + 2, Kw::Now) => {
                    self.reference(j, j + 3, RefKind::Future)
                }
                _ if self.is_word(j + 1, "hence") => self.reference(j, j + 2, RefKind::Future),
                _ => None,
            },
            Lex::Punct(b'\'') => self.apostrophe_decade(j, j, false),
            Lex::Kw(Last | Next | This | Past | Coming) => self.relative(j),
            Lex::Kw(Yesterday | Today | Tomorrow | Tonight) => self.deictic(j),
            Lex::Kw(Now) => self.reference(j, j + 1, RefKind::Present),
            Lex::Kw(Right) if self.kw(j + 1, Now) => self.reference(j, j + 2, RefKind::Present),
            Lex::Kw(Currently) => self.reference(j, j + 1, RefKind::Present),
            // "the current weakness", "his current position": the present; "the then
            // current price" a past one. Not "current account", nor the noun.
            Lex::Kw(Current)
                if matches!(self.at(j + 1), Lex::Other | Lex::PastTense)
                    && !self.word(j + 1).to_ascii_lowercase().starts_with("account") =>
            {
                let then = j > 0 && self.is_word(j - 1, "then");
                if then {
                    self.reference(j - 1, j + 1, RefKind::Past)
                } else {
                    self.reference(j, j + 1, RefKind::Present)
                }
            }
            Lex::Kw(Recently) => self.reference(j, j + 1, RefKind::Past),
            Lex::Kw(More) if self.kw(j + 1, Recently) => self.reference(j, j + 2, RefKind::Past),
            Lex::Kw(Recent) => match self.at(j + 1) {
                Lex::Unit(Unit::Year | Unit::Day, true) => self.reference(j, j + 2, RefKind::Past),
                Lex::Unit(unit, true) => Some(Hit::new(
                    j,
                    j + 2,
                    Expr::Duration { unit, amount: None },
                    AnchorRule::Absolute,
                )),
                _ => None,
            },
            Lex::Kw(These) if self.at(j + 1) == Lex::Unit(Unit::Day, true) => {
                self.reference(j, j + 2, RefKind::Present)
            }
            Lex::Kw(Every | Each) => self.every(j),
            Lex::Kw(Per) => match self.at(j + 1) {
                Lex::Unit(u, false) => Some(set(j, j + 2, unit_set(u))),
                _ => None,
            },
            Lex::Kw(Daily) => Some(set(j, j + 1, "P1D".into())),
            Lex::Kw(Weekly) => Some(set(j, j + 1, "P1W".into())),
            Lex::Kw(Monthly) => Some(set(j, j + 1, "P1M".into())),
            Lex::Kw(Yearly) => Some(set(j, j + 1, "P1Y".into())),
            Lex::Kw(Hourly) => Some(set(j, j + 1, "PT1H".into())),
            Lex::Kw(Fiscal) => self.fiscal(j, j),
            Lex::Kw(QuarterLetter) => self.quarter_shorthand(j),
            Lex::Kw(FiscalYear) => self.fiscal_shorthand(j),
            Lex::Kw(Christmas | Thanksgiving | Easter | New | Independence | Election) => {
                self.holiday(j)
            }
            Lex::Kw(Noon | Midnight) => self.time_of_day(j),
            // "mid-afternoon yesterday", "late morning Friday".
            Lex::DayPart(part) => {
                let (amount, weekday) = match self.at(j + 1) {
                    Lex::Kw(Yesterday) => (-1, None),
                    Lex::Kw(Today) => (0, None),
                    Lex::Kw(Tomorrow) => (1, None),
                    Lex::Weekday(w, false) if self.cap(j + 1) => (0, Some(w)),
                    _ => return None,
                };
                let date = match weekday {
                    Some(w) => Expr::Weekday {
                        weekday: u32::from(w),
                        lean: match self.tense(j, j + 2) {
                            Lean::Unknown => Lean::Past,
                            l => l,
                        },
                    },
                    None => Expr::Shift {
                        unit: Unit::Day,
                        amount,
                        keep_grain: false,
                    },
                };
                let expr = Expr::Time {
                    date: Some(Box::new(date)),
                    hour: None,
                    minute: None,
                    part: Some(part),
                };
                Some(Hit::new(j, j + 2, expr, AnchorRule::Dct))
            }
            _ => None,
        }
    }

    fn reference(&self, first: usize, last: usize, which: RefKind) -> Option<Hit> {
        Some(Hit::new(
            first,
            last,
            Expr::Ref { which },
            AnchorRule::Absolute,
        ))
    }
}

/// The year before, at the grain of the period in question ("a year earlier" after
/// "the third quarter" is that quarter a year before).
fn year_back() -> Expr {
    Expr::Shift {
        unit: Unit::Year,
        amount: -1,
        keep_grain: false,
    }
}

fn stated_year(year: i32) -> Expr {
    Expr::Calendar {
        year: YearSpec::Stated { year },
        month: None,
        day: None,
    }
}

fn decade_digit(d: u32) -> i32 {
    i32::try_from(d / 10).unwrap_or(0)
}

fn set(first: usize, last: usize, pattern: String) -> Hit {
    Hit::new(first, last, Expr::Set { pattern }, AnchorRule::Absolute)
}

fn unit_set(u: Unit) -> String {
    duration_value(u, Some(1))
}

/// `P3Y`, `PT2H`, `PXD`: decades and centuries are written in years, weekends in days.
pub(crate) fn duration_value(unit: Unit, amount: Option<u32>) -> String {
    let (n, unit) = match (unit, amount) {
        (Unit::Decade, Some(n)) => (Some(n.saturating_mul(10)), Unit::Year),
        (Unit::Century, Some(n)) => (Some(n.saturating_mul(100)), Unit::Year),
        (Unit::Decade | Unit::Century, None) => (None, Unit::Year),
        (Unit::Weekend, n) => (n.map(|n| n.saturating_mul(2)), Unit::Day),
        (Unit::Half, n) => (n.map(|n| n.saturating_mul(6)), Unit::Month),
        (u, n) => (n, u),
    };
    let (letter, time) = unit.letter();
    let n = n.map_or_else(|| "X".to_string(), |n| n.to_string());
    if time {
        format!("PT{n}{letter}")
    } else {
        format!("P{n}{letter}")
    }
}
