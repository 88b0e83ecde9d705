//! Parts of a year and the periods of business reports: "year-end", "the
//! year-earlier quarter", "the quarter ended Sept. 30", "fiscal 1989", "Q3",
//! "FY2013", seasons ("summer", "the winter of 1994").

use super::{
    natural_anchor, stated_year, AnchorRule, Expr, Grammar, Hit, Kw, Lean, Lex, Modifier, Season,
    Unit, YearSpec,
};

impl<'a> Grammar<'a> {
    /// "year-earlier", "year-ago" (+ "quarter"/"period"): the same period a year before.
    pub(super) fn year_compound(&self, first: usize, j: usize) -> Option<Hit> {
        // "year-end", "year end", "year's end": the end of this year ("since
        // year-end", "assets at year end were": of the last one).
        let possessive = self.punct(j + 1, b'\'') && self.is_word(j + 2, "s");
        let end_at = if possessive {
            j + 3
        } else {
            self.hyphen(j + 1)
        };
        if self.kw(end_at, Kw::End) {
            let since = (first > 0 && self.kw(first - 1, Kw::Since))
                || self.tense(first, end_at + 1) == Lean::Past;
            let expr = Expr::Shift {
                unit: Unit::Year,
                amount: if since { -1 } else { 0 },
                keep_grain: false,
            };
            let mut h = Hit::new(first, end_at + 1, expr, AnchorRule::Dct);
            h.modifier = Some(Modifier::End);
            return Some(h);
        }
        let k = self.hyphen(j + 1);
        if k == j + 1 || !(self.kw(k, Kw::Earlier) || self.kw(k, Kw::Ago)) {
            return None;
        }
        let mut e = k + 1;
        if let Lex::Ordinal(_) = self.at(e) {
            if matches!(self.at(e + 1), Lex::Unit(Unit::Quarter, false)) {
                e += 2;
            }
        } else if matches!(
            self.at(e),
            Lex::Unit(Unit::Quarter, false) | Lex::Kw(Kw::Period)
        ) {
            e += 1;
        }
        let expr = Expr::Shift {
            unit: Unit::Year,
            amount: -1,
            keep_grain: false,
        };
        Some(Hit::new(first, e, expr, AnchorRule::QuarterContext))
    }

    /// "ended Sept. 30", "ending July 31, 1989" at `i`, after "the quarter": the
    /// calendar quarter that holds most of the three months up to that month.
    pub(super) fn quarter_ended(&self, i: usize) -> Option<Expr> {
        if !(self.is_word(i, "ended") || self.is_word(i, "ending")) {
            return None;
        }
        let Lex::Month(m, abbr) = self.at(i + 1) else {
            return None;
        };
        let h = self.month_date(i + 1, m, abbr, Some(Lean::Past))?;
        let Expr::Calendar {
            year,
            month: Some(m),
            day: Some(_),
        } = h.expr
        else {
            return None;
        };
        // The middle month of the three: the quarter ended July 31 ran May to July.
        let (middle, back) = if m == 1 { (12, 1) } else { (m - 1, 0) };
        let year = match year {
            YearSpec::Stated { year } => YearSpec::Stated {
                year: year.saturating_sub(back),
            },
            y => y,
        };
        Some(Expr::YearPart {
            unit: Unit::Quarter,
            index: middle.div_ceil(3),
            year,
        })
    }

    /// "last year", "a year ago", "a year earlier" at `i`: where it ends.
    pub(super) fn year_back(&self, i: usize) -> Option<usize> {
        let year = Lex::Unit(Unit::Year, false);
        if self.kw(i, Kw::Last) && self.at(i + 1) == year {
            return Some(i + 2);
        }
        if self.kw(i, Kw::A)
            && self.at(i + 1) == year
            && matches!(self.at(i + 2), Lex::Kw(Kw::Ago | Kw::Earlier))
        {
            return Some(i + 3);
        }
        None
    }

    /// "fiscal 1989", "fiscal second-quarter", "the fiscal year" (this one, unless
    /// it "ended" on a date).
    pub(super) fn fiscal(&self, first: usize, j: usize) -> Option<Hit> {
        if let Some(year) = self.year_at(j + 1) {
            return Some(Hit::new(
                first,
                j + 2,
                stated_year(year),
                AnchorRule::Absolute,
            ));
        }
        match self.at(j + 1) {
            Lex::Ordinal(o) => self.ordinal(first, j + 1, o),
            Lex::Unit(Unit::Year, false) => {
                if let Some(year) = self.year_at(j + 2) {
                    return Some(Hit::new(
                        first,
                        j + 3,
                        stated_year(year),
                        AnchorRule::Absolute,
                    ));
                }
                if first == j {
                    return None;
                }
                // "the fiscal year ended Jan. 31", "the fiscal year that began April
                // 1", "the fiscal year to March": a year told by its ends, as is one
                // gone "throughout"; "earnings for the fiscal year" the year the
                // company is in.
                let throughout = first > 0
                    && (self.kw(first - 1, Kw::Over) || self.is_word(first - 1, "throughout"));
                Some(if throughout || self.bounded_year(j + 2) {
                    let expr = Expr::Duration {
                        unit: Unit::Year,
                        amount: Some(1),
                    };
                    Hit::new(first, j + 2, expr, AnchorRule::Absolute)
                } else {
                    let expr = Expr::Shift {
                        unit: Unit::Year,
                        amount: 0,
                        keep_grain: false,
                    };
                    Hit::new(first, j + 2, expr, AnchorRule::Dct)
                })
            }
            _ => None,
        }
    }

