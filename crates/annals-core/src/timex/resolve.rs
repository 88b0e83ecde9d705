//! Resolution: an [`Expr`] and the point it is anchored to (the publication date or
//! an earlier expression's value) give a TIMEX3 value. Pure calendar logic; the
//! anchor is always passed in, never read from a clock.

use chrono::{Datelike, Duration, NaiveDate, Weekday};

use super::expr::{Expr, Holiday, Lean, YearSpec};
use super::grammar::duration_value;
use super::lexicon::{DayPart, Unit};
use super::value::{add, easter, nth_weekday, point_at, shift_years, unknown_value, ymd, Point};

/// What an expression resolves to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Resolved {
    Point(Point),
    /// "1950-53": both ends.
    Range(Point, Point),
    /// A value with no calendar position: a duration, a set, a reference, or a date
    /// the anchor cannot place (`XXXX-03-25`).
    Text(String),
}

impl Resolved {
    pub(crate) fn value(&self) -> String {
        match self {
            Resolved::Point(p) | Resolved::Range(p, _) => p.value(),
            Resolved::Text(t) => t.clone(),
        }
    }
    pub(crate) fn point(&self) -> Option<Point> {
        match self {
            Resolved::Point(p) | Resolved::Range(p, _) => Some(*p),
            Resolved::Text(_) => None,
        }
    }
}

fn text(s: impl Into<String>) -> Resolved {
    Resolved::Text(s.into())
}

/// Resolves `expr` against `anchor` (None: nothing to anchor to).
pub(crate) fn resolve(expr: &Expr, anchor: Option<Point>) -> Resolved {
    match expr {
        Expr::Calendar { year, month, day } => calendar(*year, *month, *day, anchor),
        Expr::Weekday { weekday, lean } => {
            match anchor
                .and_then(|a| a.first_day())
                .filter(|_| anchor.is_some_and(|a| a.grain() <= Unit::Day))
            {
                Some(d) => weekday_near(d, *weekday, *lean)
                    .map_or_else(|| text("XXXX-XX-XX"), |d| Resolved::Point(Point::Day(d))),
                None => text(format!("XXXX-WXX-{weekday}")),
            }
        }
        Expr::Weekend { lean } => match anchor.and_then(|a| a.first_day()) {
            Some(d) => {
                let wd = d.weekday().number_from_monday();
                let back = matches!(lean, Lean::Past | Lean::Before | Lean::Unknown) && wd < 6;
                let day = if back {
                    d.checked_sub_signed(Duration::days(7)).unwrap_or(d)
                } else {
                    d
                };
                point_at(day, Unit::Weekend).map_or_else(|| text("XXXX-WXX-WE"), Resolved::Point)
            }
            None => text("XXXX-WXX-WE"),
        },
        Expr::Shift {
            unit,
            amount,
            keep_grain,
        } => shift(anchor, *unit, *amount, *keep_grain),
        Expr::YearPart { unit, index, year } => {
            // "the fourth quarter" in March is last year's, as the tense allows; a
            // future tense is the report's ("will report fourth-quarter results"),
            // not the quarter's.
            let months = if *unit == Unit::Half { 6 } else { 3 };
            let first_month = index.saturating_sub(1).saturating_mul(months) + 1;
            let implied = match (year, anchor) {
                (YearSpec::Implied { lean }, Some(a)) if (1..=12).contains(&first_month) => a
                    .first_day()
                    .filter(|_| a.grain() <= Unit::Month)
                    .map(|ad| quarter_year(ad, first_month, *lean)),
                _ => None,
            };
            let y = match implied.or_else(|| year_of(*year, anchor)) {
                Some(y) => y,
                None => {
                    let letter = if *unit == Unit::Half { 'H' } else { 'Q' };
                    return text(format!("XXXX-{letter}{index}"));
                }
            };
            Resolved::Point(if *unit == Unit::Half {
                Point::Half(y, *index)
            } else {
                Point::Quarter(y, *index)
            })
        }
        Expr::LatestQuarter { year } => {
            let latest = anchor
                .and_then(|a| a.first_day())
                .and_then(|d| d.checked_sub_signed(Duration::days(45)))
                .and_then(|d| point_at(d, Unit::Quarter));
            match (latest, year) {
                (Some(Point::Quarter(_, q)), YearSpec::Stated { year }) => {
                    Resolved::Point(Point::Quarter(*year, q))
                }
                (Some(Point::Quarter(y, q)), YearSpec::Relative { years }) => {
                    Resolved::Point(Point::Quarter(y.saturating_add(*years), q))
                }
                (Some(p), _) => Resolved::Point(p),
                (None, _) => text("XXXX-QX"),
            }
        }
        Expr::Season { season, year } => {
            let y = match year {
                YearSpec::Implied { lean } => anchor.and_then(|a| a.first_day()).map(|d| {
                    let (first, _) = season.months();
                    let (m, y) = (d.month(), d.year());
                    match lean {
                        Lean::Before | Lean::Past if first > m => y.saturating_sub(1),
                        Lean::After | Lean::Future
                            if first < m && *season != super::lexicon::Season::Winter =>
                        {
                            y + 1
                        }
                        _ => y,
                    }
                }),
                _ => year_of(*year, anchor),
            };
            match y {
                Some(y) => Resolved::Point(Point::Season(y, *season)),
                None => text(format!("XXXX-{}", season.code())),
            }
        }
        Expr::Decade { decade, bare } => Resolved::Point(Point::Decade(*decade, *bare)),
        Expr::Century { century } => Resolved::Point(Point::Century(*century)),
        Expr::Holiday { holiday, year } => holiday_date(*holiday, *year, anchor),
        Expr::Ref { which } => text(which.value()),
        Expr::Duration { unit, amount } => text(duration_value(*unit, *amount)),
        Expr::Set { pattern } => text(pattern.clone()),
        Expr::Time {
            date,
            hour,
            minute,
            part,
        } => {
            let day = match date {
                Some(d) => resolve(d, anchor).point(),
                None => anchor,
            };
            // "Friday night ... at 2 a.m.": the small hours after a night or an
            // evening belong to the next day.
            let after_night = date.is_none()
                && hour.is_some_and(|h| h < 6)
                && matches!(
                    day,
                    Some(Point::DayPart(_, DayPart::Night | DayPart::Evening))
                );
            let day = day
                .filter(|p| p.grain() <= Unit::Day)
                .and_then(|p| p.first_day())
                .and_then(|d| {
                    if after_night {
                        d.checked_add_signed(Duration::days(1))
                    } else {
                        Some(d)
                    }
                });
            match (day, hour, part) {
                (Some(d), Some(h), _) => Resolved::Point(Point::Minute(d, *h, minute.unwrap_or(0))),
                (Some(d), None, Some(p)) => Resolved::Point(Point::DayPart(d, *p)),
                (None, Some(h), _) => text(format!("XXXX-XX-XXT{h:02}:{:02}", minute.unwrap_or(0))),
                (None, None, Some(p)) => text(format!("XXXX-XX-XXT{}", p.code())),
                (_, None, None) => text("XXXX-XX-XX"),
            }
        }
        Expr::Range { begin, end } => {
            let b = resolve(begin, anchor);
            let e = resolve(end, anchor);
            match (b.point(), e.point()) {
                (Some(b), Some(e)) => Resolved::Range(b, e),
                _ => b,
            }
        }
    }
}

