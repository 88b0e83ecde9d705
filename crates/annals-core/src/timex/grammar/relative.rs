//! Expressions counted from another date, and those that start with "the": "the
//! next day", "the past year", "the same quarter a year ago", "last week", "this
//! morning", "yesterday", "today's world" (the present), and the sets of "every".

use super::{
    decade_digit, duration_value, natural_anchor, set, stated_year, unit_set, year_back,
    AnchorRule, DayPart, Expr, Gap, Grammar, Hit, Kw, Lean, Lex, RefKind, TimexType, Unit,
    YearSpec, IMPLIED,
};

impl<'a> Grammar<'a> {
    /// Expressions that start with "the".
    pub(super) fn the(&self, j: usize) -> Option<Hit> {
        use Kw::*;
        let k = j + 1;
        match self.at(k) {
            Lex::Num(v, 4) => {
                if self.attached(k + 1) && self.is_word(k + 1, "s") {
                    let decade = i32::try_from(v / 10).ok()?;
                    return Some(Hit::new(
                        j,
                        k + 2,
                        Expr::Decade { decade, bare: true },
                        AnchorRule::Absolute,
                    ));
                }
                let year = self.year_at(k)?;
                // "the 1988 second quarter", "the 1988 period"
                match self.at(k + 1) {
                    Lex::Ordinal(o) if (1..=4).contains(&o) => {
                        let e = self.hyphen(k + 2);
                        if self.at(e) == Lex::Unit(Unit::Quarter, false) {
                            let expr = Expr::YearPart {
                                unit: Unit::Quarter,
                                index: o,
                                year: YearSpec::Stated { year },
                            };
                            return Some(Hit::new(j, e + 1, expr, AnchorRule::Absolute));
                        }
                        None
                    }
                    Lex::Kw(Period) | Lex::Unit(Unit::Quarter, false) => Some(Hit::new(
                        j,
                        k + 2,
                        Expr::LatestQuarter {
                            year: YearSpec::Stated { year },
                        },
                        AnchorRule::Dct,
                    )),
                    _ => None,
                }
            }
            Lex::Num(v, 1 | 2)
                if self.at(k + 1) == Lex::OrdSuffix
                    && self.at(k + 2) == Lex::Unit(Unit::Century, false) =>
            {
                let century = i32::try_from(v).ok()? - 1;
                Some(Hit::new(
                    j,
                    k + 3,
                    Expr::Century { century },
                    AnchorRule::Absolute,
                ))
            }
            Lex::Num(..) | Lex::NumWord(_) => {
                let mut h = self.counted(j, k)?;
                // "the 30-day deadline": the duration is the modifier, not "the".
                if h.last >= 2 && self.punct(h.last - 2, b'-') {
                    h.first = k;
                }
                (h.kind == TimexType::Duration).then_some(h)
            }
            Lex::Punct(b'\'') => self.apostrophe_decade(j, k, true),
            Lex::Decades(d) => Some(Hit::new(
                j,
                k + 1,
                Expr::Decade {
                    decade: 190 + decade_digit(d),
                    bare: true,
                },
                AnchorRule::Absolute,
            )),
            // "the third-quarter results": the hyphened part is the modifier.
            Lex::Ordinal(o) if self.punct(k + 1, b'-') && self.attached(k + 1) => {
                self.ordinal(k, k, o)
            }
            Lex::Ordinal(o) => self.ordinal(j, k, o),
            Lex::Kw(Fiscal) => self.fiscal(j, k),
            Lex::Kw(Latest) => match self.at(k + 1) {
                Lex::Unit(Unit::Quarter, false) | Lex::Kw(Period) => Some(Hit::new(
                    j,
                    k + 2,
                    Expr::LatestQuarter { year: IMPLIED },
                    AnchorRule::Dct,
                )),
                _ => {
                    let h = self.counted(j, k + 1)?;
                    (h.kind == TimexType::Duration).then_some(h)
                }
            },
            // "the quarter a year ago", "the period a year earlier": the reported
            // period, a year back.
            Lex::Unit(Unit::Quarter, false) | Lex::Kw(Period)
                if self.year_back(k + 1).is_some() =>
            {
                let e = self.year_back(k + 1)?;
                Some(Hit::new(j, e, year_back(), AnchorRule::QuarterContext))
            }
            Lex::Unit(Unit::Quarter, false) if self.quarter_ended(k + 1).is_some() => {
                let expr = self.quarter_ended(k + 1)?;
                let anchor = natural_anchor(&expr);
                Some(Hit::new(j, k + 1, expr, anchor))
            }
            Lex::Unit(Unit::Quarter, false) => Some(Hit::new(
                j,
                k + 1,
                Expr::LatestQuarter { year: IMPLIED },
                AnchorRule::Dct,
            )),
            // "the corresponding period last year", "the same quarter a year ago",
            // "the comparable period of 1988": the reported period, a year back.
            Lex::Kw(Same | Corresponding | Comparable)
                if matches!(
                    self.at(k + 1),
                    Lex::Unit(Unit::Quarter, false) | Lex::Kw(Period)
                ) && self.year_back(k + 2).is_some() =>
            {
                let e = self.year_back(k + 2)?;
                Some(Hit::new(j, e, year_back(), AnchorRule::QuarterContext))
            }
            Lex::Unit(Unit::Weekend, false) => {
                let lean = self.tense(j, k + 1);
                Some(Hit::new(j, k + 1, Expr::Weekend { lean }, AnchorRule::Dct))
            }
            // "the year 2000" (on one line): the year itself, as "the year two
            // thousand" below.
            Lex::Unit(Unit::Year, false)
                if self.year_at(k + 1).is_some()
                    && self.toks.get(k + 1).is_some_and(|t| t.gap == Gap::Space) =>
            {
                let year = self.year_at(k + 1)?;
                Some(Hit::new(j, k + 2, stated_year(year), AnchorRule::Absolute))
            }
            Lex::Unit(Unit::Year, false) if self.spelled_year(k).is_some() => {
                let (year, e) = self.spelled_year(k)?;
                Some(Hit::new(j, e, stated_year(year), AnchorRule::Absolute))
            }
            // "the end of the year", "the end of the decade": the current one.
            Lex::Unit(
                unit @ (Unit::Year | Unit::Month | Unit::Week | Unit::Decade | Unit::Century),
                false,
            ) if j > 2
                && self.kw(j - 1, Of)
                && matches!(self.at(j - 2), Lex::Kw(End | Beginning | Start | Middle)) =>
            {
                let expr = Expr::Shift {
                    unit,
                    amount: 0,
                    keep_grain: false,
                };
                Some(Hit::new(j, k + 1, expr, AnchorRule::Dct))
            }
            // "earlier in the week", "late in the month": the current one.
            Lex::Unit(unit @ (Unit::Month | Unit::Week), false)
                if j >= 2
                    && self.kw(j - 1, In)
                    && matches!(self.at(j - 2), Lex::Kw(Earlier | Later | Early | Late)) =>
            {
                let expr = Expr::Shift {
                    unit,
                    amount: 0,
                    keep_grain: false,
                };
                Some(Hit::new(j, k + 1, expr, AnchorRule::Dct))
            }
            // "for the year ended Sept. 30": a year's results; "for the year", "earlier
            // in the year", "the first nine months of the year": this year.
            Lex::Unit(Unit::Year, false)
                if j > 0
                    && matches!(self.at(j - 1), Lex::Kw(For | Of | In))
                    && !self.punct(k + 1, b'-') =>
            {
                let next = self.word(k + 1);
                if next.eq_ignore_ascii_case("ended") || next.eq_ignore_ascii_case("ending") {
                    let expr = Expr::Duration {
                        unit: Unit::Year,
                        amount: Some(1),
                    };
                    return Some(Hit::new(j, k + 1, expr, AnchorRule::Absolute));
                }
                // Not "the year before", "the year that ...", "the year 2000".
                let ends = match self.at(k + 1) {
                    Lex::Punct(_) => true,
                    Lex::Kw(w) => !matches!(
                        w,
                        Before | After | Since | That | Ago | Earlier | Later | End | The | A
                    ),
                    _ => false,
                };
                if !ends {
                    return self.year_compound(j, k);
                }
                let expr = Expr::Shift {
                    unit: Unit::Year,
                    amount: 0,
                    keep_grain: false,
                };
                Some(Hit::new(j, k + 1, expr, AnchorRule::Dct))
            }
            Lex::Unit(Unit::Year, false) => self.year_compound(j, k),
            // "he was mayor at the time.", "At the time, ...": then, a time already
            // told. Not "at the time of the vote", nor "at the time he left".
            Lex::Kw(Time)
                if j > 0
                    && self.kw(j - 1, At)
                    && (k + 1 >= self.toks.len()
                        || matches!(
                            self.at(k + 1),
                            Lex::Punct(b',' | b'.' | b';' | b':' | b')' | b'"' | b'!' | b'?')
                                | Lex::Kw(And | Or)
                        )
                        || self.is_word(k + 1, "but")) =>
            {
                self.reference(j, k + 1, RefKind::Past)
            }
            // "the day before yesterday", "the day after tomorrow".
            Lex::Unit(Unit::Day, false)
                if (self.kw(k + 1, Before) || self.kw(k + 1, After))
                    && matches!(self.at(k + 2), Lex::Kw(Yesterday | Today | Tomorrow)) =>
            {
                let base = match self.at(k + 2) {
                    Lex::Kw(Yesterday) => -1,
                    Lex::Kw(Tomorrow) => 1,
                    _ => 0,
                };
                let step = if self.kw(k + 1, Before) { -1 } else { 1 };
                let expr = Expr::Shift {
                    unit: Unit::Day,
                    amount: base + step,
                    keep_grain: false,
                };
                Some(Hit::new(j, k + 3, expr, AnchorRule::Dct))
            }
            // "the day before" alone; "the day before the vote" counts from the vote.
            Lex::Unit(Unit::Day, false)
                if (self.kw(k + 1, Before) || self.kw(k + 1, After))
                    && matches!(self.at(k + 2), Lex::Punct(_)) =>
            {
                let amount = if self.kw(k + 1, Before) { -1 } else { 1 };
                let expr = Expr::Shift {
                    unit: Unit::Day,
                    amount,
                    keep_grain: false,
                };
                Some(Hit::new(j, k + 2, expr, AnchorRule::Previous))
            }
            Lex::Kw(Past | Last | Coming | Next | Following | Previous | Prior) => {
                let dir = match self.at(k) {
                    Lex::Kw(Past | Last | Previous | Prior) => -1,
                    _ => 1,
                };
                let narrative = matches!(self.at(k), Lex::Kw(Next | Following | Previous | Prior));
                match self.at(k + 1) {
                    // "the last half of 1989"
                    Lex::Unit(unit @ (Unit::Half | Unit::Quarter), false)
                        if self.kw(k, Last) && self.kw(k + 2, Of) =>
                    {
                        let index = if unit == Unit::Half { 2 } else { 4 };
                        let (year, e) = match (self.year_at(k + 3), self.relative_year(k + 3)) {
                            (Some(year), _) => (YearSpec::Stated { year }, k + 4),
                            (None, Some((years, e))) => (YearSpec::Relative { years }, e),
                            (None, None) => (IMPLIED, k + 2),
                        };
                        let expr = Expr::YearPart { unit, index, year };
                        let anchor = natural_anchor(&expr);
                        Some(Hit::new(j, e, expr, anchor))
                    }
                    Lex::Unit(Unit::Century, false) => None,
                    // "the past fiscal year", "the next fiscal year": as "the past year".
                    Lex::Kw(Fiscal) if self.at(k + 2) == Lex::Unit(Unit::Year, false) => {
                        if !narrative
                            && j > 0
                            && matches!(self.at(j - 1), Lex::Kw(Over | For | Within))
                        {
                            let expr = Expr::Duration {
                                unit: Unit::Year,
                                amount: Some(1),
                            };
                            return Some(Hit::new(j, k + 3, expr, AnchorRule::Absolute));
                        }
                        let anchor = if narrative {
                            AnchorRule::Previous
                        } else {
                            AnchorRule::Dct
                        };
                        let expr = Expr::Shift {
                            unit: Unit::Year,
                            amount: dir,
                            keep_grain: false,
                        };
                        Some(Hit::new(j, k + 3, expr, anchor))
                    }
                    Lex::Unit(unit, false)
                        if !narrative
                            && j > 0
                            && matches!(self.at(j - 1), Lex::Kw(Over | For | Within))
                            && unit > Unit::Day =>
                    {
                        let expr = Expr::Duration {
                            unit,
                            amount: Some(1),
                        };
                        Some(Hit::new(j, k + 2, expr, AnchorRule::Absolute))
                    }
                    Lex::Unit(unit, false) => {
                        let anchor = if narrative {
                            AnchorRule::Previous
                        } else {
                            AnchorRule::Dct
                        };
                        let expr = Expr::Shift {
                            unit,
                            amount: dir,
                            keep_grain: false,
                        };
                        Some(Hit::new(j, k + 2, expr, anchor))
                    }
                    Lex::Weekday(w, false) if narrative => {
                        let lean = if dir < 0 { Lean::Before } else { Lean::After };
                        let expr = Expr::Weekday {
                            weekday: u32::from(w),
                            lean,
                        };
                        Some(Hit::new(j, k + 2, expr, AnchorRule::Previous))
                    }
                    Lex::DayPart(part) if narrative && dir > 0 => {
                        let expr = Expr::Time {
                            date: Some(Box::new(Expr::Shift {
                                unit: Unit::Day,
                                amount: 1,
                                keep_grain: false,
                            })),
                            hour: None,
                            minute: None,
                            part: Some(part),
                        };
                        Some(Hit::new(j, k + 2, expr, AnchorRule::Previous))
                    }
                    // "in the coming years": a stretch of unstated length ahead.
                    Lex::Unit(unit, true)
                        if matches!(self.at(k), Lex::Kw(Coming)) && unit >= Unit::Week =>
                    {
                        let expr = Expr::Duration { unit, amount: None };
                        Some(Hit::new(j, k + 2, expr, AnchorRule::Absolute))
                    }
                    // "in the past, ...", "than in the past": the past at large.
                    Lex::Punct(_) | Lex::Other | Lex::PastTense | Lex::Future | Lex::Kw(_)
                        if self.kw(k, Past)
                            && j > 0
                            && matches!(
                                self.at(j - 1),
                                Lex::Kw(In | From | Of | To | Than | Since | For | During | Until)
                            )
                            && !matches!(self.at(k + 1), Lex::Kw(A | Several | Few | Couple))
                            && self.counted(j, k + 1).is_none() =>
                    {
                        self.reference(j, k + 1, RefKind::Past)
                    }
                    _ => {
                        let h = self.counted(j, k + 1)?;
                        (h.kind == TimexType::Duration).then_some(h)
                    }
                }
            }
            Lex::Kw(Future) => self.reference(j, k + 1, RefKind::Future),
            Lex::Kw(Near) if self.kw(k + 1, Future) => self.reference(j, k + 2, RefKind::Future),
            Lex::Kw(Near | Short) if self.kw(k + 1, Term) => {
                self.reference(j, k + 2, RefKind::Future)
            }
            Lex::Kw(Same) => match self.at(k + 1) {
                // "the same month last year", "the same month a year ago": the month
                // just told, a year back.
                Lex::Unit(Unit::Month, false) if self.year_back(k + 2).is_some() => {
                    let e = self.year_back(k + 2)?;
                    let expr = Expr::Shift {
                        unit: Unit::Month,
                        amount: -12,
                        keep_grain: false,
                    };
                    Some(Hit::new(j, e, expr, AnchorRule::Previous))
                }
                Lex::Unit(unit @ (Unit::Day | Unit::Week | Unit::Month | Unit::Year), false) => {
                    let expr = Expr::Shift {
                        unit,
                        amount: 0,
                        keep_grain: false,
                    };
                    Some(Hit::new(j, k + 2, expr, AnchorRule::Previous))
                }
                _ => None,
            },
            Lex::Kw(Current | Full) => match self.at(k + 1) {
                Lex::Unit(unit @ (Unit::Quarter | Unit::Year), false) => {
                    let expr = Expr::Shift {
                        unit,
                        amount: 0,
                        keep_grain: false,
                    };
                    Some(Hit::new(j, k + 2, expr, AnchorRule::Dct))
                }
                Lex::Kw(Fiscal) if self.at(k + 2) == Lex::Unit(Unit::Year, false) => {
                    let expr = Expr::Shift {
                        unit: Unit::Year,
                        amount: 0,
                        keep_grain: false,
                    };
                    Some(Hit::new(j, k + 3, expr, AnchorRule::Dct))
                }
                _ => None,
            },
            Lex::Season(s) => self.season(j, k, s, None),
            _ => None,
        }
    }

