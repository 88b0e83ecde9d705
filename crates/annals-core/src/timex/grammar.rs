//! The grammar: which token sequences are date and time expressions, and what each
//! says ([`Expr`]). It runs over the tokens once, left to right; only a token that
//! can start an expression (a month, weekday, number, or one of a few dozen words)
//! is looked at further, and every rule looks ahead a bounded number of tokens, so
//! the whole pass is linear in the length of the text.

use super::expr::{Expr, Holiday, Lean, RefKind, YearSpec};
use super::lexicon::{DayPart, Kw, Lex, Season, Unit};
use super::scan::{Gap, Tok};
use super::{Modifier, TimexType};

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

    /// The tense token `i` marks, if any: "will", "said", "-ed". A noun "plan" or
    /// the "due to" of a cause marks none; "be" + participle ("will be held", "to be
    /// completed") reads as future.
    fn marker(&self, i: usize) -> Option<Lean> {
        match self.at(i) {
            Lex::Future => {
                let w = self.word(i);
                let to_follows = self.kw(i + 1, Kw::To);
                if (w.eq_ignore_ascii_case("plan") || w.eq_ignore_ascii_case("plans"))
                    && !to_follows
                {
                    return None;
                }
                // "the hastily planned trip", "the expected cut": an adjective.
                if self.adjectival(i) {
                    return None;
                }
                // "due to the strike" gives a cause; "are due to vote" a timetable.
                if w.eq_ignore_ascii_case("due")
                    && to_follows
                    && !(i > 0 && ["is", "are", "re"].iter().any(|p| self.is_word(i - 1, p)))
                {
                    return None;
                }
                Some(Lean::Future)
            }
            Lex::PastTense => {
                if i > 0 && self.is_word(i - 1, "be") {
                    return Some(self.be_lean(i - 1));
                }
                // "is being traded", "will stay closed": a state, no tense to go by.
                if i > 0
                    && ["being", "stay", "stays", "remain", "remains"]
                        .iter()
                        .any(|w| self.is_word(i - 1, w))
                {
                    return None;
                }
                (!self.adjectival(i)).then_some(Lean::Past)
            }
            _ if self.is_word(i, "be") => Some(self.be_lean(i)),
            _ if self.scheduled(i) => Some(Lean::Future),
            _ if self.bare_past(i) => {
                // "the talks are set to resume": a timetable.
                if self.is_word(i, "set") && self.kw(i + 1, Kw::To) {
                    Some(Lean::Future)
                } else {
                    Some(Lean::Past)
                }
            }
            // "is to resume trading Tuesday": an arrangement ahead.
            Lex::Kw(Kw::To)
                if i > 0 && (self.is_word(i - 1, "is") || self.is_word(i - 1, "are")) =>
            {
                Some(Lean::Future)
            }
            _ => None,
        }
    }

    /// The tense of "be" at `i`: ahead ("will be held", "to be completed"), except
    /// after a past "could" with a negation: "could not be reached Tuesday",
    /// "neither he nor his aides could be located Wednesday".
    fn be_lean(&self, i: usize) -> Lean {
        let could = (i.saturating_sub(3)..i).find(|&k| {
            self.is_word(k, "could") || self.is_word(k, "couldn") || self.is_word(k, "cannot")
        });
        let Some(could) = could else {
            return Lean::Future;
        };
        let from = (could.saturating_sub(8)..could)
            .rev()
            .find(|&k| self.sentence_end(k))
            .map_or(could.saturating_sub(8), |k| k + 1);
        let negated = (from..i).any(|k| {
            ["not", "t", "neither", "nor", "never", "cannot", "couldn"]
                .iter()
                .any(|w| self.is_word(k, w))
        });
        if negated {
            Lean::Past
        } else {
            Lean::Future
        }
    }

    /// A verb of the timetable in the present tense: "talks resume Monday", "the
    /// president leaves Tuesday", "the law takes effect Friday" tell what is to come.
    /// Not after "did" or "had" ("did not meet Monday").
    fn scheduled(&self, i: usize) -> bool {
        if i == 0 || self.at(i) != Lex::Other {
            return false;
        }
        let mut buf = [0u8; 8];
        let third = match self.lower(i, &mut buf) {
            b"begins" | b"goes" | b"opens" | b"reopens" | b"resumes" | b"meets" | b"leaves"
            | b"arrives" | b"visits" | b"travels" | b"heads" | b"returns" | b"ends" | b"closes"
            | b"convenes" | b"expires" | b"holds" | b"takes" | b"hosts" | b"launches"
            | b"debuts" => true,
            b"begin" | b"open" | b"reopen" | b"resume" | b"meet" | b"leave" | b"arrive"
            | b"visit" | b"travel" | b"return" | b"convene" | b"host" => false,
            _ => return false,
        };
        // "a return to", "his visits", "Ford, which holds": a noun, or a clause
        // about something else.
        if matches!(
            self.at(i - 1),
            Lex::Kw(Kw::A | Kw::The | Kw::Its | Kw::That)
        ) || ["his", "her", "their", "our", "which", "who"]
            .iter()
            .any(|w| self.is_word(i - 1, w))
        {
            return false;
        }
        third
            || !(i.saturating_sub(2)..i).any(|p| {
                ["did", "didn", "had", "never", "not"]
                    .iter()
                    .any(|w| self.is_word(p, w))
            })
    }

    /// A verb whose past looks like its present ("set", "cut", "hit"), after a
    /// subject rather than an auxiliary: "the ministry set Friday as the deadline".
    fn bare_past(&self, i: usize) -> bool {
        if i == 0 || self.at(i) != Lex::Other {
            return false;
        }
        let mut buf = [0u8; 8];
        if !matches!(
            self.lower(i, &mut buf),
            b"set" | b"cut" | b"hit" | b"put" | b"shut" | b"quit"
        ) {
            return false;
        }
        let mut buf = [0u8; 8];
        let aux = matches!(
            self.lower(i - 1, &mut buf),
            b"will"
                | b"would"
                | b"to"
                | b"can"
                | b"could"
                | b"may"
                | b"might"
                | b"must"
                | b"should"
                | b"shall"
                | b"is"
                | b"are"
                | b"be"
                | b"been"
                | b"being"
                | b"has"
                | b"have"
                | b"not"
                | b"t"
                | b"do"
                | b"does"
                | b"ll"
        );
        !aux && !matches!(
            self.at(i - 1),
            Lex::Kw(Kw::A | Kw::The | Kw::Its) | Lex::Future
        )
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

    /// The "-ed" word at `i` is an adjective: "a still unspecified date", "the
    /// revised plan", "a planned visit".
    fn adjectival(&self, i: usize) -> bool {
        let determiner = |k: usize| {
            matches!(self.at(k), Lex::Kw(Kw::A | Kw::The | Kw::Its))
                || ["his", "her", "their", "our"]
                    .iter()
                    .any(|w| self.is_word(k, w))
        };
        // "the hastily planned trip": an adverb between the determiner and the word.
        let adverb =
            |k: usize| k > 0 && determiner(k - 1) && self.word(k).ends_with("ly") && !self.cap(k);
        i > 0
            && self.word(i).ends_with("ed")
            && (determiner(i - 1)
                || adverb(i - 1)
                || ["still", "newly"].iter().any(|w| self.is_word(i - 1, w)))
    }

    /// Token `i` ends a sentence: ".", "!", "?", ";", but not the period of an
    /// initial or a title ("Daniel P. Davison", "Mr.", "Corp.", "Sept.").
    fn sentence_end(&self, i: usize) -> bool {
        match self.at(i) {
            Lex::Punct(b'.') => {
                if i == 0 || !self.attached(i) {
                    return true;
                }
                let w = self.word(i - 1);
                let initial = w.len() == 1 && w.bytes().all(|b| b.is_ascii_uppercase());
                let title = matches!(
                    w,
                    "Mr" | "Mrs"
                        | "Ms"
                        | "Dr"
                        | "Jr"
                        | "Sr"
                        | "St"
                        | "Inc"
                        | "Corp"
                        | "Co"
                        | "Ltd"
                        | "Gen"
                        | "Sen"
                        | "Rep"
                        | "Gov"
                        | "Lt"
                        | "Col"
                        | "Sgt"
                        | "Prof"
                        | "Rev"
                        | "Mt"
                        | "Ft"
                        | "No"
                        | "vs"
                );
                let month_abbr = matches!(self.at(i - 1), Lex::Month(_, true));
                !(initial || title || month_abbr)
            }
            Lex::Punct(c) => SENTENCE_END.contains(&c),
            _ => false,
        }
    }

    /// The tense around tokens `[first, last)`: the nearest tense marker before it in
    /// the same sentence (up to 10 tokens back), else the nearest after it (16 ahead:
    /// "On Tuesday, <a long subject> plans to").
    /// A date a change takes effect, or a deadline, is not dated by the tense of
    /// the verb that set it: "approved a law effective January 1" leaves the year
    /// open, "will cease production effective August 26" looks ahead.
    fn tense(&self, first: usize, last: usize) -> Lean {
        let lean = self.verb_tense(first, last);
        let effective = first > 0 && self.is_word(first - 1, "effective");
        let deadline = first > 0 && self.kw(first - 1, Kw::By);
        match lean {
            Lean::Past if effective || deadline => Lean::Unknown,
            _ if effective => Lean::Future,
            l => l,
        }
    }

    fn verb_tense(&self, first: usize, last: usize) -> Lean {
        // The verb that governs a date mostly comes before it ("said Friday", "will
        // meet on Tuesday"); one after it counts only when there is none before.
        // "as soon as Tuesday", "as early as next week": a date still ahead.
        if first >= 3
            && self.is_word(first - 3, "as")
            && (self.is_word(first - 2, "soon") || self.is_word(first - 2, "early"))
            && self.is_word(first - 1, "as")
        {
            return Lean::Future;
        }
        // "the deadline is Monday", "the vote is on Sunday": a date still ahead.
        let copula = |k: usize| self.is_word(k, "is") || self.is_word(k, "are");
        if first >= 1
            && (copula(first - 1)
                || (first >= 2 && self.kw(first - 1, Kw::On) && copula(first - 2)))
        {
            return Lean::Future;
        }
        // "postponed until Tuesday", "extended its deadline until Friday": whatever
        // the tense of the delay, the new date lies ahead.
        if first >= 2 && matches!(self.at(first - 1), Lex::Kw(Kw::Until | Kw::To)) {
            let mut i = first - 1;
            while i > 0 && i + 5 > first {
                i -= 1;
                if self.sentence_end(i) {
                    break;
                }
                let w = self.word(i).as_bytes();
                let delay = [
                    "postpon",
                    "delay",
                    "defer",
                    "adjourn",
                    "extend",
                    "reschedul",
                    "deadline",
                ]
                .iter()
                .any(|p| w.len() >= p.len() && w[..p.len()].eq_ignore_ascii_case(p.as_bytes()));
                if delay {
                    return Lean::Future;
                }
            }
        }
        let mut i = first;
        let mut steps = 0;
        while i > 0 && steps < 10 {
            if self.toks.get(i).is_some_and(|t| t.gap == Gap::Paragraph) {
                break;
            }
            i -= 1;
            steps += 1;
            if let Some(l) = self.marker(i) {
                return l;
            }
            if self.sentence_end(i) {
                break;
            }
        }
        let mut i = last;
        let mut steps = 0;
        while i < self.toks.len() && steps < 16 {
            if self.toks.get(i).is_some_and(|t| t.gap == Gap::Paragraph) {
                break;
            }
            steps += 1;
            if let Some(l) = self.marker(i) {
                return l;
            }
            if self.sentence_end(i) {
                break;
            }
            i += 1;
        }
        // No verb to go by: "by February", "until Tuesday" set a deadline ahead.
        if first > 0 && matches!(self.at(first - 1), Lex::Kw(Kw::By | Kw::Until)) {
            return Lean::Future;
        }
        Lean::Unknown
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
                    && self.at(i + 3) == Lex::Unit(Unit::Year, false) =>
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
            Lex::Unit(Unit::Year, false) => self.year_compound(j, j),
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

    /// A year in words: "nineteen ninety-six", "nineteen seventy-nine" (and "the year
    /// two thousand", where "the year" says it is one). Returns the year and the end.
    fn spelled_year(&self, i: usize) -> Option<(i32, usize)> {
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
    fn year_at(&self, i: usize) -> Option<i32> {
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
    fn letters_follow(&self, i: usize) -> bool {
        self.attached(i + 1)
            && matches!(
                self.at(i + 1),
                Lex::Other | Lex::Kw(_) | Lex::Unit(..) | Lex::Month(..)
            )
            && !self.is_word(i + 1, "s")
    }

    /// The number at `i` goes on as a decimal, a thousands group or a percentage.
    fn number_continues(&self, i: usize) -> bool {
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

    /// "May 10, 2002", "May 2002", "Aug. 7", "March", "June last year".
    fn month_date(&self, j: usize, m: u8, abbr: bool, lean: Option<Lean>) -> Option<Hit> {
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
        } else if comma == 0 && self.kw(k, Kw::Of) {
            if let Some(y) = self.year_at(k + 1) {
                year = Some(YearSpec::Stated { year: y });
                k += 2;
            }
        } else if comma == 0 && self.at(k + 1) == Lex::Unit(Unit::Year, false) {
            let rel = match self.at(k) {
                Lex::Kw(Kw::Last) => Some(-1),
                Lex::Kw(Kw::This) => Some(0),
                Lex::Kw(Kw::Next) => Some(1),
                _ => None,
            };
            if let Some(years) = rel {
                year = Some(YearSpec::Relative { years });
                k += 2;
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
    fn bare_month_ok(&self, j: usize, m: u8) -> bool {
        if m != 5 && m != 3 {
            return true;
        }
        if j == 0 {
            return false;
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
    fn weekday(&self, j: usize, w: u8, plural: bool, lean: Option<Lean>) -> Option<Hit> {
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
    fn with_day_part(&self, first: usize, k: usize, date: Expr) -> Option<Hit> {
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

    /// Expressions starting with digits.
    fn number(&self, j: usize, v: u32, digits: u8) -> Option<Hit> {
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
    fn year_context(&self, j: usize) -> bool {
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
    fn counted(&self, first: usize, j: usize) -> Option<Hit> {
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
    fn ago(
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
    fn count(&self, j: usize) -> Option<(Option<u32>, usize)> {
        match self.at(j) {
            Lex::Num(v, d) if d <= 4 && !self.number_continues(j) => Some((Some(v), j + 1)),
            Lex::NumWord(t) => {
                let k = self.hyphen(j + 1);
                if let Lex::NumWord(u) = self.at(k) {
                    if let Some(v) = super::lexicon::join_tens(t, u) {
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
    fn ordinal(&self, first: usize, j: usize, o: u32) -> Option<Hit> {
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
    fn apostrophe_decade(&self, first: usize, j: usize, bare: bool) -> Option<Hit> {
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

    /// "year-earlier", "year-ago" (+ "quarter"/"period"): the same period a year before.
    fn year_compound(&self, first: usize, j: usize) -> Option<Hit> {
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
    fn quarter_ended(&self, i: usize) -> Option<Expr> {
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

    /// After "April 24", an "and 25" or "or 25" that ends a phrase: that day of the
    /// same month.
    fn second_day(&self, h: &Hit) -> Option<Hit> {
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

    /// "last year", "a year ago", "a year earlier" at `i`: where it ends.
    fn year_back(&self, i: usize) -> Option<usize> {
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

    /// Expressions that start with "the".
    fn the(&self, j: usize) -> Option<Hit> {
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
            Lex::Unit(Unit::Year, false) if self.spelled_year(k).is_some() => {
                let (year, e) = self.spelled_year(k)?;
                Some(Hit::new(j, e, stated_year(year), AnchorRule::Absolute))
            }
            Lex::Unit(unit @ (Unit::Year | Unit::Month | Unit::Week), false)
                if j > 2
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
                        let (year, e) = match self.year_at(k + 3) {
                            Some(year) => (YearSpec::Stated { year }, k + 4),
                            None => (IMPLIED, k + 2),
                        };
                        let expr = Expr::YearPart { unit, index, year };
                        let anchor = natural_anchor(&expr);
                        Some(Hit::new(j, e, expr, anchor))
                    }
                    Lex::Unit(Unit::Century, false) => None,
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

    /// "fiscal 1989", "fiscal second-quarter", "the fiscal year".
    fn fiscal(&self, first: usize, j: usize) -> Option<Hit> {
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
                (first < j).then(|| {
                    Hit::new(
                        first,
                        j + 2,
                        Expr::Duration {
                            unit: Unit::Year,
                            amount: Some(1),
                        },
                        AnchorRule::Absolute,
                    )
                })
            }
            _ => None,
        }
    }

    /// "Q3", "Q1 2013": a quarter in the shorthand of earnings reports.
    fn quarter_shorthand(&self, j: usize) -> Option<Hit> {
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
    fn fiscal_shorthand(&self, j: usize) -> Option<Hit> {
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

    /// "summer", "spring 2002", "the winter of 1994", "last fall".
    fn season(
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
                match self.year_at(e + of) {
                    Some(y) => {
                        e += of + 1;
                        YearSpec::Stated { year: y }
                    }
                    None if first == j && !self.season_context(j) => return None,
                    None => YearSpec::Implied {
                        lean: Lean::Unknown,
                    },
                }
            }
        };
        let expr = Expr::Season { season, year };
        let anchor = natural_anchor(&expr);
        Some(Hit::new(first, e, expr, anchor))
    }

    fn season_context(&self, j: usize) -> bool {
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

    /// "last week", "next year", "this month", "last January", "last March 25",
    /// "last Wednesday", "this morning", "last night", "last fall", "this past spring".
    fn relative(&self, j: usize) -> Option<Hit> {
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
    fn deictic(&self, j: usize) -> Option<Hit> {
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
    fn generic_possessive(&self, i: usize) -> bool {
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
    fn every(&self, j: usize) -> Option<Hit> {
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

    /// "Christmas", "Thanksgiving Day", "New Year's Day", "Election Day".
    fn holiday(&self, j: usize) -> Option<Hit> {
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
        let expr = Expr::Holiday { holiday, year };
        let anchor = natural_anchor(&expr);
        Some(Hit::new(j, e, expr, anchor))
    }

    /// "8:11 PM EDT", "10 p.m. Wednesday", "noon Thursday", "5 p.m. EST, Nov. 6".
    fn time_of_day(&self, j: usize) -> Option<Hit> {
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
    fn am_pm(&self, k: usize) -> Option<(bool, usize)> {
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
