//! Titles that read like a timeline's headlines, built from the tree: who did
//! what to whom, where ("Two North Koreans climbed a wall and entered the U.S.
//! Consulate in the same city"), without the date (shown beside the title), the
//! speech tag or the clauses that only describe.
//!
//! The title grows in order of what matters (subject and predicate, object,
//! complement, place, what was said) while it fits [`MAX_CHARS`]; a part that
//! does not fit is left out, never cut in the middle.

use super::kind;
use super::tree::Tree;

/// About how long a title may be, in characters.
pub const MAX_CHARS: usize = 90;

/// Relations inside a noun phrase that a short form keeps ("the U.S. Consulate",
/// "China's ambassador", "two women").
const NP_CORE: &[&str] = &[
    "det",
    "amod",
    "compound",
    "flat",
    "nummod",
    "nmod:poss",
    "case",
    "fixed",
    "goeswith",
];

/// Relations that describe rather than identify; a title leaves them out.
const DESCRIPTIVE: &[&str] = &[
    "acl:relcl",
    "acl",
    "parataxis",
    "punct",
    "appos",
    "advcl",
    "dep",
    "discourse",
    "vocative",
    "reparandum",
    "list",
];

/// What a title is made of.
pub struct Title<'t, 'w> {
    tree: &'t Tree<'w>,
    /// Words never shown: the date expression and its preposition.
    hidden: Vec<bool>,
    /// Words shown.
    shown: Vec<bool>,
    /// Text that stands for the subject (a pronoun's antecedent).
    subject_text: Option<(usize, String)>,
}

impl<'t, 'w> Title<'t, 'w> {
    /// A title for the predicate `pred`; `hidden` marks the words of date
    /// expressions; `antecedent` is what a pronoun subject stands for.
    pub fn build(
        tree: &'t Tree<'w>,
        pred: usize,
        hidden: &[bool],
        antecedent: Option<(&str, bool)>,
    ) -> String {
        Self::build_with_content(tree, pred, hidden, antecedent).0
    }

    /// The title's parts for a tree, the words never shown marked.
    fn new(tree: &'t Tree<'w>, hidden: &[bool]) -> Title<'t, 'w> {
        let n = tree.len();
        let mut hidden: Vec<bool> = (0..n)
            .map(|i| hidden.get(i).copied().unwrap_or(false))
            .collect();
        // A preposition or possessive that only led to a hidden date goes with it.
        for i in 0..n {
            if hidden[i] {
                for &c in tree.children(i) {
                    if matches!(tree.base(c), "case" | "det") {
                        hidden[c] = true;
                    }
                }
            }
        }
        // The "and" or comma between two hidden dates ("between 1984 and
        // 1986", "May 8, 9") goes with them.
        for i in 1..n.saturating_sub(1) {
            if hidden[i - 1]
                && hidden[i + 1]
                && matches!(tree.words[i].upos, "CCONJ" | "PUNCT" | "ADP")
            {
                hidden[i] = true;
            }
        }
        // Punctuation is never shown, except inside a word ("U.S.", "co-op").
        for (i, (w, h)) in tree.words.iter().zip(hidden.iter_mut()).enumerate() {
            let inside_word = matches!(w.form.as_str(), "-" | "'")
                && !w.space_after
                && i > 0
                && !tree.words[i - 1].space_after;
            if w.upos == "PUNCT" && !inside_word {
                *h = true;
            }
        }
        Title {
            tree,
            hidden,
            shown: vec![false; n],
            subject_text: None,
        }
    }

    /// As [`Title::build`], and whether the title says what was said or done to
    /// whom: a word after the predicate beyond the people it was said to
    /// ("One of the occupiers told reporters" says nothing).
    pub fn build_with_content(
        tree: &'t Tree<'w>,
        pred: usize,
        hidden: &[bool],
        antecedent: Option<(&str, bool)>,
    ) -> (String, bool) {
        let (title, content, _) = Self::build_checked(tree, pred, hidden, antecedent);
        (title, content)
    }