    /// "last week", "next year", "this month", "last January", "last March 25",
    /// "last Wednesday", "this morning", "last night", "last fall", "this past spring".
    pub(super) fn relative(&self, j: usize) -> Option<Hit> {
        use Kw::*;
        let (mut dir, mut k) = match self.at(j) {
            Lex::Kw(Last | Past) => (-1, j + 1),
            Lex::Kw(Next | Coming) => (1, j + 1),
            _ => (0, j + 1),
        };
        let mut strict = dir != 0;
        // "this past Sunday", "this coming Sunday": the nearest one in that direction,
        // whatever the tense says.
        if dir == 0 && self.kw(k, Past) {
            dir = -1;
            strict = true;
            k += 1;
        } else if dir == 0 && self.kw(k, Coming) {
            dir = 1;
            strict = true;
            k += 1;
        }
        // "past" alone is an adjective too often: "past 20 years" is a duration,
        // "past week" a date, but "past due" nothing.
        let bare_past = self.kw(j, Past);
        let lean = if dir < 0 {
            Lean::Before
        } else if dir > 0 {
            Lean::After
        } else {
            Lean::Unknown
        };
        // "This Week", "Next Year" in title case name a show or a book.
        if self.cap(j) && self.cap(k) && matches!(self.at(k), Lex::Unit(..)) {
            return None;
        }
        match self.at(k) {
            // "in coming months", "in past years": the future or past at large.
            Lex::Unit(unit, true) if dir != 0 && unit >= Unit::Week => {
                let which = if dir < 0 {
                    RefKind::Past
                } else {
                    RefKind::Future
                };
                self.reference(j, k + 1, which)
            }
            Lex::Unit(unit, false) if unit != Unit::Day || (dir != 0 && !bare_past) => {
                if unit == Unit::Century && dir == 0 {
                    let expr = Expr::Duration {
                        unit: Unit::Year,
                        amount: Some(100),
                    };
                    return Some(Hit::new(j, k + 1, expr, AnchorRule::Absolute));
                }
                if unit == Unit::Weekend && dir == 0 {
                    let lean = self.tense(j, k + 1);
                    return Some(Hit::new(j, k + 1, Expr::Weekend { lean }, AnchorRule::Dct));
                }
                let mut e = k + 1;
                // "next year's first quarter"
                if unit == Unit::Year && self.punct(e, b'\'') && self.is_word(e + 1, "s") {
                    if let Lex::Ordinal(o) = self.at(e + 2) {
                        let q = self.hyphen(e + 3);
                        if let Lex::Unit(part @ (Unit::Quarter | Unit::Half), false) = self.at(q) {
                            let expr = Expr::YearPart {
                                unit: part,
                                index: o,
                                year: YearSpec::Relative { years: dir },
                            };
                            return Some(Hit::new(j, q + 1, expr, AnchorRule::Dct));
                        }
                    }
                    // "last year's quarter", "last year's period": the reported
                    // period, a year back.
                    if dir == -1
                        && matches!(
                            self.at(e + 2),
                            Lex::Unit(Unit::Quarter, false) | Lex::Kw(Period)
                        )
                    {
                        return Some(Hit::new(j, e + 3, year_back(), AnchorRule::QuarterContext));
                    }
                    e = k + 1;
                }
                let expr = Expr::Shift {
                    unit,
                    amount: dir,
                    keep_grain: false,
                };
                Some(Hit::new(j, e, expr, AnchorRule::Dct))
            }
            // "this fiscal year", "next fiscal year": as "this year".
            Lex::Kw(Fiscal) if self.at(k + 1) == Lex::Unit(Unit::Year, false) && !bare_past => {
                let expr = Expr::Shift {
                    unit: Unit::Year,
                    amount: dir,
                    keep_grain: false,
                };
                Some(Hit::new(j, k + 2, expr, AnchorRule::Dct))
            }
            Lex::Month(m, abbr) if !bare_past => {
                if dir == 0 {
                    let mut h = self.month_date(k, m, abbr, Some(Lean::Unknown))?;
                    if let Expr::Calendar {
                        year: y @ YearSpec::Implied { .. },
                        ..
                    } = &mut h.expr
                    {
                        *y = YearSpec::Relative { years: 0 };
                    }
                    h.first = j;
                    return Some(h);
                }
                let mut h = self.month_date(k, m, abbr, Some(lean))?;
                h.first = j;
                Some(h)
            }
            Lex::Weekday(w, false) if !bare_past => {
                let lean = if strict { lean } else { self.tense(j, k + 1) };
                let lean = if lean == Lean::Unknown {
                    Lean::Past
                } else {
                    lean
                };
                let mut h = self.weekday(k, w, false, Some(lean))?;
                h.first = j;
                Some(h)
            }
            Lex::Season(s) if !bare_past => {
                let year = if self.kw(j + 1, Past) || self.kw(j + 1, Coming) {
                    YearSpec::Implied { lean }
                } else {
                    YearSpec::Relative { years: dir }
                };
                self.season(j, k, s, Some(year))
            }
            Lex::DayPart(part) if !bare_past => {
                let date = match (dir, part) {
                    (0, _) => None,
                    (-1, DayPart::Night | DayPart::Evening) => Some(Box::new(Expr::Shift {
                        unit: Unit::Day,
                        amount: -1,
                        keep_grain: false,
                    })),
                    _ => return None,
                };
                let expr = Expr::Time {
                    date,
                    hour: None,
                    minute: None,
                    part: Some(part),
                };
                Some(Hit::new(j, k + 1, expr, AnchorRule::Dct))
            }
            Lex::Num(..) | Lex::NumWord(_) | Lex::Kw(Few | Several) if dir != 0 => {
                let h = self.counted(j, k)?;
                (h.kind == TimexType::Duration).then_some(h)
            }
            Lex::Kw(A) if dir != 0 && self.kw(k + 1, Few) => {
                let h = self.counted(j, k)?;
                (h.kind == TimexType::Duration).then_some(h)
            }
            _ => None,
        }
    }