fn year_of(year: YearSpec, anchor: Option<Point>) -> Option<i32> {
    match year {
        YearSpec::Stated { year } => Some(year),
        YearSpec::Relative { years } => anchor
            .and_then(|a| a.year())
            .and_then(|y| y.checked_add(years)),
        YearSpec::Implied { .. } => anchor.and_then(|a| a.year()),
    }
}

fn calendar(
    year: YearSpec,
    month: Option<u32>,
    day: Option<u32>,
    anchor: Option<Point>,
) -> Resolved {
    let y = match year {
        YearSpec::Implied { lean } => match (anchor, month) {
            (Some(a), Some(m)) => match a.first_day() {
                Some(ad) if a.grain() <= Unit::Month => Some(lean_year(ad, m, day, lean)),
                _ => a.year(),
            },
            _ => None,
        },
        _ => year_of(year, anchor),
    };
    let Some(y) = y.filter(|y| (0..=9999).contains(y)) else {
        return text(match (month, day) {
            (Some(m), Some(d)) => format!("XXXX-{m:02}-{d:02}"),
            (Some(m), None) => format!("XXXX-{m:02}"),
            _ => "XXXX".to_string(),
        });
    };
    let point = match (month, day) {
        (Some(m), Some(d)) => match ymd(y, m, d) {
            Some(date) => Point::Day(date),
            None => Point::Month(y, m),
        },
        (Some(m), None) if (1..=12).contains(&m) => Point::Month(y, m),
        _ => Point::Year(y),
    };
    Resolved::Point(point)
}