    /// At `i`, after "the fiscal year": its ends follow ("ended Jan. 31", "that
    /// began April 1", "just ending", "to March 13", "-to-date").
    fn bounded_year(&self, i: usize) -> bool {
        const ENDS: [&str; 10] = [
            "ended",
            "ending",
            "ends",
            "began",
            "beginning",
            "begins",
            "started",
            "starting",
            "starts",
            "to",
        ];
        let i = i + usize::from(["that", "which", "just"].iter().any(|w| self.is_word(i, w)));
        self.punct(i, b'-') || ENDS.iter().any(|w| self.is_word(i, w))
    }

    /// "Q3", "Q1 2013": a quarter in the shorthand of earnings reports.
    pub(super) fn quarter_shorthand(&self, j: usize) -> Option<Hit> {
        if !self.cap(j) || !self.attached(j + 1) {
            return None;
        }
        let q = match self.at(j + 1) {
            Lex::Num(q @ 1..=4, 1)
                if !self.letters_follow(j + 1) && !self.number_continues(j + 1) =>
            {
                q
            }
            _ => return None,
        };
        let mut e = j + 2;
        let year = match self.year_at(e) {
            Some(year) => {
                e += 1;
                YearSpec::Stated { year }
            }
            None => YearSpec::Implied {
                lean: self.tense(j, e),
            },
        };
        let expr = Expr::YearPart {
            unit: Unit::Quarter,
            index: q,
            year,
        };
        let anchor = natural_anchor(&expr);
        Some(Hit::new(j, e, expr, anchor))
    }

    /// "FY2013", "FY 2013", "FY13": a fiscal year, valued as the year it is named
    /// for, like "fiscal 2013".
    pub(super) fn fiscal_shorthand(&self, j: usize) -> Option<Hit> {
        if !self.word(j).bytes().all(|b| b.is_ascii_uppercase()) {
            return None;
        }
        let year = match (self.year_at(j + 1), self.at(j + 1)) {
            (Some(year), _) => year,
            (None, Lex::Num(v, 2))
                if self.attached(j + 1)
                    && !self.letters_follow(j + 1)
                    && !self.number_continues(j + 1) =>
            {
                let v = i32::try_from(v).ok()?;
                if v < 50 {
                    2000 + v
                } else {
                    1900 + v
                }
            }
            _ => return None,
        };
        Some(Hit::new(j, j + 2, stated_year(year), AnchorRule::Absolute))
    }

    /// "summer", "spring 2002", "the winter of 1994", "last fall", "the spring of
    /// last year".
    pub(super) fn season(
        &self,
        first: usize,
        j: usize,
        season: Season,
        year: Option<YearSpec>,
    ) -> Option<Hit> {
        let mut e = j + 1;
        let year = match year {
            Some(y) => y,
            None => {
                let of = usize::from(self.kw(e, Kw::Of));
                if let Some((y, end)) = self.spelled_year(e + of) {
                    let expr = Expr::Season {
                        season,
                        year: YearSpec::Stated { year: y },
                    };
                    return Some(Hit::new(first, end, expr, AnchorRule::Absolute));
                }
                let bare = first == j && !self.season_context(j);
                match (self.year_at(e + of), self.relative_year(e + of)) {
                    (Some(y), _) => {
                        e += of + 1;
                        YearSpec::Stated { year: y }
                    }
                    // "the summer of last year", "in spring this year"; not the verb
                    // of "prices will fall this year".
                    (None, Some((years, end))) if !bare => {
                        e = end;
                        YearSpec::Relative { years }
                    }
                    (None, _) if bare => return None,
                    (None, _) => YearSpec::Implied {
                        lean: Lean::Unknown,
                    },
                }
            }
        };
        let expr = Expr::Season { season, year };
        let anchor = natural_anchor(&expr);
        Some(Hit::new(first, e, expr, anchor))
    }

    pub(super) fn season_context(&self, j: usize) -> bool {
        j > 0
            && matches!(
                self.at(j - 1),
                Lex::Kw(
                    Kw::In
                        | Kw::Since
                        | Kw::Until
                        | Kw::By
                        | Kw::During
                        | Kw::Early
                        | Kw::Late
                        | Kw::Mid
                        | Kw::Through
                )
            )
    }
}
