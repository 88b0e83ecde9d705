//! Resolved points in time at their own granularity, their TIMEX3 value strings,
//! the calendar interval each covers, and calendar arithmetic on them.

use chrono::{Datelike, Duration, NaiveDate, Weekday};

use super::lexicon::{DayPart, Season, Unit};
use crate::date::{EventDate, PartialDate};

/// A resolved date at the granularity the text gave it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Point {
    Day(NaiveDate),
    /// ISO year and week.
    Week(i32, u32),
    Weekend(i32, u32),
    Month(i32, u32),
    Quarter(i32, u32),
    Half(i32, u32),
    Season(i32, Season),
    Year(i32),
    /// First three digits of the year: 199 for the 1990s; `bare` drops the `X`.
    Decade(i32, bool),
    /// First two digits of the year: 19 for the 1900s.
    Century(i32),
    DayPart(NaiveDate, DayPart),
    Minute(NaiveDate, u32, u32),
}

pub(crate) fn ymd(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d)
}

fn year_ok(y: i32) -> bool {
    (0..=9999).contains(&y)
}

impl Point {
    /// The TIMEX3 value: `2002-05-08`, `2002-W19`, `2002-Q2`, `199`, `2002-05-08TMO`.
    pub(crate) fn value(&self) -> String {
        match *self {
            Point::Day(d) => format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day()),
            Point::Week(y, w) => format!("{y:04}-W{w:02}"),
            Point::Weekend(y, w) => format!("{y:04}-W{w:02}-WE"),
            Point::Month(y, m) => format!("{y:04}-{m:02}"),
            Point::Quarter(y, q) => format!("{y:04}-Q{q}"),
            Point::Half(y, h) => format!("{y:04}-H{h}"),
            Point::Season(y, s) => format!("{y:04}-{}", s.code()),
            Point::Year(y) => format!("{y:04}"),
            Point::Decade(d, bare) => {
                if bare {
                    format!("{d:03}")
                } else {
                    format!("{d:03}X")
                }
            }
            Point::Century(c) => format!("{c:02}"),
            Point::DayPart(d, p) => format!("{}T{}", Point::Day(d).value(), p.code()),
            Point::Minute(d, h, m) => format!("{}T{h:02}:{m:02}", Point::Day(d).value()),
        }
    }

    /// The calendar interval the point covers, at the precision Annals stores.
    pub(crate) fn interval(&self) -> Option<EventDate> {
        let day = |d: NaiveDate| PartialDate::from_naive(d);
        let range = |a: PartialDate, b: PartialDate| EventDate::new(a, Some(b), false).ok();
        match *self {
            Point::Day(d) | Point::DayPart(d, _) => Some(EventDate::at(day(d))),
            Point::Minute(d, h, m) => PartialDate::minute(d.year(), d.month(), d.day(), h, m)
                .ok()
                .map(EventDate::at),
            Point::Week(y, w) | Point::Weekend(y, w) => {
                let mon = NaiveDate::from_isoywd_opt(y, w, Weekday::Mon)?;
                let (a, b) = if matches!(self, Point::Weekend(..)) {
                    (
                        mon.checked_add_signed(Duration::days(5))?,
                        mon.checked_add_signed(Duration::days(6))?,
                    )
                } else {
                    (mon, mon.checked_add_signed(Duration::days(6))?)
                };
                range(day(a), day(b))
            }
            Point::Month(y, m) => PartialDate::month(y, m).ok().map(EventDate::at),
            Point::Quarter(y, q) => {
                month_range(y, q.checked_mul(3)?.checked_sub(2)?, y, q.checked_mul(3)?)
            }
            Point::Half(y, h) => {
                month_range(y, h.checked_mul(6)?.checked_sub(5)?, y, h.checked_mul(6)?)
            }
            Point::Season(y, s) => {
                let (a, b) = s.months();
                if a > b {
                    month_range(y, a, y + 1, b)
                } else {
                    month_range(y, a, y, b)
                }
            }
            Point::Year(y) => PartialDate::year(y).ok().map(EventDate::at),
            Point::Decade(d, _) => {
                year_range(d.checked_mul(10)?, d.checked_mul(10)?.checked_add(9)?)
            }
            Point::Century(c) => {
                year_range(c.checked_mul(100)?, c.checked_mul(100)?.checked_add(99)?)
            }
        }
    }

    /// The first day the point covers, where it has one.
    pub(crate) fn first_day(&self) -> Option<NaiveDate> {
        match *self {
            Point::Day(d) | Point::DayPart(d, _) | Point::Minute(d, ..) => Some(d),
            Point::Week(y, w) | Point::Weekend(y, w) => {
                NaiveDate::from_isoywd_opt(y, w, Weekday::Mon)
            }
            Point::Month(y, m) => ymd(y, m, 1),
            Point::Quarter(y, q) => ymd(y, q.checked_mul(3)?.checked_sub(2)?, 1),
            Point::Half(y, h) => ymd(y, h.checked_mul(6)?.checked_sub(5)?, 1),
            Point::Season(y, s) => ymd(y, s.months().0, 1),
            Point::Year(y) => ymd(y, 1, 1),
            Point::Decade(d, _) => ymd(d.checked_mul(10)?, 1, 1),
            Point::Century(c) => ymd(c.checked_mul(100)?, 1, 1),
        }
    }

    /// How fine the point is: the unit of its granularity.
    pub(crate) fn grain(&self) -> Unit {
        match self {
            Point::Day(_) | Point::DayPart(..) => Unit::Day,
            Point::Minute(..) => Unit::Minute,
            Point::Week(..) => Unit::Week,
            Point::Weekend(..) => Unit::Weekend,
            Point::Month(..) => Unit::Month,
            Point::Quarter(..) => Unit::Quarter,
            Point::Half(..) => Unit::Half,
            Point::Season(..) => Unit::Quarter,
            Point::Year(_) => Unit::Year,
            Point::Decade(..) => Unit::Decade,
            Point::Century(_) => Unit::Century,
        }
    }

    pub(crate) fn year(&self) -> Option<i32> {
        match *self {
            Point::Decade(..) | Point::Century(_) => None,
            Point::Week(y, _) | Point::Weekend(y, _) => Some(y),
            _ => self.first_day().map(|d| d.year()),
        }
    }
}