/// The year of month `m` (and `day`) nearest the anchor day `ad` in the direction
/// `lean` says.
fn lean_year(ad: NaiveDate, m: u32, day: Option<u32>, lean: Lean) -> i32 {
    let here = (m, day.unwrap_or(0));
    let there = (ad.month(), if day.is_some() { ad.day() } else { 0 });
    let y = ad.year();
    // Days from the anchor to the date in the anchor's year.
    let diff = ymd(y, m, day.unwrap_or(1).min(28)).map_or(0, |c| (c - ad).num_days());
    match lean {
        // A tense guess does not outweigh the calendar: a date a few weeks ahead in
        // a past-tense sentence is still this year's.
        Lean::Past if diff > 62 => y.saturating_sub(1),
        Lean::Future if diff < -62 => y.saturating_add(1),
        Lean::Before if here >= there => y.saturating_sub(1),
        Lean::After if here <= there => y.saturating_add(1),
        // Unstated: the nearest such date, leaning to the past.
        Lean::Unknown if diff > 153 => y.saturating_sub(1),
        Lean::Unknown if diff < -214 => y.saturating_add(1),
        _ => y,
    }
}

/// The year of a quarter or half starting in month `m`, said near the anchor day
/// `ad`. Results are reported after the period: a part that would start months
/// ahead is last year's, unless the tense looks ahead and it is far behind.
fn quarter_year(ad: NaiveDate, m: u32, lean: Lean) -> i32 {
    let y = ad.year();
    let diff = ymd(y, m, 1).map_or(0, |c| (c - ad).num_days());
    // Past results ("margins improved in the second half", said in March) are
    // last year's a little earlier than an unstated tense allows.
    if diff > 153 || (matches!(lean, Lean::Past | Lean::Before) && diff > 62) {
        y.saturating_sub(1)
    } else if matches!(lean, Lean::Future | Lean::After) && diff < -214 {
        y.saturating_add(1)
    } else {
        y
    }
}

/// The weekday (Monday = 1) nearest `d` in the direction `lean` says.
fn weekday_near(d: NaiveDate, weekday: u32, lean: Lean) -> Option<NaiveDate> {
    let today = d.weekday().number_from_monday();
    let back = (today + 7 - weekday) % 7; // 0..6 days back
    let fwd = (weekday + 7 - today) % 7; // 0..6 days ahead
    let days = match lean {
        Lean::Past | Lean::Unknown => -i64::from(back),
        Lean::Before => -i64::from(if back == 0 { 7 } else { back }),
        Lean::Future => i64::from(fwd),
        Lean::After => i64::from(if fwd == 0 { 7 } else { fwd }),
    };
    d.checked_add_signed(Duration::try_days(days)?)
}

fn shift(anchor: Option<Point>, unit: Unit, amount: i32, keep_grain: bool) -> Resolved {
    let Some(a) = anchor else {
        return text(unknown_value(unit));
    };
    if keep_grain && unit == Unit::Year {
        return shift_years(a, amount).map_or_else(|| text(unknown_value(unit)), Resolved::Point);
    }
    if a.grain() > unit && !(a.grain() == Unit::Weekend && unit == Unit::Day) {
        // "the next day" after "1998": nothing to count from.
        return text(unknown_value(unit));
    }
    let moved = a
        .first_day()
        .and_then(|d| add(d, unit, amount))
        .and_then(|d| point_at(d, unit));
    match moved {
        Some(Point::Decade(d, _)) => Resolved::Point(Point::Decade(d, true)),
        Some(p) => Resolved::Point(p),
        None => text(unknown_value(unit)),
    }
}

fn holiday_in(holiday: Holiday, y: i32) -> Option<NaiveDate> {
    match holiday {
        Holiday::NewYearsDay => ymd(y, 1, 1),
        Holiday::NewYearsEve => ymd(y, 12, 31),
        Holiday::ChristmasEve => ymd(y, 12, 24),
        Holiday::Christmas => ymd(y, 12, 25),
        Holiday::IndependenceDay => ymd(y, 7, 4),
        Holiday::Thanksgiving => nth_weekday(y, 11, Weekday::Thu, 4),
        Holiday::ElectionDay => nth_weekday(y, 11, Weekday::Mon, 1)
            .and_then(|d| d.checked_add_signed(Duration::days(1))),
        Holiday::Easter => easter(y),
    }
}

