//! Expressions that start with a number or count: years ("1961", "nineteen
//! ninety-six", "1950-53"), numeric dates ("2002-05-10", "5/10/02", "10 May"),
//! durations ("three years", "a week"), "two days ago", "a year later", ordinals
//! ("the third quarter", "the 20th century") and decades ("'80s").

use super::{
    natural_anchor, set, stated_year, unit_set, AnchorRule, Expr, Grammar, Hit, Kw, Lex, Modifier,
    RefKind, TimexType, Unit, YearSpec,
};

impl<'a> Grammar<'a> {
    /// A year in words: "nineteen ninety-six", "nineteen seventy-nine" (and "the year
    /// two thousand", where "the year" says it is one). Returns the year and the end.
    pub(super) fn spelled_year(&self, i: usize) -> Option<(i32, usize)> {
        match (self.at(i), self.at(i + 1)) {
            (Lex::NumWord(h @ 11..=20), Lex::NumWord(t @ 10..=90)) => {
                let mut e = i + 2;
                let mut rest = t;
                let k = self.hyphen(e);
                if let Lex::NumWord(u @ 1..=9) = self.at(k) {
                    if t >= 20 && t.is_multiple_of(10) {
                        rest += u;
                        e = k + 1;
                    }
                }
                let year = i32::try_from(h * 100 + rest).ok()?;
                Some((year, e))
            }
            (Lex::Unit(Unit::Year, false), Lex::NumWord(2)) if self.kw(i + 2, Kw::Thousand) => {
                let mut e = i + 3;
                let mut year = 2000;
                let k = e + usize::from(self.kw(e, Kw::And));
                if let Lex::NumWord(u @ 1..=19) = self.at(k) {
                    year += u;
                    e = k + 1;
                }
                Some((i32::try_from(year).ok()?, e))
            }
            _ => None,
        }
    }

    /// The year after a day that ends at `*e` ("May 8, 2002", "Christmas 1998"),
    /// moving `*e` past it; else the year the tense around `j..*e` implies.
    pub(super) fn year_after(&self, j: usize, e: &mut usize) -> YearSpec {
        let comma = usize::from(self.punct(*e, b','));
        match self.year_at(*e + comma) {
            Some(y) => {
                *e += comma + 1;
                YearSpec::Stated { year: y }
            }
            None => YearSpec::Implied {
                lean: self.tense(j, *e),
            },
        }
    }

    /// A 4-digit year in 1000..=2099 at `i`, not part of a larger number.
    pub(super) fn year_at(&self, i: usize) -> Option<i32> {
        match self.at(i) {
            Lex::Num(v, 4)
                if (1000..=2099).contains(&v)
                    && !self.number_continues(i)
                    && !self.letters_follow(i) =>
            {
                i32::try_from(v).ok()
            }
            _ => None,
        }
    }

    /// Letters stick to the number at `i` ("1998a", "747s"), other than a plural "s".
    pub(super) fn letters_follow(&self, i: usize) -> bool {
        self.attached(i + 1)
            && matches!(
                self.at(i + 1),
                Lex::Other | Lex::Kw(_) | Lex::Unit(..) | Lex::Month(..)
            )
            && !self.is_word(i + 1, "s")
    }

    /// The number at `i` goes on as a decimal, a thousands group or a percentage.
    pub(super) fn number_continues(&self, i: usize) -> bool {
        let cont = (self.punct(i + 1, b'.') || self.punct(i + 1, b','))
            && self.attached(i + 1)
            && self.attached(i + 2)
            && matches!(self.at(i + 2), Lex::Num(..));
        let pct = self.punct(i + 1, b'%') && self.attached(i + 1);
        let before = i > 0
            && self.attached(i)
            && matches!(
                self.at(i - 1),
                Lex::Punct(b'$' | b'#' | b'.' | b',' | b'/' | b':')
            );
        cont || pct || before
    }