    /// As [`Title::build_with_content`], and whether the title reads as a
    /// headline rather than a fragment ([`Title::well_formed`]).
    pub fn build_checked(
        tree: &'t Tree<'w>,
        pred: usize,
        hidden: &[bool],
        antecedent: Option<(&str, bool)>,
    ) -> (String, bool, bool) {
        let n = tree.len();
        let mut t = Self::new(tree, hidden);
        t.compose(pred, antecedent);
        t.open_on_subject(pred);
        t.close_on_content(pred);
        let title = t.render();
        let well_formed = t.well_formed(pred);
        let audience = |i: usize| {
            matches!(
                tree.lemma(i).as_str(),
                "reporter"
                    | "journalist"
                    | "correspondent"
                    | "press"
                    | "he"
                    | "she"
                    | "they"
                    | "we"
                    | "i"
                    | "you"
                    | "parliament"
                    | "commons"
            )
        };
        let content = (pred + 1..n).any(|i| {
            t.shown[i]
                && tree.words[i].upos != "PUNCT"
                && !std::iter::successors(Some(i), |&j| tree.head(j))
                    .take(n)
                    .take_while(|&j| j != pred)
                    .any(audience)
        });
        (title, content, well_formed)
    }

    /// The shown subject of the title's clause: the predicate's own, else the
    /// first subject shown.
    fn shown_subject(&self, pred: usize) -> Option<usize> {
        let tree = self.tree;
        tree.subject(pred).filter(|&s| self.shown[s]).or_else(|| {
            (0..tree.len()).find(|&i| self.shown[i] && matches!(tree.base(i), "nsubj" | "csubj"))
        })
    }

    /// A headline opens on its subject: what the sentence tells before it
    /// ("According to sources", "In all", "Retaliating after the bombings",
    /// "But") is left out.
    fn open_on_subject(&mut self, pred: usize) {
        let tree = self.tree;
        let Some(s) = self.shown_subject(pred) else {
            return;
        };
        let mut from = tree.subtree(s).first().copied().unwrap_or(s);
        // Words of the noun phrase right before it, wherever the tree hung
        // them ("Five North Koreans").
        while from > 0
            && self.shown[from - 1]
            && matches!(
                tree.words[from - 1].upos,
                "NUM" | "DET" | "ADJ" | "PROPN" | "NOUN"
            )
        {
            from -= 1;
        }
        for i in 0..from {
            self.shown[i] = false;
        }
    }

    /// A headline does not stop on a word that announces more ("agreed to",
    /// "walked out and were", "recalled their ambassadors for"): such words at
    /// the end, left there when what they announced did not fit, go too.
    fn close_on_content(&mut self, pred: usize) {
        let tree = self.tree;
        while let Some(last) = (0..tree.len()).rev().find(|&i| self.shown[i]) {
            if !self.incomplete(last, pred) || last <= pred {
                break;
            }
            self.shown[last] = false;
        }
    }

    /// Whether the title cannot stop on word `i`: a word that announces more
    /// ([`dangling`]); a verb other than the predicate whose object or clause
    /// is left out ("raised 160.7 mln stg and enabled", "ounces of gold
    /// said"); or the subject of a clause whose verb is left out ("said that
    /// his group").
    fn incomplete(&self, i: usize, pred: usize) -> bool {
        let tree = self.tree;
        let needs = |v: usize| {
            tree.children(v).iter().any(|&c| {
                !self.shown[c] && matches!(tree.base(c), "obj" | "ccomp" | "xcomp" | "iobj")
            }) || kind::SPEECH.contains(&tree.lemma(v).as_str())
        };
        dangling(tree, i)
            || (i != pred && tree.words[i].upos == "VERB" && needs(i))
            || (tree.base(i) == "nsubj"
                && tree.head(i).is_some_and(|h| h != pred && !self.shown[h]))
    }