fn holiday_date(holiday: Holiday, year: YearSpec, anchor: Option<Point>) -> Resolved {
    let unknown = || text("XXXX-XX-XX");
    let y = match year {
        YearSpec::Implied { lean } => {
            let Some(ad) = anchor.and_then(|a| a.first_day()) else {
                return unknown();
            };
            let this = holiday_in(holiday, ad.year());
            let y = ad.year();
            match (lean, this) {
                (Lean::Past | Lean::Before, Some(d)) if d > ad => y.saturating_sub(1),
                (Lean::Future | Lean::After, Some(d)) if d < ad => y.saturating_add(1),
                // Unstated: the nearest one, leaning to the past, as for months.
                (Lean::Unknown, Some(d)) if (d - ad).num_days() > 153 => y.saturating_sub(1),
                (Lean::Unknown, Some(d)) if (d - ad).num_days() < -214 => y.saturating_add(1),
                _ => y,
            }
        }
        _ => match year_of(year, anchor) {
            Some(y) => y,
            None => return unknown(),
        },
    };
    holiday_in(holiday, y).map_or_else(unknown, |d| Resolved::Point(Point::Day(d)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> Point {
        Point::Day(ymd(y, m, d).unwrap_or(NaiveDate::MIN))
    }
    fn v(expr: Expr, anchor: Option<Point>) -> String {
        resolve(&expr, anchor).value()
    }

    #[test]
    fn weekdays_lean_to_the_tense() {
        let fri = Some(day(2002, 5, 10));
        let wd = |weekday, lean| Expr::Weekday { weekday, lean };
        assert_eq!(v(wd(3, Lean::Past), fri), "2002-05-08");
        assert_eq!(v(wd(5, Lean::Past), fri), "2002-05-10");
        assert_eq!(v(wd(5, Lean::Before), fri), "2002-05-03");
        assert_eq!(v(wd(3, Lean::Future), fri), "2002-05-15");
        assert_eq!(v(wd(5, Lean::After), fri), "2002-05-17");
        assert_eq!(v(wd(3, Lean::Past), None), "XXXX-WXX-3");
    }

    #[test]
    fn implied_years_follow_the_lean() {
        let may10 = Some(day(2002, 5, 10));
        let cal = |m, d, lean| Expr::Calendar {
            year: YearSpec::Implied { lean },
            month: Some(m),
            day: d,
        };
        assert_eq!(v(cal(3, Some(25), Lean::Before), may10), "2002-03-25");
        assert_eq!(v(cal(1, None, Lean::Before), may10), "2002-01");
        assert_eq!(v(cal(5, None, Lean::Before), may10), "2001-05");
        assert_eq!(v(cal(9, None, Lean::Past), may10), "2001-09");
        // Within two months a tense guess does not move the year.
        assert_eq!(v(cal(6, None, Lean::Past), may10), "2002-06");
        assert_eq!(v(cal(7, None, Lean::Unknown), may10), "2002-07");
        assert_eq!(v(cal(3, None, Lean::Future), may10), "2003-03");
        assert_eq!(v(cal(3, Some(25), Lean::Unknown), None), "XXXX-03-25");
    }

    #[test]
    fn shifts_count_in_the_unit() {
        let a = Some(day(2002, 5, 10));
        let s = |unit, amount| Expr::Shift {
            unit,
            amount,
            keep_grain: false,
        };
        assert_eq!(v(s(Unit::Day, -1), a), "2002-05-09");
        assert_eq!(v(s(Unit::Week, -1), a), "2002-W18");
        assert_eq!(v(s(Unit::Month, 1), a), "2002-06");
        assert_eq!(v(s(Unit::Year, -2), a), "2000");
        assert_eq!(v(s(Unit::Quarter, 0), a), "2002-Q2");
        assert_eq!(v(s(Unit::Decade, -1), a), "199");
        assert_eq!(v(s(Unit::Day, 1), Some(Point::Year(1998))), "XXXX-XX-XX");
        let keep = Expr::Shift {
            unit: Unit::Year,
            amount: -1,
            keep_grain: true,
        };
        assert_eq!(v(keep, Some(Point::Quarter(1989, 3))), "1988-Q3");
    }

    #[test]
    fn holidays_land_on_their_days() {
        let h = |holiday| Expr::Holiday {
            holiday,
            year: YearSpec::Implied { lean: Lean::Past },
        };
        let a = Some(day(2000, 1, 7));
        assert_eq!(v(h(Holiday::Thanksgiving), a), "1999-11-25");
        assert_eq!(v(h(Holiday::Christmas), a), "1999-12-25");
        assert_eq!(v(h(Holiday::NewYearsDay), a), "2000-01-01");
        let e = Expr::Holiday {
            holiday: Holiday::ElectionDay,
            year: YearSpec::Stated { year: 1998 },
        };
        assert_eq!(v(e, None), "1998-11-03");
    }

    #[test]
    fn latest_quarter_is_the_one_just_reported() {
        let latest = |year| Expr::LatestQuarter { year };
        let implied = YearSpec::Implied {
            lean: Lean::Unknown,
        };
        assert_eq!(v(latest(implied), Some(day(1989, 10, 26))), "1989-Q3");
        assert_eq!(v(latest(implied), Some(day(1989, 11, 1))), "1989-Q3");
        assert_eq!(v(latest(implied), Some(day(1989, 12, 20))), "1989-Q4");
        let stated = YearSpec::Stated { year: 1988 };
        assert_eq!(v(latest(stated), Some(day(1989, 10, 26))), "1988-Q3");
    }
}