    /// Expressions starting with digits.
    pub(super) fn number(&self, j: usize, v: u32, digits: u8) -> Option<Hit> {
        if self.number_continues(j) && !self.punct(j + 1, b':') {
            // "3.5 years" is still a duration; let counted() decide on plain integers only.
            if !(self.punct(j + 1, b'.') && self.attached(j + 1)) {
                return None;
            }
            return None;
        }
        // A time: "8:11", "10 p.m."
        if let Some(h) = self.time_of_day(j) {
            return Some(h);
        }
        // ISO date: 2002-05-10
        if digits == 4 && self.punct(j + 1, b'-') && self.attached(j + 1) && self.attached(j + 2) {
            if let (Lex::Num(m, 2), Lex::Punct(b'-'), Lex::Num(d, 2)) =
                (self.at(j + 2), self.at(j + 3), self.at(j + 4))
            {
                if self.attached(j + 3)
                    && self.attached(j + 4)
                    && (1..=12).contains(&m)
                    && (1..=31).contains(&d)
                {
                    let expr = Expr::Calendar {
                        year: YearSpec::Stated {
                            year: i32::try_from(v).ok()?,
                        },
                        month: Some(m),
                        day: Some(d),
                    };
                    return Some(Hit::new(j, j + 5, expr, AnchorRule::Absolute));
                }
            }
        }
        // US numeric date: 5/10/02, 5/10/2002
        if digits <= 2 && (1..=12).contains(&v) && self.punct(j + 1, b'/') && self.attached(j + 1) {
            if let (Lex::Num(d, 1 | 2), Lex::Punct(b'/'), Lex::Num(y, yd)) =
                (self.at(j + 2), self.at(j + 3), self.at(j + 4))
            {
                let year = match yd {
                    2 if y < 50 => 2000 + y,
                    2 => 1900 + y,
                    4 => y,
                    _ => 0,
                };
                if year > 0
                    && (1..=31).contains(&d)
                    && self.attached(j + 2)
                    && self.attached(j + 3)
                    && self.attached(j + 4)
                    && !(self.punct(j + 5, b'/') && self.attached(j + 5))
                {
                    let expr = Expr::Calendar {
                        year: YearSpec::Stated {
                            year: i32::try_from(year).ok()?,
                        },
                        month: Some(v),
                        day: Some(d),
                    };
                    return Some(Hit::new(j, j + 5, expr, AnchorRule::Absolute));
                }
            }
        }
        // Day before month: "10 May 2002", "10th of May"
        if digits <= 2 && (1..=31).contains(&v) {
            let mut k = j + 1;
            if self.at(k) == Lex::OrdSuffix && self.attached(k) {
                k += 1;
            }
            if self.kw(k, Kw::Of) {
                k += 1;
            }
            if let Lex::Month(m, abbr) = self.at(k) {
                if self.cap(k)
                    && (!abbr
                        || self.punct(k + 1, b'.')
                        || self.year_at(k + 1).is_some()
                        || !self.attached(k + 1))
                {
                    let mut e = k + 1;
                    if abbr && self.punct(e, b'.') && self.attached(e) {
                        e += 1;
                    }
                    let year = self.year_after(j, &mut e);
                    let expr = Expr::Calendar {
                        year,
                        month: Some(u32::from(m)),
                        day: Some(v),
                    };
                    let anchor = natural_anchor(&expr);
                    return Some(Hit::new(j, e, expr, anchor));
                }
            }
            // "20th century"
            if self.at(j + 1) == Lex::OrdSuffix && self.attached(j + 1) {
                if let Lex::Unit(Unit::Century, false) = self.at(j + 2) {
                    let century = i32::try_from(v).ok()? - 1;
                    return Some(Hit::new(
                        j,
                        j + 3,
                        Expr::Century { century },
                        AnchorRule::Absolute,
                    ));
                }
            }
        }
        if let Some(year) = self.year_at(j) {
            // "1990s"
            if self.attached(j + 1) && self.is_word(j + 1, "s") {
                let expr = Expr::Decade {
                    decade: year / 10,
                    bare: false,
                };
                return Some(Hit::new(j, j + 2, expr, AnchorRule::Absolute));
            }
            // "1950-53", "1998-2001" (but not "1075-1100 lbs")
            if self.punct(j + 1, b'-')
                && self.attached(j + 1)
                && self.attached(j + 2)
                && (year >= 1900 || self.year_context(j))
            {
                let end = match self.at(j + 2) {
                    Lex::Num(e, 2) => Some(year - year % 100 + i32::try_from(e).ok()?),
                    Lex::Num(e, 4) => i32::try_from(e).ok(),
                    _ => None,
                };
                if let Some(end) = end.filter(|e| *e > year && *e - year < 100) {
                    if !(self.punct(j + 3, b'-') && self.attached(j + 3)) {
                        let expr = Expr::Range {
                            begin: Box::new(stated_year(year)),
                            end: Box::new(stated_year(end)),
                        };
                        return Some(Hit::new(j, j + 3, expr, AnchorRule::Absolute));
                    }
                }
            }
            // "1330 GMT", "1000 hours": a clock time, not a year.
            if matches!(self.at(j + 1), Lex::Kw(Kw::Zone))
                || ["hours", "hrs", "local"]
                    .iter()
                    .any(|w| self.is_word(j + 1, w))
            {
                return None;
            }
            // Not a year: "1990 shares" is too rare to matter, "the 1988 quarter" is handled by the().
            if year >= 1900 || self.year_context(j) {
                return Some(Hit::new(j, j + 1, stated_year(year), AnchorRule::Absolute));
            }
            return None;
        }
        self.counted(j, j)
    }

