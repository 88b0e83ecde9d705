//! Expressions that start with a number or count: years ("1961", "nineteen
//! ninety-six", "1950-53"), numeric dates ("2002-05-10", "5/10/02", "10 May"),
//! durations ("three years", "a week"), "two days ago", "a year later", ordinals
//! ("the third quarter", "the 20th century") and decades ("'80s").

use super::{
    natural_anchor, set, stated_year, unit_set, AnchorRule, Expr, Grammar, Hit, Kw, Lex, RefKind,
    TimexType, Unit, YearSpec,
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
                    let comma = usize::from(self.punct(e, b','));
                    let year = match self.year_at(e + comma) {
                        Some(y) => {
                            e += comma + 1;
                            YearSpec::Stated { year: y }
                        }
                        None => YearSpec::Implied {
                            lean: self.tense(j, e),
                        },
                    };
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
        // "a week or so ago": as "a week ago".
        if self.kw(k, Kw::Or) && self.is_word(k + 1, "so") && self.kw(k + 2, Kw::Ago) {
            k += 2;
        }
        // "a year from now", "a week from today": that far ahead of the publication date.
        if self.kw(k, Kw::From) && matches!(self.at(k + 1), Lex::Kw(Kw::Now | Kw::Today)) {
            let n = i32::try_from(amount?).ok()?;
            // "a week from today" is a day, a week on.
            let (unit, n) = match unit {
                Unit::Week => (Unit::Day, n.saturating_mul(7)),
                u => (u, n),
            };
            return Some(self.ago(first, k + 2, unit, n, AnchorRule::Dct, false));
        }
        let a = self.kw(j, Kw::A);
        if self.kw(k, Kw::Ago) {
            let Some(amount) = amount else {
                // "several years ago", "months ago"
                return self.reference(first, k + 1, RefKind::Past);
            };
            let n = i32::try_from(amount).ok()?;
            return Some(self.ago(
                first,
                k + 1,
                unit,
                -n,
                AnchorRule::Dct,
                a && unit == Unit::Year,
            ));
        }
        if self.kw(k, Kw::Earlier) || self.kw(k, Kw::Later) {
            let n = i32::try_from(amount?).ok()?;
            let n = if self.kw(k, Kw::Earlier) { -n } else { n };
            return Some(self.ago(
                first,
                k + 1,
                unit,
                n,
                AnchorRule::Previous,
                a && unit == Unit::Year,
            ));
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
        Some(Hit::new(first, k, expr, AnchorRule::Absolute))
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
                let stated = if self.kw(e, Kw::Of) || self.punct(e, b',') {
                    self.year_at(e + 1)
                } else {
                    None
                };
                let year = match stated {
                    Some(y) => {
                        e += 2;
                        YearSpec::Stated { year: y }
                    }
                    None => YearSpec::Implied {
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
