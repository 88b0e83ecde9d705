//! Named dates: a month with or without its day and year ("May 10, 2002", "March",
//! "June last year"), a weekday ("Wednesday", "Thursday, April 6", "Friday
//! morning"), a second day after a first ("April 24 and 25"), holidays.

use super::{
    natural_anchor, set, AnchorRule, Expr, Grammar, Hit, Holiday, Kw, Lean, Lex, Unit, YearSpec,
};

impl<'a> Grammar<'a> {
    /// "May 10, 2002", "May 2002", "Aug. 7", "March", "June last year".
    pub(super) fn month_date(
        &self,
        j: usize,
        m: u8,
        abbr: bool,
        lean: Option<Lean>,
    ) -> Option<Hit> {
        if !self.cap(j) {
            return None;
        }
        let month = u32::from(m);
        let mut k = j + 1;
        if abbr {
            if self.punct(k, b'.') && self.attached(k) {
                k += 1;
            } else if !matches!(self.at(k), Lex::Num(..)) {
                return None;
            }
            // "IBM and DEC.": an all-capital abbreviation with no day is a name.
            let w = self.word(j);
            if w.len() > 1
                && w.bytes().all(|b| b.is_ascii_uppercase())
                && !matches!(self.at(k), Lex::Num(..))
            {
                return None;
            }
        }
        let mut day = None;
        match self.at(k) {
            // "May 10" but not "May 10,000" nor "May 10-year"; "March 21-22" is
            // its first day.
            Lex::Num(d, 1 | 2)
                if (1..=31).contains(&d)
                    && !self.number_continues(k)
                    && (!(self.punct(k + 1, b'-') && self.attached(k + 1))
                        || (matches!(self.at(k + 2), Lex::Num(e, 1 | 2) if (1..=31).contains(&e) && e > d)
                            && !matches!(self.at(k + 3), Lex::Unit(..) | Lex::Punct(b'-')))) =>
            {
                day = Some(d);
                k += 1;
                if self.at(k) == Lex::OrdSuffix && self.attached(k) {
                    k += 1;
                }
            }
            Lex::Ordinal(d) if d <= 31 => {
                day = Some(d);
                k += 1;
            }
            // "payable July six to holders", "the week to March nine.": a day in
            // words, where nothing it could count follows ("in March two companies").
            Lex::NumWord(d)
                if (1..=31).contains(&d)
                    && matches!(
                        self.at(k + 1),
                        Lex::Punct(b'.' | b',' | b';' | b')')
                            | Lex::Kw(Kw::To | Kw::And | Kw::Or | Kw::Through | Kw::Until)
                    ) =>
            {
                day = Some(d);
                k += 1;
            }
            _ => {}
        }
        let mut year = None;
        let comma = usize::from(self.punct(k, b','));
        if let Some((y, e)) = self.spelled_year(k) {
            year = Some(YearSpec::Stated { year: y });
            k = e;
        } else if let Some(y) = self.year_at(k + comma) {
            if day.is_some() || comma == 0 {
                year = Some(YearSpec::Stated { year: y });
                k += comma + 1;
            }
        } else if comma == 0 {
            // "March of 1998", "March last year", "March of last year".
            let of = usize::from(self.kw(k, Kw::Of));
            if let Some(y) = self.year_at(k + of).filter(|_| of == 1) {
                year = Some(YearSpec::Stated { year: y });
                k += 2;
            } else if let Some((years, e)) = self.relative_year(k + of) {
                year = Some(YearSpec::Relative { years });
                k = e;
            }
        }
        if day.is_none() && year.is_none() && lean.is_none() && !self.bare_month_ok(j, m) {
            return None;
        }
        let year = year.unwrap_or_else(|| YearSpec::Implied {
            lean: lean.unwrap_or_else(|| self.tense(j, k)),
        });
        let expr = Expr::Calendar {
            year,
            month: Some(month),
            day,
        };
        let anchor = natural_anchor(&expr);
        Some(Hit::new(j, k, expr, anchor))
    }

    /// A month name alone is a month unless it reads as a verb or a name:
    /// "May" needs a preposition or the like before it.
    pub(super) fn bare_month_ok(&self, j: usize, m: u8) -> bool {
        if m != 5 && m != 3 {
            return true;
        }
        if j == 0 {
            return false;
        }
        // "set for March", "plans for March", "the March accession": "for May" may
        // be a vote for a person, "the May" a store's name.
        if m == 3 && matches!(self.at(j - 1), Lex::Kw(Kw::For | Kw::The)) {
            return true;
        }
        matches!(
            self.at(j - 1),
            Lex::Kw(
                Kw::In
                    | Kw::Of
                    | Kw::Since
                    | Kw::Until
                    | Kw::By
                    | Kw::From
                    | Kw::To
                    | Kw::Through
                    | Kw::Between
                    | Kw::And
                    | Kw::Or
                    | Kw::Last
                    | Kw::Next
                    | Kw::This
                    | Kw::Early
                    | Kw::Late
                    | Kw::Mid
                    | Kw::Before
                    | Kw::After
                    | Kw::During
                    | Kw::Every
                    | Kw::Each
                    | Kw::End
                    | Kw::On
            ) | Lex::Punct(b'-')
        )
    }