    /// A word before a number that makes it a year even outside 1900..2099.
    pub(super) fn year_context(&self, j: usize) -> bool {
        j > 0
            && matches!(
                self.at(j - 1),
                Lex::Kw(
                    Kw::In
                        | Kw::Since
                        | Kw::Until
                        | Kw::Of
                        | Kw::By
                        | Kw::From
                        | Kw::To
                        | Kw::Before
                        | Kw::After
                        | Kw::Between
                        | Kw::During
                ) | Lex::Month(..)
            )
    }

    /// A count followed by a unit: "three years", "two-year", "a week", "several
    /// days", "10 days ago", "two days later".
    pub(super) fn counted(&self, first: usize, j: usize) -> Option<Hit> {
        let (amount, mut k) = self.count(j)?;
        // "eight and a half years ago": counted in the unit below (`and_a_half`).
        let half = amount.is_some() && self.and_a_half(k);
        if half {
            k += 3;
        }
        // "15 or so years": about that many.
        let mut about = amount.is_some()
            && self.kw(k, Kw::Or)
            && self.is_word(k + 1, "so")
            && matches!(self.at(k + 2), Lex::Unit(..));
        if about {
            k += 2;
        }
        k = self.hyphen(k);
        let hyphenated = k > 0 && self.punct(k - 1, b'-');
        if self.kw(k, Kw::More) {
            k += 1;
        }
        let Lex::Unit(unit, plural) = self.at(k) else {
            return None;
        };
        // "60 Minutes" is a name.
        if self.cap(k) && matches!(self.at(j), Lex::Num(..)) {
            return None;
        }
        if (hyphenated && plural)
            || unit == Unit::Half
            || (unit == Unit::Quarter && self.kw(j, Kw::A))
        {
            return None;
        }
        k += 1;
        // "a year-on-year rise", "year-to-date sales": a comparison, not a duration.
        if self.punct(k, b'-')
            && self.attached(k)
            && (self.is_word(k + 1, "on") || self.is_word(k + 1, "to"))
        {
            return None;
        }
        // Ages are not durations here: "a 45-year-old", "45 years old".
        let after = self.hyphen(k);
        if self.kw(after, Kw::Old) || (self.kw(k, Kw::Old)) {
            return None;
        }
        // "a year-earlier quarter" reads as "a year earlier".
        if after > k && (self.kw(after, Kw::Ago) || self.kw(after, Kw::Earlier)) {
            k = after;
        }
        // "a year and a half ago": the half comes after the unit. Not for hours and
        // less, which date nothing finer than the day.
        if half && unit < Unit::Day {
            return None;
        }
        let half_after = !half && unit >= Unit::Day && amount.is_some() && self.and_a_half(k);
        let mut s = if half_after { k + 3 } else { k };
        // "a week or so ago", "eight years or so from now": as without "or so".
        if self.kw(s, Kw::Or)
            && self.is_word(s + 1, "so")
            && self
                .shift(s + 2)
                .is_some_and(|(w, _)| matches!(w, Shift::Ago | Shift::FromNow))
        {
            about = true;
            s += 2;
        }
        let a = self.kw(j, Kw::A);
        if let Some((way, e)) = self.shift(s) {
            let mut h = match amount {
                // "several years ago", "a few years from now": the past or the
                // future at large; "several years later" says nothing to count.
                None => match way {
                    Shift::Ago => self.reference(first, e, RefKind::Past)?,
                    Shift::FromNow => self.reference(first, e, RefKind::Future)?,
                    Shift::Earlier | Shift::Later => return None,
                },
                Some(amount) => {
                    let n = i32::try_from(amount).ok()?;
                    let (unit, n) = if half || half_after {
                        and_a_half(unit, n)
                    } else {
                        (unit, n)
                    };
                    let (n, anchor) = match way {
                        Shift::Ago => (-n, AnchorRule::Dct),
                        Shift::FromNow => (n, AnchorRule::Dct),
                        Shift::Earlier => (-n, AnchorRule::Previous),
                        Shift::Later => (n, AnchorRule::Previous),
                    };
                    // "a week from today" is a day, a week on.
                    let (unit, n) = match (way, unit) {
                        (Shift::FromNow, Unit::Week) => (Unit::Day, n.saturating_mul(7)),
                        (_, u) => (u, n),
                    };
                    let of_quarter = a && unit == Unit::Year && way != Shift::FromNow;
                    self.ago(first, e, unit, n, anchor, of_quarter)
                }
            };
            if about {
                h.modifier = Some(Modifier::Approx);
            }
            return Some(h);
        }
        if half {
            return None;
        }
        if a && j > 0 && matches!(self.at(j - 1), Lex::Kw(Kw::Twice | Kw::Once | Kw::Times)) {
            return Some(set(first, k, unit_set(unit)));
        }
        // "358,000 a month", "700 seats a week", "24 hours a day": a rate of things
        // counted, not a time.
        let counted_things = j > 1
            && matches!(self.at(j - 2), Lex::Num(..) | Lex::NumWord(_))
            && (matches!(self.at(j - 1), Lex::Unit(_, true))
                || (self.at(j - 1) == Lex::Other && self.word(j - 1).ends_with('s')));
        let money = j > 1
            && matches!(self.at(j - 1), Lex::Num(..))
            && matches!(self.at(j - 2), Lex::Punct(b'$' | b'#'));
        if a && money {
            return Some(set(first, k, unit_set(unit)));
        }
        if a && j > 0 && (matches!(self.at(j - 1), Lex::Num(..)) || counted_things) {
            return None;
        }
        if unit == Unit::Century && amount == Some(1) && a {
            return None;
        }
        let expr = Expr::Duration { unit, amount };
        let mut h = Hit::new(first, k, expr, AnchorRule::Absolute);
        if about {
            h.modifier = Some(Modifier::Approx);
        }
        Some(h)
    }