fn month_range(y1: i32, m1: u32, y2: i32, m2: u32) -> Option<EventDate> {
    let a = PartialDate::month(y1, m1).ok()?;
    let b = PartialDate::month(y2, m2).ok()?;
    EventDate::new(a, Some(b), false).ok()
}

fn year_range(a: i32, b: i32) -> Option<EventDate> {
    let a = PartialDate::year(a).ok()?;
    let b = PartialDate::year(b).ok()?;
    EventDate::new(a, Some(b), false).ok()
}

/// The point of granularity `unit` that holds `day`.
pub(crate) fn point_at(day: NaiveDate, unit: Unit) -> Option<Point> {
    let (y, m) = (day.year(), day.month());
    let p = match unit {
        Unit::Second | Unit::Minute | Unit::Hour | Unit::Day => Point::Day(day),
        Unit::Week => {
            let w = day.iso_week();
            Point::Week(w.year(), w.week())
        }
        Unit::Weekend => {
            let w = day.iso_week();
            Point::Weekend(w.year(), w.week())
        }
        Unit::Month => Point::Month(y, m),
        Unit::Quarter => Point::Quarter(y, (m - 1) / 3 + 1),
        Unit::Half => Point::Half(y, (m - 1) / 6 + 1),
        Unit::Year => Point::Year(y),
        Unit::Decade => Point::Decade(y.div_euclid(10), true),
        Unit::Century => Point::Century(y.div_euclid(100)),
    };
    year_ok(y).then_some(p)
}

/// `day` moved by `amount` units (months clamp to the month's last day).
pub(crate) fn add(day: NaiveDate, unit: Unit, amount: i32) -> Option<NaiveDate> {
    let months = |n: i64| -> Option<NaiveDate> {
        let total = i64::from(day.year()) * 12 + i64::from(day.month0()) + n;
        let y = i32::try_from(total.div_euclid(12)).ok()?;
        let m = u32::try_from(total.rem_euclid(12)).ok()? + 1;
        if !year_ok(y) {
            return None;
        }
        (1..=day.day()).rev().find_map(|d| ymd(y, m, d))
    };
    let n = i64::from(amount);
    match unit {
        Unit::Second | Unit::Minute | Unit::Hour => Some(day),
        Unit::Day => day.checked_add_signed(Duration::try_days(n)?),
        Unit::Week | Unit::Weekend => day.checked_add_signed(Duration::try_days(n * 7)?),
        Unit::Month => months(n),
        Unit::Quarter => months(n * 3),
        Unit::Half => months(n * 6),
        Unit::Year => months(n * 12),
        Unit::Decade => months(n * 120),
        Unit::Century => months(n * 1200),
    }
    .filter(|d| year_ok(d.year()))
}