    /// Whether the shown words make a headline: they open on the subject (or,
    /// for an event noun, on its phrase), never on a conjunction, preposition,
    /// auxiliary or verb ("And Center Capital Corp formed", "Was reporting it
    /// had", "Of 1.8 billion dlr restructuring"); a verb's subject is among them
    /// or stood for by its antecedent ("Proposed to cut the deficit" has none);
    /// and they do not stop on a word that needs more ("... a eurobond due",
    /// "The Philippines agreed to").
    fn well_formed(&self, pred: usize) -> bool {
        let tree = self.tree;
        let ids: Vec<usize> = (0..tree.len()).filter(|&i| self.shown[i]).collect();
        let (Some(&first), Some(&last)) = (ids.first(), ids.last()) else {
            return false;
        };
        if ids.len() < 2 || !self.shown[pred] {
            return false;
        }
        let stood_for = |i: usize| self.subject_text.as_ref().is_some_and(|(s, _)| *s == i);
        // (Or on a word of the subject's phrase: "About 200 Americans".)
        let in_subject = self
            .shown_subject(pred)
            .is_some_and(|s| tree.dominates(s, first));
        let opens = stood_for(first)
            || (in_subject
                || matches!(
                    tree.words[first].upos,
                    "DET" | "PROPN" | "NOUN" | "PRON" | "NUM" | "ADJ" | "SYM"
                ))
                && tree.words[first]
                    .form
                    .starts_with(|c: char| c.is_alphanumeric());
        // ("... at $43.50 each" ends well; "... was", "... agreed to", "... the"
        // do not.)
        let ends = !self.incomplete(last, pred);
        // (The subject of the clause the title shows: the predicate's own, or
        // that of a clause above it, "That incident prompted China to clamp
        // down".)
        let subject = matches!(tree.words[pred].upos, "NOUN" | "PROPN")
            || tree
                .subject(pred)
                .is_some_and(|s| self.shown[s] || stood_for(s))
            || ids
                .iter()
                .any(|&i| matches!(tree.base(i), "nsubj" | "csubj"))
            || self.subject_text.is_some();
        // "It matures", "We've told analysts", "Its board declared": a
        // pronoun nobody stands for leaves the reader asking who.
        let shown_pronoun = ids.iter().any(|&i| {
            matches!(
                tree.words[i].form.to_lowercase().as_str(),
                "it" | "its" | "i" | "my" | "we" | "our" | "you" | "your"
            ) && tree.words[i].upos == "PRON"
                && !stood_for(i)
                && matches!(
                    tree.words[i].deprel,
                    "nsubj" | "nsubj:pass" | "nmod:poss" | "expl"
                )
                && tree
                    .head(i)
                    .is_some_and(|h| h == pred || tree.subject(pred) == Some(h))
        });
        (opens || subject) && ends && !shown_pronoun
    }