    /// "N units ago/earlier/later": a date at the unit's granularity (weeks count as
    /// days, decades as years).
    pub(super) fn ago(
        &self,
        first: usize,
        last: usize,
        unit: Unit,
        n: i32,
        anchor: AnchorRule,
        year_of_quarter: bool,
    ) -> Hit {
        let (unit, amount) = match unit {
            Unit::Decade => (Unit::Year, n.saturating_mul(10)),
            Unit::Century => (Unit::Year, n.saturating_mul(100)),
            Unit::Hour | Unit::Minute | Unit::Second => (Unit::Day, 0),
            u => (u, n),
        };
        let anchor = if year_of_quarter && n == -1 {
            AnchorRule::QuarterContext
        } else {
            anchor
        };
        Hit::new(
            first,
            last,
            Expr::Shift {
                unit,
                amount,
                keep_grain: false,
            },
            anchor,
        )
    }

    /// "and a half" at `k`.
    fn and_a_half(&self, k: usize) -> bool {
        self.kw(k, Kw::And)
            && self.kw(k + 1, Kw::A)
            && self.at(k + 2) == Lex::Unit(Unit::Half, false)
    }

    /// The word at `i` that makes a count of units a date, and where it ends: "ago",
    /// "from now", "from today", "hence", "earlier", "later".
    fn shift(&self, i: usize) -> Option<(Shift, usize)> {
        match self.at(i) {
            Lex::Kw(Kw::Ago) => Some((Shift::Ago, i + 1)),
            Lex::Kw(Kw::From) if matches!(self.at(i + 1), Lex::Kw(Kw::Now | Kw::Today)) => {
                Some((Shift::FromNow, i + 2))
            }
            Lex::Kw(Kw::Earlier) => Some((Shift::Earlier, i + 1)),
            Lex::Kw(Kw::Later) => Some((Shift::Later, i + 1)),
            _ if self.is_word(i, "hence") => Some((Shift::FromNow, i + 1)),
            _ => None,
        }
    }

    /// A count: digits, number words ("twenty four", "twenty-four"), "a", "a few",
    /// "several", "a couple of". None for an unstated count.
    pub(super) fn count(&self, j: usize) -> Option<(Option<u32>, usize)> {
        match self.at(j) {
            Lex::Num(v, d) if d <= 4 && !self.number_continues(j) => Some((Some(v), j + 1)),
            Lex::NumWord(t) => {
                let k = self.hyphen(j + 1);
                if let Lex::NumWord(u) = self.at(k) {
                    if let Some(v) = crate::timex::lexicon::join_tens(t, u) {
                        return Some((Some(v), k + 1));
                    }
                }
                if self.kw(j + 1, Kw::Hundred) {
                    return Some((Some(t * 100), j + 2));
                }
                Some((Some(t), j + 1))
            }
            Lex::Kw(Kw::A) => match self.at(j + 1) {
                Lex::Kw(Kw::Few) => Some((None, j + 2)),
                Lex::Kw(Kw::Couple) if self.kw(j + 2, Kw::Of) => Some((Some(2), j + 3)),
                Lex::NumWord(12) => Some((Some(12), j + 2)),
                Lex::Kw(Kw::Hundred) => Some((Some(100), j + 2)),
                _ => Some((Some(1), j + 1)),
            },
            Lex::Kw(Kw::Several | Kw::Few | Kw::SomeWord) => Some((None, j + 1)),
            Lex::Kw(Kw::Couple) if self.kw(j + 1, Kw::Of) => Some((Some(2), j + 2)),
            _ => None,
        }
    }

