//! Times of day: "8:11 PM EDT", "10 p.m. Wednesday", "noon Thursday", "4 o'clock".

use super::{natural_anchor, AnchorRule, DayPart, Expr, Grammar, Hit, Kw, Lean, Lex, Unit};

impl<'a> Grammar<'a> {
    /// "8:11 PM EDT", "10 p.m. Wednesday", "noon Thursday", "5 p.m. EST, Nov. 6".
    pub(super) fn time_of_day(&self, j: usize) -> Option<Hit> {
        let (mut hour, mut minute, mut k, explicit) = match self.at(j) {
            Lex::Kw(Kw::Noon) => (12, 0, j + 1, true),
            Lex::Kw(Kw::Midnight) => (0, 0, j + 1, true),
            Lex::Num(h, 1 | 2) if h <= 24 => {
                if self.punct(j + 1, b':') && self.attached(j + 1) && self.attached(j + 2) {
                    match self.at(j + 2) {
                        Lex::Num(m, 2) if m <= 59 => (h, m, j + 3, false),
                        _ => return None,
                    }
                } else {
                    (h, 0, j + 1, false)
                }
            }
            _ => return None,
        };
        // "4 o'clock", "4 in the morning", "9 in the evening".
        let mut explicit = explicit;
        if !explicit
            && self.word(k) == "o"
            && self.punct(k + 1, b'\'')
            && self.is_word(k + 2, "clock")
            && (1..=12).contains(&hour)
        {
            explicit = true;
            k += 3;
        }
        let ampm = self
            .am_pm(k)
            .or_else(|| match (self.at(k + 1), self.at(k + 2)) {
                (Lex::Kw(Kw::The), Lex::DayPart(part)) if self.kw(k, Kw::In) => {
                    Some((part != DayPart::Morning, k + 3))
                }
                _ => None,
            });
        if let Some((pm, e)) = ampm {
            if hour > 12 || hour == 0 {
                return None;
            }
            hour = match (pm, hour) {
                (true, 12) => 12,
                (true, h) => h + 12,
                (false, 12) => 0,
                (false, h) => h,
            };
            k = e;
        } else if !explicit && k == j + 1 {
            // A bare number is not a time.
            return None;
        } else if !explicit && k == j + 3 && (self.punct(k, b':') || hour > 23) {
            return None;
        }
        if hour == 24 {
            hour = 0;
            minute = 0;
        }
        if self.kw(k, Kw::Zone) && self.cap(k) {
            k += 1;
        }
        // A day after the time: "10 p.m. Wednesday", "5 p.m. EST, Nov. 6". Past an
        // aside ("10:35 a.m. (0735 GMT) Friday", "9 a.m. local time Friday") the day
        // still dates the time, but the span stays the time's own.
        let comma = |i: usize| i + usize::from(self.punct(i, b','));
        let (c, aside) = if self.punct(k, b'(') {
            match (k + 1..k + 6).find(|&i| self.punct(i, b')')) {
                Some(close) => (comma(close + 1), true),
                None => (k, true),
            }
        } else if self.is_word(k, "local") && self.is_word(k + 1, "time") {
            (comma(k + 2), true)
        } else if self.kw(k, Kw::On) {
            // "10 p.m. on Thursday": the day dates the time; each keeps its span.
            (k + 1, true)
        } else {
            (comma(k), false)
        };
        let (date, end) = match self.at(c) {
            Lex::Weekday(w, false) if self.cap(c) => {
                let lean = match self.tense(j, c + 1) {
                    Lean::Unknown => Lean::Past,
                    l => l,
                };
                let expr = Expr::Weekday {
                    weekday: u32::from(w),
                    lean,
                };
                (Some(Box::new(expr)), c + 1)
            }
            Lex::Month(m, abbr) => match self.month_date(c, m, abbr, None) {
                Some(h) if matches!(h.expr, Expr::Calendar { day: Some(_), .. }) => {
                    (Some(Box::new(h.expr)), h.last)
                }
                _ => (None, k),
            },
            Lex::Kw(Kw::Yesterday | Kw::Today | Kw::Tomorrow) => {
                let amount = match self.at(c) {
                    Lex::Kw(Kw::Yesterday) => -1,
                    Lex::Kw(Kw::Tomorrow) => 1,
                    _ => 0,
                };
                let expr = Expr::Shift {
                    unit: Unit::Day,
                    amount,
                    keep_grain: false,
                };
                (Some(Box::new(expr)), c + 1)
            }
            _ => (None, k),
        };
        if !aside {
            k = end;
        }
        let expr = Expr::Time {
            date,
            hour: Some(hour),
            minute: Some(minute),
            part: None,
        };
        let anchor = match &expr {
            Expr::Time { date: Some(d), .. } => natural_anchor(d),
            _ => AnchorRule::PreviousDay,
        };
        Some(Hit::new(j, k, expr, anchor))
    }

    /// "a.m.", "p.m", "AM", "pm": (is_pm, end).
    pub(super) fn am_pm(&self, k: usize) -> Option<(bool, usize)> {
        match self.at(k) {
            Lex::Kw(Kw::Am) => return Some((false, k + 1)),
            Lex::Kw(Kw::Pm) => return Some((true, k + 1)),
            _ => {}
        }
        let letter = self.word(k);
        let pm = if letter.eq_ignore_ascii_case("a") {
            false
        } else if letter.eq_ignore_ascii_case("p") {
            true
        } else {
            return None;
        };
        if self.punct(k + 1, b'.')
            && self.attached(k + 1)
            && self.is_word(k + 2, "m")
            && self.attached(k + 2)
        {
            let mut e = k + 3;
            if self.punct(e, b'.') && self.attached(e) {
                e += 1;
            }
            return Some((pm, e));
        }
        None
    }
}
