//! Discourse: what each expression is anchored to. "The next day" is the day after
//! the previous date of the same paragraph (or, when the paragraph has none, after
//! the story's own day, its first date relative to the publication date); only a
//! date fine enough to count from qualifies ("the next day" skips "1998", "the
//! following month" in a new paragraph goes on from the last month named). "A year
//! ago" after "the third quarter" is that quarter a year before. A month left
//! without a year takes the year of the list or range it is in ("April and May
//! 1998"). Also pairs the two ends of "from May to July" and "between 1998 and
//! 2001".

use super::expr::{Expr, YearSpec};
use super::grammar::{AnchorRule, Hit};
use super::lexicon::{Kw, Lex, Unit};
use super::scan::{Gap, Tok};
use super::Anchor;

/// "in April, August and December last year", "March 3 and April 5, 2002", "from
/// November to March 1998": a month the text leaves without a year takes the year
/// of the list or range it ends, the year before for a range that wraps.
fn share_years(toks: &[Tok], hits: &mut [Hit]) {
    for i in (1..hits.len()).rev() {
        let (a, b) = (&hits[i - 1], &hits[i]);
        let (
            Expr::Calendar {
                year: YearSpec::Implied { .. },
                month: Some(ma),
                ..
            },
            Expr::Calendar {
                year: shared @ (YearSpec::Stated { .. } | YearSpec::Relative { .. }),
                month: Some(mb),
                ..
            },
        ) = (&a.expr, &b.expr)
        else {
            continue;
        };
        let Some(between) = toks.get(a.last..b.first) else {
            continue;
        };
        let lex: Vec<Lex> = between.iter().map(|t| t.lex).collect();
        let range = match lex[..] {
            [Lex::Punct(b',')]
            | [Lex::Kw(Kw::And | Kw::Or)]
            | [Lex::Punct(b','), Lex::Kw(Kw::And | Kw::Or)] => false,
            [Lex::Kw(Kw::To | Kw::Through | Kw::Until)] | [Lex::Punct(b'-')] => true,
            _ => continue,
        };
        let back = i32::from(range && ma > mb);
        let year = match *shared {
            YearSpec::Stated { year } => YearSpec::Stated {
                year: year.saturating_sub(back),
            },
            YearSpec::Relative { years } => YearSpec::Relative {
                years: years.saturating_sub(back),
            },
            y => y,
        };
        let absolute = matches!(year, YearSpec::Stated { .. });
        let a = &mut hits[i - 1];
        if let Expr::Calendar { year: y, .. } = &mut a.expr {
            *y = year;
        }
        if absolute {
            a.anchor = AnchorRule::Absolute;
        }
    }
}

/// Whether an expression denotes a position on the calendar that later ones can be
/// counted from.
fn is_date_like(expr: &Expr) -> bool {
    !matches!(
        expr,
        Expr::Duration { .. }
            | Expr::Set { .. }
            | Expr::Ref { .. }
            | Expr::Decade { .. }
            | Expr::Century { .. }
    )
}

/// A day-level expression relative to the publication date: the story's day.
fn is_story_day(expr: &Expr, anchor: AnchorRule) -> bool {
    anchor == AnchorRule::Dct
        && match expr {
            Expr::Weekday { .. } => true,
            Expr::Shift { unit, .. } => *unit == Unit::Day,
            Expr::Time { date: Some(d), .. } => is_story_day(d, anchor),
            _ => false,
        }
}

/// A single day: what a bare time of day falls on.
fn is_day_level(expr: &Expr) -> bool {
    match expr {
        Expr::Calendar { day, .. } => day.is_some(),
        Expr::Weekday { .. } | Expr::Holiday { .. } => true,
        Expr::Shift { unit, .. } => *unit == Unit::Day,
        Expr::Time { date, .. } => date.as_deref().is_some_and(is_day_level),
        _ => false,
    }
}

/// How fine a date expression is, before it is resolved.
fn grain(expr: &Expr) -> Unit {
    match expr {
        Expr::Calendar { month, day, .. } => match (month, day) {
            (_, Some(_)) => Unit::Day,
            (Some(_), None) => Unit::Month,
            _ => Unit::Year,
        },
        Expr::Weekday { .. } | Expr::Holiday { .. } | Expr::Time { .. } => Unit::Day,
        Expr::Shift {
            keep_grain: true, ..
        } => Unit::Quarter,
        Expr::Shift { unit, .. } => (*unit).max(Unit::Day),
        Expr::YearPart { unit, .. } => *unit,
        Expr::LatestQuarter { .. } | Expr::Season { .. } => Unit::Quarter,
        Expr::Weekend { .. } => Unit::Day,
        Expr::Range { begin, .. } => grain(begin),
        Expr::Decade { .. } => Unit::Decade,
        Expr::Century { .. } => Unit::Century,
        Expr::Ref { .. } | Expr::Duration { .. } | Expr::Set { .. } => Unit::Century,
    }
}

/// The coarsest anchor an expression counted from a previous date can use: "the
/// next day" needs a day, "the following month" a month or finer.
fn needed_grain(expr: &Expr) -> Unit {
    match expr {
        Expr::Shift { unit, .. } => match unit {
            Unit::Weekend | Unit::Week => Unit::Week,
            u => (*u).max(Unit::Day),
        },
        _ => Unit::Day,
    }
}

/// "the same month last year": a month a year before the one told.
fn is_month_year_back(expr: &Expr) -> bool {
    matches!(
        expr,
        Expr::Shift {
            unit: Unit::Month,
            amount: -12,
            ..
        }
    )
}