    /// "yesterday", "today", "tomorrow", "tonight", "yesterday morning".
    pub(super) fn deictic(&self, j: usize) -> Option<Hit> {
        // "USA Today", "VOA Today": a name, when a capitalized word runs into it.
        if self.cap(j)
            && j > 0
            && self.cap(j - 1)
            && !matches!(self.at(j - 1), Lex::Punct(_))
            && self.toks.get(j).is_some_and(|t| t.gap == Gap::Space)
        {
            return None;
        }
        if self.kw(j, Kw::Today) && self.generic_possessive(j + 1) {
            return self.reference(j, j + 1, RefKind::Present);
        }
        let amount = match self.at(j) {
            Lex::Kw(Kw::Yesterday) => -1,
            Lex::Kw(Kw::Tomorrow) => 1,
            Lex::Kw(Kw::Tonight) => {
                let expr = Expr::Time {
                    date: None,
                    hour: None,
                    minute: None,
                    part: Some(DayPart::Night),
                };
                return Some(Hit::new(j, j + 1, expr, AnchorRule::Dct));
            }
            _ => 0,
        };
        let expr = Expr::Shift {
            unit: Unit::Day,
            amount,
            keep_grain: false,
        };
        self.with_day_part(j, j + 1, expr)
    }

    /// "'s world", "'s young people", "'s personal computers" at `i`: "today's"
    /// meaning the present age, not the day.
    pub(super) fn generic_possessive(&self, i: usize) -> bool {
        const GENERIC: [&str; 24] = [
            "world",
            "society",
            "youth",
            "young",
            "youngsters",
            "generation",
            "children",
            "kids",
            "teenagers",
            "students",
            "parents",
            "families",
            "women",
            "men",
            "economy",
            "standards",
            "technology",
            "culture",
            "consumers",
            "workers",
            "computers",
            "cars",
            "politics",
            "realities",
        ];
        if !(self.punct(i, b'\'') && self.is_word(i + 1, "s") && self.attached(i + 1)) {
            return false;
        }
        let generic = |k: usize| GENERIC.iter().any(|w| self.is_word(k, w));
        generic(i + 2) || (self.at(i + 2) == Lex::Other && generic(i + 3))
    }

    /// "every Tuesday", "each year", "every two weeks", "each July".
    pub(super) fn every(&self, j: usize) -> Option<Hit> {
        let mut k = j + 1;
        if self.kw(k, Kw::Other) {
            k += 1;
        }
        let pattern = match self.at(k) {
            Lex::Unit(u, false) => unit_set(u),
            Lex::Weekday(w, false) => {
                let mut p = format!("XXXX-WXX-{w}");
                if let Lex::DayPart(part) = self.at(k + 1) {
                    p.push('T');
                    p.push_str(part.code());
                    k += 1;
                }
                p
            }
            Lex::Month(m, false) => format!("XXXX-{m:02}"),
            Lex::Season(s) => format!("XXXX-{}", s.code()),
            Lex::DayPart(p) => format!("XXXX-XX-XXT{}", p.code()),
            Lex::Num(..) | Lex::NumWord(_) => {
                let (Some(n), e) = self.count(k)? else {
                    return None;
                };
                let Lex::Unit(u, true) = self.at(e) else {
                    return None;
                };
                return Some(set(j, e + 1, duration_value(u, Some(n))));
            }
            _ => return None,
        };
        Some(set(j, k + 1, pattern))
    }
}