    /// "Wednesday", "Thursday, April 6", "Friday morning", "Tuesdays".
    pub(super) fn weekday(&self, j: usize, w: u8, plural: bool, lean: Option<Lean>) -> Option<Hit> {
        if !self.cap(j) {
            return None;
        }
        let weekday = u32::from(w);
        if plural {
            let mut pattern = format!("XXXX-WXX-{weekday}");
            let mut k = j + 1;
            if let Lex::DayPart(p) = self.at(k) {
                pattern.push('T');
                pattern.push_str(p.code());
                k += 1;
            }
            return Some(set(j, k, pattern));
        }
        // "Thursday, April 6", "this coming Sunday, March eighth": the date says it.
        {
            let k = j + 1 + usize::from(self.punct(j + 1, b','));
            if let Lex::Month(m, abbr) = self.at(k) {
                if let Some(mut h) = self.month_date(k, m, abbr, None) {
                    if matches!(h.expr, Expr::Calendar { day: Some(_), .. }) {
                        h.first = j;
                        return Some(h);
                    }
                }
            }
        }
        let lean = lean.unwrap_or_else(|| match self.tense(j, j + 1) {
            Lean::Unknown => Lean::Past,
            l => l,
        });
        let expr = Expr::Weekday { weekday, lean };
        self.with_day_part(j, j + 1, expr)
    }

    /// "Friday morning", "yesterday afternoon": a day followed by a part of it.
    pub(super) fn with_day_part(&self, first: usize, k: usize, date: Expr) -> Option<Hit> {
        if let Lex::DayPart(part) = self.at(k) {
            let expr = Expr::Time {
                date: Some(Box::new(date)),
                hour: None,
                minute: None,
                part: Some(part),
            };
            return Some(Hit::new(first, k + 1, expr, AnchorRule::Dct));
        }
        let anchor = natural_anchor(&date);
        Some(Hit::new(first, k, date, anchor))
    }

    /// After "April 24", an "and 25" or "or 25" that ends a phrase: that day of the
    /// same month.
    pub(super) fn second_day(&self, h: &Hit) -> Option<Hit> {
        let Expr::Calendar {
            year,
            month: Some(month),
            day: Some(first),
        } = h.expr
        else {
            return None;
        };
        let k = h.last;
        if !matches!(self.at(k), Lex::Kw(Kw::And | Kw::Or)) {
            return None;
        }
        let Lex::Num(day, 1 | 2) = self.at(k + 1) else {
            return None;
        };
        let ends = matches!(
            self.at(k + 2),
            Lex::Punct(b'.' | b',' | b';' | b')') | Lex::Kw(_)
        ) || k + 2 >= self.toks.len();
        if day <= first || day > 31 || !ends || self.number_continues(k + 1) {
            return None;
        }
        let expr = Expr::Calendar {
            year,
            month: Some(month),
            day: Some(day),
        };
        let mut second = Hit::new(k + 1, k + 2, expr, h.anchor);
        second.modifier = None;
        Some(second)
    }

    /// "Christmas", "Thanksgiving Day", "New Year's Day", "Election Day".
    pub(super) fn holiday(&self, j: usize) -> Option<Hit> {
        use Kw::*;
        if !self.cap(j) {
            return None;
        }
        let (holiday, mut e) = match self.at(j) {
            Lex::Kw(Christmas) if self.kw(j + 1, Eve) => (Holiday::ChristmasEve, j + 2),
            Lex::Kw(Christmas) => (Holiday::Christmas, j + 1 + usize::from(self.kw(j + 1, Day))),
            Lex::Kw(Thanksgiving) => (
                Holiday::Thanksgiving,
                j + 1 + usize::from(self.at(j + 1) == Lex::Unit(Unit::Day, false)),
            ),
            Lex::Kw(Easter) => (
                Holiday::Easter,
                j + 1 + usize::from(self.at(j + 1) == Lex::Weekday(7, false)),
            ),
            Lex::Kw(Independence | Election)
                if self.at(j + 1) == Lex::Unit(Unit::Day, false) && self.cap(j + 1) =>
            {
                let h = if self.kw(j, Independence) {
                    Holiday::IndependenceDay
                } else {
                    Holiday::ElectionDay
                };
                (h, j + 2)
            }
            Lex::Kw(New)
                if self.at(j + 1) == Lex::Unit(Unit::Year, false)
                    && self.punct(j + 2, b'\'')
                    && self.is_word(j + 3, "s") =>
            {
                match self.at(j + 4) {
                    Lex::Unit(Unit::Day, false) => (Holiday::NewYearsDay, j + 5),
                    Lex::Kw(Eve) => (Holiday::NewYearsEve, j + 5),
                    _ => return None,
                }
            }
            _ => return None,
        };
        let year = self.year_after(j, &mut e);
        let expr = Expr::Holiday { holiday, year };
        let anchor = natural_anchor(&expr);
        Some(Hit::new(j, e, expr, anchor))
    }
}