fn is_quarter_like(expr: &Expr) -> bool {
    match expr {
        Expr::YearPart { unit, .. } => *unit == Unit::Quarter || *unit == Unit::Half,
        Expr::LatestQuarter { .. } => true,
        Expr::Shift {
            unit, keep_grain, ..
        } => *unit == Unit::Quarter || *keep_grain,
        _ => false,
    }
}

/// The anchor of each hit, and the partner of each range end, in hit order.
/// Rewrites `keep_grain` of "a year ago" shifts that follow a quarter.
pub(crate) fn link(toks: &[Tok], hits: &mut [Hit]) -> (Vec<Anchor>, Vec<Option<usize>>) {
    share_years(toks, hits);
    // Paragraph number of each hit.
    let mut paragraphs = Vec::with_capacity(hits.len());
    let mut para = 0usize;
    let mut t = 0usize;
    for h in hits.iter() {
        while t <= h.first && t < toks.len() {
            if toks[t].gap == Gap::Paragraph {
                para += 1;
            }
            t += 1;
        }
        paragraphs.push(para);
    }
    let mut anchors = Vec::with_capacity(hits.len());
    let mut story_day: Option<usize> = None;
    // Running state, so that linking stays linear in the number of hits.
    let mut date_in_paragraph: Option<usize> = None;
    let mut day_in_paragraph: Option<usize> = None;
    let mut recent_dates: std::collections::VecDeque<usize> = Default::default();
    for i in 0..hits.len() {
        if i > 0 && paragraphs[i] != paragraphs[i - 1] {
            date_in_paragraph = None;
            day_in_paragraph = None;
        }
        let anchor = match hits[i].anchor {
            AnchorRule::Absolute => Anchor::Absolute,
            AnchorRule::Dct => Anchor::Dct,
            AnchorRule::Previous => {
                // A date fine enough to count from: "the next day" cannot count
                // from "1998". Within the paragraph the latest such date; past it,
                // a month or year goes on from the story's latest dates ("In March
                // ... ¶ The following month"), a day from the story's own day.
                let need = needed_grain(&hits[i].expr);
                // "the same month last year" said twice counts both times from the
                // month told, not the second from the first.
                let back = is_month_year_back(&hits[i].expr);
                let fits = |p: &usize| {
                    grain(&hits[*p].expr) <= need && !(back && is_month_year_back(&hits[*p].expr))
                };
                let earlier = || recent_dates.iter().rev().copied().find(|p| fits(p));
                let found = match date_in_paragraph {
                    Some(p) if fits(&p) => Some(p),
                    Some(_) => earlier().or(story_day.filter(fits)),
                    None if need >= Unit::Month => earlier().or(story_day.filter(fits)),
                    None => story_day.filter(fits).or_else(earlier),
                };
                match found {
                    Some(index) => Anchor::Previous { index },
                    None => Anchor::Dct,
                }
            }
            AnchorRule::PreviousDay => match day_in_paragraph.or(story_day) {
                Some(index) => Anchor::Previous { index },
                None => Anchor::Dct,
            },
            AnchorRule::QuarterContext => {
                // The nearest quarter among the last few dates, followed back through
                // other "a year earlier"s to the quarter they all count from.
                let mut quarter = recent_dates
                    .iter()
                    .rev()
                    .copied()
                    .find(|&p| is_quarter_like(&hits[p].expr));
                let mut hops = 0;
                while let Some(q) = quarter {
                    match (&hits[q].expr, anchors.get(q)) {
                        (
                            Expr::Shift {
                                keep_grain: true, ..
                            },
                            Some(Anchor::Previous { index }),
                        ) if hops < 8 => {
                            quarter = Some(*index);
                            hops += 1;
                        }
                        _ => break,
                    }
                }
                match quarter {
                    Some(index) => {
                        if let Expr::Shift { keep_grain, .. } = &mut hits[i].expr {
                            *keep_grain = true;
                        }
                        Anchor::Previous { index }
                    }
                    None => Anchor::Dct,
                }
            }
        };
        if story_day.is_none() && is_story_day(&hits[i].expr, hits[i].anchor) {
            story_day = Some(i);
        }
        if is_date_like(&hits[i].expr) {
            date_in_paragraph = Some(i);
            recent_dates.push_back(i);
            if recent_dates.len() > 6 {
                recent_dates.pop_front();
            }
        }
        if is_day_level(&hits[i].expr) {
            day_in_paragraph = Some(i);
        }
        anchors.push(anchor);
    }
    let mut partners = vec![None; hits.len()];
    for i in 1..hits.len() {
        let (a, b) = (&hits[i - 1], &hits[i]);
        if !(is_date_like(&a.expr) && is_date_like(&b.expr))
            || a.first == 0
            || b.first != a.last + 1
        {
            continue;
        }
        let lead = toks.get(a.first - 1).map(|t| t.lex);
        let sep = toks.get(a.last).map(|t| t.lex);
        let paired = matches!(
            (lead, sep),
            (
                Some(Lex::Kw(Kw::From)),
                Some(Lex::Kw(Kw::To | Kw::Through | Kw::Until) | Lex::Punct(b'-'))
            ) | (Some(Lex::Kw(Kw::Between)), Some(Lex::Kw(Kw::And)))
        );
        if paired {
            partners[i - 1] = Some(i);
            partners[i] = Some(i - 1);
        }
    }
    (anchors, partners)
}
