//! The tense around a date, for a month or weekday the text leaves without a year
//! or week: "said Friday" looks back, "will meet on Tuesday" ahead, "talks resume
//! Monday" (a timetable) ahead, "postponed until Tuesday" ahead whatever the tense.

use super::{Gap, Grammar, Kw, Lean, Lex, SENTENCE_END};

impl<'a> Grammar<'a> {
    /// The tense token `i` marks, if any: "will", "said", "-ed". A noun "plan" or
    /// the "due to" of a cause marks none; "be" + participle ("will be held", "to be
    /// completed") reads as future.
    pub(super) fn marker(&self, i: usize) -> Option<Lean> {
        match self.at(i) {
            Lex::Future => {
                let w = self.word(i);
                let to_follows = self.kw(i + 1, Kw::To);
                // "plans for a new plant", "expressed high hopes for the
                // computers": nouns, no tense.
                let noun_too = ["plan", "plans", "hopes", "aims"]
                    .iter()
                    .any(|n| w.eq_ignore_ascii_case(n));
                if noun_too && !to_follows {
                    return None;
                }
                // "the hastily planned trip", "the expected cut": an adjective.
                if self.adjectival(i) {
                    return None;
                }
                // A planning verb in the past tells of a past plan: "the government
                // planned to pay on Friday", "the service was scheduled for
                // Saturday", "had expected to finish in March". ("is expected
                // Friday", "are scheduled to meet" look ahead, as below.)
                let past_form = w.len() > 4 && w.to_ascii_lowercase().ends_with("ed");
                if past_form && i > 0 {
                    let aux = ["was", "were", "had"]
                        .iter()
                        .any(|p| self.is_word(i - 1, p));
                    let present = ["is", "are", "be", "been", "being", "s", "re"]
                        .iter()
                        .any(|p| self.is_word(i - 1, p));
                    if aux || (to_follows && !present) {
                        return Some(Lean::Past);
                    }
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
            // "may sell the unit in March", "must repay it by Friday": a modal looks
            // ahead; "may have lost money in March" back.
            _ if self.modal(i) => {
                let k = i + 1 + usize::from(self.is_word(i + 1, "not"));
                Some(if self.is_word(k, "have") {
                    Lean::Past
                } else {
                    Lean::Future
                })
            }
            // "hope to finish in March", "vows to return": an aim, ahead.
            _ if self.kw(i + 1, Kw::To) && self.aim(i) => Some(Lean::Future),
            // "the vote is set for March": a timetable.
            _ if self.is_word(i, "set")
                && i > 0
                && (self.is_word(i - 1, "is") || self.is_word(i - 1, "are"))
                && self.kw(i + 1, Kw::For) =>
            {
                Some(Lean::Future)
            }
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

    /// A modal verb that speaks of what is to come: "may", "might", "must", "can",
    /// "should" (not "could", as often a past "can"; not the month "May").
    fn modal(&self, i: usize) -> bool {
        let mut buf = [0u8; 8];
        match self.lower(i, &mut buf) {
            b"may" => !self.cap(i),
            b"might" | b"must" | b"can" | b"should" => true,
            _ => false,
        }
    }

    /// A verb of aim before "to", in the present: "hope to", "wants to", "seeks to"
    /// ("vowed to" is a past tense).
    fn aim(&self, i: usize) -> bool {
        let mut buf = [0u8; 8];
        matches!(
            self.lower(i, &mut buf),
            b"hope"
                | b"want"
                | b"wants"
                | b"intend"
                | b"aim"
                | b"seek"
                | b"seeks"
                | b"vow"
                | b"vows"
                | b"pledge"
                | b"pledges"
                | b"prepare"
                | b"prepares"
        )
    }

    /// The tense of "be" at `i`: ahead ("will be held", "to be completed"), except
    /// after a past "could" with a negation: "could not be reached Tuesday",
    /// "neither he nor his aides could be located Wednesday".
    pub(super) fn be_lean(&self, i: usize) -> Lean {
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
    pub(super) fn scheduled(&self, i: usize) -> bool {
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
    pub(super) fn bare_past(&self, i: usize) -> bool {
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

    /// The "-ed" word at `i` is an adjective: "a still unspecified date", "the
    /// revised plan", "a planned visit".
    pub(super) fn adjectival(&self, i: usize) -> bool {
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
    pub(super) fn sentence_end(&self, i: usize) -> bool {
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
    pub(super) fn tense(&self, first: usize, last: usize) -> Lean {
        let lean = self.verb_tense(first, last);
        let effective = first > 0 && self.is_word(first - 1, "effective");
        let deadline = first > 0 && self.kw(first - 1, Kw::By);
        match lean {
            Lean::Past if effective || deadline => Lean::Unknown,
            _ if effective => Lean::Future,
            l => l,
        }
    }

    pub(super) fn verb_tense(&self, first: usize, last: usize) -> Lean {
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
        // "ill effects from Monday's turmoil": an event named by its day happened
        // or not whatever a modal before it says.
        let possessive = self.punct(last, b'\'') && self.is_word(last + 1, "s");
        let mut i = first;
        let mut steps = 0;
        while i > 0 && steps < 10 {
            if self.toks.get(i).is_some_and(|t| t.gap == Gap::Paragraph) {
                break;
            }
            i -= 1;
            steps += 1;
            // "said that in March the plant will reopen": a date at the head of a
            // clause goes with the clause's verb, after it.
            let heads = i + 1 == first
                || (i + 2 == first
                    && matches!(
                        self.at(i + 1),
                        Lex::Kw(Kw::In | Kw::On | Kw::By | Kw::Until | Kw::During)
                    ));
            if self.kw(i, Kw::That) && heads {
                if let Some(l) = self.tense_ahead(last) {
                    return l;
                }
            }
            if let Some(l) = self.marker(i).filter(|_| !(possessive && self.modal(i))) {
                return l;
            }
            if self.sentence_end(i) {
                break;
            }
        }
        if let Some(l) = self.tense_ahead(last) {
            return l;
        }
        // No verb to go by: "by February", "until Tuesday" set a deadline ahead.
        if first > 0 && matches!(self.at(first - 1), Lex::Kw(Kw::By | Kw::Until)) {
            return Lean::Future;
        }
        Lean::Unknown
    }

    /// The nearest tense marker from `last` on, in the same sentence and at most 16
    /// tokens ahead. Not a modal: "Sunday's elections may bring change" says
    /// nothing of when the elections were.
    fn tense_ahead(&self, last: usize) -> Option<Lean> {
        let mut i = last;
        let mut steps = 0;
        while i < self.toks.len() && steps < 16 {
            if self.toks.get(i).is_some_and(|t| t.gap == Gap::Paragraph) {
                break;
            }
            steps += 1;
            if let Some(l) = self.marker(i).filter(|_| !self.modal(i)) {
                return Some(l);
            }
            if self.sentence_end(i) {
                break;
            }
            i += 1;
        }
        None
    }
}