    /// "third-quarter", "the second half of 1990", "the first nine months".
    pub(super) fn ordinal(&self, first: usize, j: usize, o: u32) -> Option<Hit> {
        let k = self.hyphen(j + 1);
        match self.at(k) {
            Lex::Unit(unit @ (Unit::Quarter | Unit::Half), false) => {
                let max = if unit == Unit::Quarter { 4 } else { 2 };
                if !(1..=max).contains(&o) {
                    return None;
                }
                let mut e = k + 1;
                // "the second half of 1986", "the first quarter, 1987".
                let stated = if self.kw(e, Kw::Of) || self.punct(e, b',') {
                    self.year_at(e + 1)
                } else {
                    None
                };
                // "second-half 1986", "the first quarter 1987", "the first quarter of
                // fiscal 1987", "first-half fiscal 1987".
                let of = usize::from(self.kw(e, Kw::Of));
                let at = if self.kw(e + of, Kw::Fiscal) {
                    e + of + 1
                } else {
                    e
                };
                if stated.is_none() {
                    if let Some(y) = self.year_at(at) {
                        let expr = Expr::YearPart {
                            unit,
                            index: o,
                            year: YearSpec::Stated { year: y },
                        };
                        return Some(Hit::new(first, at + 1, expr, AnchorRule::Absolute));
                    }
                }
                // "the first half of this year", "the third quarter last year".
                let year = match (stated, self.relative_year(e + of)) {
                    (Some(y), _) => {
                        e += 2;
                        YearSpec::Stated { year: y }
                    }
                    (None, Some((years, end))) => {
                        e = end;
                        YearSpec::Relative { years }
                    }
                    (None, None) => YearSpec::Implied {
                        lean: self.tense(first, e),
                    },
                };
                let expr = Expr::YearPart {
                    unit,
                    index: o,
                    year,
                };
                let anchor = natural_anchor(&expr);
                Some(Hit::new(first, e, expr, anchor))
            }
            Lex::Unit(Unit::Century, false) if k == j + 1 => Some(Hit::new(
                first,
                k + 1,
                Expr::Century {
                    century: i32::try_from(o).ok()? - 1,
                },
                AnchorRule::Absolute,
            )),
            Lex::NumWord(_) | Lex::Num(..) | Lex::Kw(Kw::Few | Kw::Several) if o == 1 => {
                let mut h = self.counted(first, j + 1)?;
                if h.kind != TimexType::Duration {
                    return None;
                }
                h.first = first;
                Some(h)
            }
            _ => None,
        }
    }

    /// "'80s"
    pub(super) fn apostrophe_decade(&self, first: usize, j: usize, bare: bool) -> Option<Hit> {
        if let Lex::Num(d, 2) = self.at(j + 1) {
            if self.attached(j + 1)
                && self.attached(j + 2)
                && self.is_word(j + 2, "s")
                && d.is_multiple_of(10)
            {
                let decade = 190 + i32::try_from(d / 10).ok()?;
                return Some(Hit::new(
                    first,
                    j + 3,
                    Expr::Decade { decade, bare },
                    AnchorRule::Absolute,
                ));
            }
        }
        None
    }
}

/// Which way a count of units moves from its anchor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shift {
    /// "two years ago": back from the publication date.
    Ago,
    /// "two years from now", "two years hence": ahead of the publication date.
    FromNow,
    /// "two years earlier": back from the date before.
    Earlier,
    /// "two years later": ahead of the date before.
    Later,
}

/// `n` and a half units, in the unit below where it has a whole number of them:
/// "eight and a half years" is 102 months, "a week and a half" 10 days (of 10.5).
fn and_a_half(unit: Unit, n: i32) -> (Unit, i32) {
    let (below, per) = match unit {
        Unit::Century => (Unit::Year, 100),
        Unit::Decade => (Unit::Year, 10),
        Unit::Year => (Unit::Month, 12),
        Unit::Month => (Unit::Day, 30),
        Unit::Week => (Unit::Day, 7),
        u => return (u, n),
    };
    (below, n.saturating_mul(per).saturating_add(per / 2))
}