    fn compose(&mut self, pred: usize, antecedent: Option<(&str, bool)>) {
        let tree = self.tree;
        let is_noun = matches!(tree.words[pred].upos, "NOUN" | "PROPN");
        // Subject: a relative pronoun by the noun it describes, a personal pronoun
        // by its antecedent.
        let mut subject = if is_noun { None } else { tree.subject(pred) };
        if let Some(s) = subject {
            if let Some(name) = name_before(tree, s) {
                // "Wu Dawei, who was summoned": the name itself.
                self.subject_text = Some((s, name));
            } else if let Some(a) = tree.antecedent(s) {
                subject = Some(a);
            } else if tree.is_pronoun(s) {
                // The subject of a clause above, said before the pronoun ("Japan
                // said it would protest"), else the discourse's last subject;
                // only one of the pronoun's number.
                let plural = matches!(tree.lemma(s).as_str(), "they" | "we");
                // "he" and "she" are people, never a country or a city.
                let person = matches!(tree.lemma(s).as_str(), "he" | "she");
                let fits = |text: &str| !(person && is_place_name(text));
                let above = subject_above(tree, pred, s, plural).filter(|t| fits(t));
                let text = above.or_else(|| {
                    antecedent
                        .filter(|&(t, p)| p == plural && fits(t))
                        .map(|(t, _)| t.to_string())
                });
                if let Some(text) = text {
                    self.subject_text = Some((s, text));
                }
            } else if let Some(p) = tree.children(s).iter().copied().find(|&c| {
                tree.words[c].deprel == "nmod:poss"
                    && matches!(tree.lemma(c).as_str(), "its" | "it" | "their" | "they")
            }) {
                // "Vishay said its board declared a dividend": the board is
                // the one of the subject of the clause above, of the
                // possessive's number.
                let plural = matches!(tree.lemma(p).as_str(), "their" | "they");
                if let Some(text) = subject_above(tree, pred, p, plural) {
                    let owner = if text.ends_with('s') {
                        format!("{text}'")
                    } else {
                        format!("{text}'s")
                    };
                    self.subject_text = Some((p, owner));
                }
            }
        }
        // The core: subject head, predicate with its auxiliaries and particle.
        self.show(pred);
        for &c in tree.children(pred) {
            if matches!(
                tree.words[c].deprel,
                "aux" | "aux:pass" | "compound:prt" | "cop"
            ) || (tree.words[c].deprel == "advmod" && tree.negated(pred) && c < pred)
            {
                self.show(c);
            }
        }
        // "the research, beginning April 1": a participle's subject is the noun
        // it describes.
        if subject.is_none() && !is_noun && tree.base(pred) == "acl" {
            subject = tree.head(pred);
        }
        if let Some(s) = subject {
            self.show_core(s);
            // A name the tree broke up ("Japanese Vice Foreign Minister Yukio
            // Takeuchi rejected"): every word between the subject and its verb.
            if s < pred && self.subject_text.is_none() {
                let words = tree.words;
                let end = (s + 1..pred)
                    .take_while(|&i| {
                        matches!(words[i].upos, "PROPN" | "NOUN" | "ADJ" | "NUM")
                            || (words[i].upos == "ADP" && words[i].form == "of")
                            || words[i].xpos == "POS"
                    })
                    .last();
                if let Some(end) = end {
                    if (end + 1..pred).all(|i| matches!(words[i].upos, "AUX" | "ADV" | "PART")) {
                        for i in s + 1..=end {
                            self.show(i);
                        }
                    }
                }
            }
        }
        // A verb under another without a subject of its own: the verb above it
        // too ("police succeeded in pulling", "were allowed to fly").
        if !is_noun && tree.child(pred, &["nsubj"]).is_none() {
            if let Some(h) = tree
                .head(pred)
                .filter(|_| matches!(tree.base(pred), "advcl" | "xcomp"))
            {
                if tree.words[h].upos == "VERB" {
                    self.show(h);
                    for &c in tree.children(h) {
                        if matches!(tree.words[c].deprel, "aux" | "aux:pass" | "compound:prt") {
                            self.show(c);
                        }
                    }
                    // "That incident prompted China to clamp down".
                    if subject.is_none() {
                        if let Some(hs) = tree.child(h, &["nsubj"]) {
                            self.show_core(hs);
                        }
                    }
                    if let Some(ho) = tree.child(h, &["obj"]) {
                        self.show_core(ho);
                    }
                    for &c in tree.children(pred) {
                        if tree.words[c].deprel == "mark" {
                            self.show(c);
                        }
                    }
                }
            }
        }
        if is_noun {
            self.show_core(pred);
        }
        let objects: Vec<usize> = tree.children_with(pred, &["obj", "iobj"]).collect();
        for &o in &objects {
            self.show_core(o);
        }
        // Then, while they fit: the whole subject and object, the complement
        // ("allowed to fly to South Korea"), places and other obliques, what was
        // said, a second verb ("climbed a wall and entered the consulate").
        let mut parts: Vec<usize> = Vec::new();
        parts.extend(subject);
        parts.extend(objects.iter().copied());
        parts.extend(tree.children_with(pred, &["xcomp"]));
        let obliques: Vec<usize> = tree
            .children_with(pred, &["obl", "nmod", "acl"])
            .filter(|&c| !self.hidden[c] && tree.words[c].deprel != "obl:tmod")
            .collect();
        parts.extend(obliques.iter().copied());
        for p in parts {
            self.try_show(p);
        }
        // Where the tree hangs nothing after the verb, the words that follow it
        // up to the next comma ("entered the consulate in Shenyang on
        // Wednesday, witnesses said").
        if !is_noun && !(pred + 1..tree.len()).any(|i| self.shown[i]) {
            let before = self.shown.clone();
            for i in pred + 1..tree.len() {
                let w = &tree.words[i];
                if (w.upos == "PUNCT" && w.form != "-") || w.upos == "VERB" {
                    break;
                }
                self.show(i);
            }
            if self.render().chars().count() > MAX_CHARS {
                self.shown = before;
            }
        }
        // A subject found outside the clause keeps no preposition ("to the
        // ambassador, who was summoned").
        if let Some(s) = subject {
            for &c in tree.children(s) {
                if tree.base(c) == "case" && tree.words[c].xpos != "POS" {
                    self.shown[c] = false;
                }
            }
        }
        // What was said: all of it if it fits, else its own core ("Japan says
        // police entered the consulate building").
        for c in tree.children_with(pred, &["ccomp"]).collect::<Vec<_>>() {
            if !self.try_show(c) {
                self.try_show_clause(c);
            }
        }
        for conj in tree.children_with(pred, &["conj"]).collect::<Vec<_>>() {
            if matches!(tree.words[conj].upos, "VERB") && tree.child(conj, &["nsubj"]).is_none() {
                let mut add = vec![conj];
                add.extend(tree.child(conj, &["cc"]));
                add.extend(tree.children_with(conj, &["compound"]));
                let before = self.shown.clone();
                for a in add {
                    self.show(a);
                }
                for o in tree
                    .children_with(conj, &["obj", "obl", "xcomp"])
                    .collect::<Vec<_>>()
                {
                    if !self.hidden[o] {
                        self.try_show(o);
                    }
                }
                if self.render().chars().count() > MAX_CHARS {
                    self.shown = before;
                }
            }
        }
    }