/// `point` moved by whole years, keeping its granularity ("a year earlier" after
/// "the third quarter").
pub(crate) fn shift_years(point: Point, years: i32) -> Option<Point> {
    let y = |y: i32| -> Option<i32> { y.checked_add(years).filter(|y| year_ok(*y)) };
    Some(match point {
        Point::Day(d) => Point::Day(add(d, Unit::Year, years)?),
        Point::DayPart(d, p) => Point::DayPart(add(d, Unit::Year, years)?, p),
        Point::Minute(d, h, m) => Point::Minute(add(d, Unit::Year, years)?, h, m),
        Point::Week(a, w) => Point::Week(y(a)?, w),
        Point::Weekend(a, w) => Point::Weekend(y(a)?, w),
        Point::Month(a, m) => Point::Month(y(a)?, m),
        Point::Quarter(a, q) => Point::Quarter(y(a)?, q),
        Point::Half(a, h) => Point::Half(y(a)?, h),
        Point::Season(a, s) => Point::Season(y(a)?, s),
        Point::Year(a) => Point::Year(y(a)?),
        Point::Decade(..) | Point::Century(_) => return None,
    })
}

/// The TIMEX3 value of a date the text does not let us place: `XXXX-XX-XX` for a day.
pub(crate) fn unknown_value(unit: Unit) -> &'static str {
    match unit {
        Unit::Second | Unit::Minute | Unit::Hour | Unit::Day => "XXXX-XX-XX",
        Unit::Week => "XXXX-WXX",
        Unit::Weekend => "XXXX-WXX-WE",
        Unit::Month => "XXXX-XX",
        Unit::Quarter => "XXXX-QX",
        Unit::Half => "XXXX-HX",
        Unit::Year => "XXXX",
        Unit::Decade => "XXX",
        Unit::Century => "XX",
    }
}

/// Easter Sunday (Gregorian, anonymous algorithm).
pub(crate) fn easter(y: i32) -> Option<NaiveDate> {
    let a = y % 19;
    let b = y / 100;
    let c = y % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    ymd(y, u32::try_from(month).ok()?, u32::try_from(day).ok()?)
}

/// The n-th given weekday of a month (n from 1).
pub(crate) fn nth_weekday(y: i32, m: u32, weekday: Weekday, n: u32) -> Option<NaiveDate> {
    NaiveDate::from_weekday_of_month_opt(y, m, weekday, u8::try_from(n).ok()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, dd: u32) -> NaiveDate {
        ymd(y, m, dd).unwrap_or(NaiveDate::MIN)
    }

    #[test]
    fn values_follow_timex3_forms() {
        assert_eq!(Point::Day(d(2002, 5, 8)).value(), "2002-05-08");
        assert_eq!(Point::Week(2002, 7).value(), "2002-W07");
        assert_eq!(Point::Weekend(1990, 32).value(), "1990-W32-WE");
        assert_eq!(Point::Quarter(2002, 2).value(), "2002-Q2");
        assert_eq!(Point::Season(2002, Season::Summer).value(), "2002-SU");
        assert_eq!(Point::Decade(199, true).value(), "199");
        assert_eq!(Point::Decade(199, false).value(), "199X");
        assert_eq!(Point::Century(19).value(), "19");
        assert_eq!(
            Point::DayPart(d(2002, 5, 10), DayPart::Night).value(),
            "2002-05-10TNI"
        );
        assert_eq!(
            Point::Minute(d(2008, 7, 7), 20, 11).value(),
            "2008-07-07T20:11"
        );
    }

    #[test]
    fn month_arithmetic_clamps_to_the_last_day() {
        assert_eq!(add(d(2002, 3, 31), Unit::Month, -1), Some(d(2002, 2, 28)));
        assert_eq!(add(d(2000, 2, 29), Unit::Year, 1), Some(d(2001, 2, 28)));
        assert_eq!(
            add(d(2002, 1, 15), Unit::Quarter, -1),
            Some(d(2001, 10, 15))
        );
        assert_eq!(add(d(9999, 12, 31), Unit::Day, 1), None);
    }

    #[test]
    fn intervals_cover_the_whole_period() {
        let q = Point::Quarter(2002, 2).interval().map(|e| e.to_string());
        assert_eq!(q.as_deref(), Some("2002-04/2002-06"));
        let w = Point::Week(2002, 19).interval().map(|e| e.to_string());
        assert_eq!(w.as_deref(), Some("2002-05-06/2002-05-12"));
        let dec = Point::Decade(195, true).interval().map(|e| e.to_string());
        assert_eq!(dec.as_deref(), Some("1950/1959"));
        let winter = Point::Season(2001, Season::Winter)
            .interval()
            .map(|e| e.to_string());
        assert_eq!(winter.as_deref(), Some("2001-12/2002-02"));
    }

    #[test]
    fn easter_and_nth_weekday_match_known_dates() {
        assert_eq!(easter(2000), Some(d(2000, 4, 23)));
        assert_eq!(easter(2002), Some(d(2002, 3, 31)));
        assert_eq!(
            nth_weekday(1999, 11, Weekday::Thu, 4),
            Some(d(1999, 11, 25))
        );
    }
}