    /// Shows the word and the core of its phrase.
    fn show_core(&mut self, i: usize) {
        self.show(i);
        let tree = self.tree;
        for &c in tree.children(i) {
            // A preposition is the phrase's link to its head, not part of it
            // ("to the ambassador"); a possessive is ("China's").
            if tree.base(c) == "case" && tree.words[c].xpos != "POS" {
                continue;
            }
            if NP_CORE.contains(&tree.words[c].deprel) || NP_CORE.contains(&tree.base(c)) {
                for j in tree.subtree(c) {
                    self.show(j);
                }
            }
        }
    }

    /// Shows the core of the clause headed by `v` (subject, verb, auxiliaries,
    /// object) when the title still fits.
    fn try_show_clause(&mut self, v: usize) -> bool {
        let before = self.shown.clone();
        let tree = self.tree;
        self.show(v);
        for &c in tree.children(v) {
            match tree.words[c].deprel {
                "aux" | "aux:pass" | "compound:prt" | "mark" => self.show(c),
                "nsubj" | "nsubj:pass" | "obj" => self.show_core(c),
                _ => {}
            }
        }
        let fits = self.render().chars().count() <= MAX_CHARS;
        if !fits {
            self.shown = before;
        }
        fits
    }

    /// Shows the whole phrase under `i` (less what only describes) when the
    /// title still fits; says whether it did.
    fn try_show(&mut self, i: usize) -> bool {
        let before = self.shown.clone();
        let tree = self.tree;
        let mut stack = vec![i];
        let mut budget = tree.len();
        while let Some(j) = stack.pop() {
            if budget == 0 {
                break;
            }
            budget -= 1;
            self.show(j);
            for &c in tree.children(j) {
                // "accused China of violating conventions": a gerund after "of"
                // or "for" completes the verb.
                let complement = matches!(tree.base(c), "advcl" | "acl")
                    && tree.words[c].xpos == "VBG"
                    && tree
                        .children_with(c, &["mark", "case"])
                        .any(|m| matches!(tree.lemma(m).as_str(), "of" | "for"));
                if (complement || !DESCRIPTIVE.contains(&tree.words[c].deprel)) && !self.hidden[c] {
                    stack.push(c);
                }
            }
        }
        let fits = self.render().chars().count() <= MAX_CHARS;
        if !fits {
            self.shown = before;
        }
        fits
    }

    fn show(&mut self, i: usize) {
        if !self.hidden[i] {
            self.shown[i] = true;
        }
    }

    fn render(&self) -> String {
        let tree = self.tree;
        let ids: Vec<usize> = (0..tree.len()).filter(|&i| self.shown[i]).collect();
        let mut out = String::new();
        for (n, &i) in ids.iter().enumerate() {
            if n > 0 {
                let prev = ids[n - 1];
                if prev + 1 != i || tree.words[prev].space_after {
                    out.push(' ');
                }
            }
            match &self.subject_text {
                Some((s, text)) if *s == i => out.push_str(text),
                _ => out.push_str(&tree.words[i].form),
            }
        }
        let out = out.trim_matches(|c: char| c == ',' || c == ';' || c == ':' || c.is_whitespace());
        let mut chars = out.chars();
        match chars.next() {
            Some(c) => c.to_uppercase().chain(chars).collect(),
            None => String::new(),
        }
    }
}

/// The subject of a clause above `pred`, told before the pronoun at `pronoun`
/// and of its number, as the title would name it ("Japan said it would
/// protest", "Vishay said its board declared").
fn subject_above(tree: &Tree, pred: usize, pronoun: usize, plural: bool) -> Option<String> {
    std::iter::successors(tree.head(pred), |&h| tree.head(h))
        .take(tree.len())
        .filter_map(|h| tree.child(h, &["nsubj"]))
        .find(|&n| n < pronoun && !tree.is_pronoun(n))
        .filter(|&n| is_plural(tree, n) == plural)
        .and_then(|n| mention(tree, n))
}

/// Whether a word announces more than it says, so that a title cannot end on
/// it: a preposition, conjunction, auxiliary, particle or article ("to",
/// "and", "were", "the"; not "each" in "$43.50 each"), or "due".
fn dangling(tree: &Tree, i: usize) -> bool {
    let w = &tree.words[i];
    let lemma = tree.lemma(i);
    matches!(w.upos, "ADP" | "CCONJ" | "SCONJ" | "AUX" | "PART")
        || (w.upos == "DET" && lemma != "each")
        || matches!(lemma.as_str(), "due" | "to")
}

/// For a relative pronoun right after a name ("Wu Dawei, who"), the name: the
/// capitalized words just before it.
fn name_before(tree: &Tree, pronoun: usize) -> Option<String> {
    if !matches!(tree.lemma(pronoun).as_str(), "who" | "whom") {
        return None;
    }
    let words = tree.words;
    let last = (0..pronoun).rev().find(|&i| words[i].upos != "PUNCT")?;
    let first = (0..=last)
        .rev()
        .take_while(|&i| words[i].upos == "PROPN")
        .last()?;
    Some(tree.text_of(&(first..=last).collect::<Vec<_>>()))
}

/// Whether a text is only the name of a country or a city ("Ecuador", "the
/// United States").
fn is_place_name(text: &str) -> bool {
    let t = text
        .strip_prefix("the ")
        .or_else(|| text.strip_prefix("The "))
        .unwrap_or(text);
    let m = crate::gazetteer::Gazetteer::get().find(t);
    matches!(m.as_slice(), [one] if one.start == 0 && one.end + 2 >= t.len()
        && !matches!(one.kind, crate::gazetteer::PlaceKind::Demonym))
}

/// Whether a subject is plural: a plural noun or nouns joined ("Japan and
/// China").
pub fn is_plural(tree: &Tree, subject: usize) -> bool {
    matches!(tree.words[subject].xpos, "NNS" | "NNPS") || tree.child(subject, &["conj"]).is_some()
}

/// The text of a subject for later pronouns: its phrase without what only
/// describes, if it is a noun phrase and not itself a pronoun.
pub fn mention(tree: &Tree, subject: usize) -> Option<String> {
    if !matches!(tree.words[subject].upos, "NOUN" | "PROPN") {
        return None;
    }
    let ids: Vec<usize> = tree
        .subtree(subject)
        .into_iter()
        .filter(|&j| {
            j == subject
                || !(tree.words[j].upos == "PUNCT"
                    || (0..tree.len()).any(|d| {
                        DESCRIPTIVE.contains(&tree.words[d].deprel)
                            && tree.dominates(subject, d)
                            && tree.dominates(d, j)
                    }))
        })
        .collect();
    let text = tree.text_of(&ids);
    (text.chars().count() <= 60).then_some(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax;

    /// The title for the verb `verb` of `sentence`, hiding the words of `date`.
    fn title(sentence: &str, verb: &str, date: &str, antecedent: Option<(&str, bool)>) -> String {
        let words = syntax::model().expect("model").parse_sentence(sentence);
        let tree = Tree::new(&words);
        let pred = words
            .iter()
            .position(|w| w.form == verb)
            .unwrap_or_else(|| panic!("no {verb}"));
        let hidden: Vec<bool> = words
            .iter()
            .map(|w| {
                let s: String = sentence
                    .chars()
                    .skip(w.start)
                    .take(w.end - w.start)
                    .collect();
                !date.is_empty() && date.split_whitespace().any(|d| d == s)
            })
            .collect();
        Title::build(&tree, pred, &hidden, antecedent)
    }

    #[test]
    fn its_in_the_subject_is_the_subject_of_the_clause_above() {
        assert_eq!(
            title(
                "Vishay Intertechnology Inc said on Friday its board declared a stock dividend.",
                "declared",
                "Friday",
                None
            ),
            "Vishay Intertechnology Inc's board declared a stock dividend"
        );
    }

    #[test]
    fn a_title_never_stops_on_a_verb_or_a_subject_whose_rest_is_left_out() {
        let t = title(
            "The placing of 82.5 mln shares in 1986 raised 160.7 mln stg and enabled \
             shareholders' funds to more than double to 352 mln stg from 150 mln stg in 1985.",
            "raised",
            "1986 1985",
            None,
        );
        assert!(!t.ends_with("and enabled"), "{t}");
        assert!(t.contains("82.5 mln shares raised 160.7 mln stg"), "{t}");
        for t in [
            title(
                "Antar, the reclusive founder of the chain in the New York City, Philadelphia \
                 and Connecticut areas, said last month that his group controlled 14 percent \
                 of the shares.",
                "said",
                "last month",
                None,
            ),
            title(
                "Northgate, which produced 23,400 ounces of gold in first quarter, said that \
                 the strike slowed production.",
                "produced",
                "first quarter",
                None,
            ),
        ] {
            assert!(
                !t.ends_with(" his group") && !t.ends_with(" said") && !t.ends_with(" that"),
                "{t}"
            );
        }
    }

    #[test]
    fn a_title_is_subject_predicate_object_and_place_without_the_date() {
        assert_eq!(
            title(
                "On Wednesday, five North Koreans entered the Japanese Consulate in Shenyang.",
                "entered",
                "Wednesday",
                None
            ),
            "Five North Koreans entered the Japanese Consulate in Shenyang"
        );
    }

    #[test]
    fn reported_speech_loses_its_speech_tag() {
        let t = title(
            "Officials said the police dragged two women out of the gate on Wednesday.",
            "dragged",
            "Wednesday",
            None,
        );
        assert_eq!(t, "The police dragged two women out of the gate");
    }

    #[test]
    fn a_relative_pronoun_and_a_personal_pronoun_are_replaced() {
        let t = title(
            "Tokyo protested to the ambassador, who was summoned to the ministry on Thursday.",
            "summoned",
            "Thursday",
            None,
        );
        assert_eq!(t, "The ambassador was summoned to the ministry");
        let t = title(
            "He visited Seoul on Monday.",
            "visited",
            "Monday",
            Some(("The minister", false)),
        );
        assert_eq!(t, "The minister visited Seoul");
        // "He" is no country.
        let t = title(
            "He took refuge in the embassy on Tuesday.",
            "took",
            "Tuesday",
            Some(("Ecuador", false)),
        );
        assert!(t.starts_with("He took refuge"), "{t}");
    }

    #[test]
    fn a_title_opens_on_its_subject_and_ends_on_content() {
        assert_eq!(
            title(
                "According to press reports, Munero fled to Florida on Friday.",
                "fled",
                "Friday",
                None
            ),
            "Munero fled to Florida"
        );
        assert_eq!(
            title(
                "But the foreign minister resigned on Friday.",
                "resigned",
                "Friday",
                None
            ),
            "The foreign minister resigned"
        );
    }

    #[test]
    fn long_clauses_are_left_out_not_cut() {
        let t = title(
            "The spokesman said by phone Friday that U.S. officials were negotiating with the Chinese authorities to resolve the matter of the three men who remained in the consulate.",
            "said",
            "Friday",
            None,
        );
        assert!(t.chars().count() <= MAX_CHARS, "{t}");
        assert!(t.starts_with("The spokesman said"), "{t}");
    }
}
