//! A parsed sentence as a tree: children, subtrees, subjects and the words
//! around a predicate that say whether it happened (negation, modals, mood).

use crate::syntax::{Hint, Word};

/// A sentence's words with each word's children, for walking down the tree.
pub struct Tree<'w> {
    pub words: &'w [Word],
    children: Vec<Vec<usize>>,
}

/// Words that make a clause hypothetical or about the future.
const MODALS: &[&str] = &[
    "will", "would", "shall", "should", "may", "might", "could", "can", "must", "'ll",
];

/// Words that negate the predicate they modify.
const NEGATIONS: &[&str] = &["not", "n't", "never", "no"];

/// Pronouns that stand for a noun phrase said before.
pub const PERSONAL: &[&str] = &["he", "she", "they", "it", "we"];

/// Pronouns that open a relative clause: their antecedent is the clause's head.
const RELATIVE: &[&str] = &["who", "which", "that", "whom"];

/// Verbs that take an infinitive, whose third person looks like a plural noun:
/// "the company plans to close", "Japan hopes to ...".
const INFINITIVE_TAKERS: &[&str] = &[
    "plan", "aim", "hope", "need", "want", "intend", "seek", "expect", "agree", "decide",
    "propose", "offer", "threaten", "promise", "fail", "refuse", "try", "attempt", "vow", "pledge",
    "prepare", "wish", "continue",
];

/// Tags the tree shows to be wrong, as hints for parsing again (`None` when
/// all look right):
/// - a past participle with a direct object and no auxiliary is a past tense
///   ("That incident and others prompted China to clamp down");
/// - a plural noun of a verb that takes an infinitive, right after a noun
///   phrase and right before "to" and a verb, is that verb ("The company
///   plans to close", not "the company plans");
/// - "rose" after a noun and before a preposition or a number is the past of
///   "rise" ("capital expenditure rose in 1986", "profit rose to 3.3 billion"),
///   not the flower, which the treebank of web text knows better.
pub fn retag(words: &[Word]) -> Option<Vec<Hint>> {
    let nominal = |i: usize| matches!(words[i].upos, "NOUN" | "PROPN" | "PRON" | "NUM");
    let hints: Vec<(usize, &'static str)> = (0..words.len())
        .filter_map(|v| {
            let w = &words[v];
            let after = |k: usize| words.get(v + k);
            let past_with_object = w.xpos == "VBN"
                && w.deprel != "amod"
                && words.iter().any(|x| x.head == v + 1 && x.deprel == "obj")
                && !words
                    .iter()
                    .any(|x| x.head == v + 1 && x.deprel.starts_with("aux"));
            if past_with_object {
                return Some((v, "VBD"));
            }
            let before_noun = v > 0 && nominal(v - 1);
            let takes_infinitive = w.xpos == "NNS"
                && INFINITIVE_TAKERS.contains(&w.lemma.to_lowercase().as_str())
                && before_noun
                && after(1).is_some_and(|x| x.form.eq_ignore_ascii_case("to"))
                && after(2).is_some_and(|x| x.xpos == "VB");
            if takes_infinitive {
                return Some((v, "VBZ"));
            }
            let rose = w.form.eq_ignore_ascii_case("rose")
                && w.upos == "NOUN"
                && before_noun
                && after(1).is_some_and(|x| matches!(x.upos, "ADP" | "NUM" | "PART"));
            rose.then_some((v, "VBD"))
        })
        .collect();
    if hints.is_empty() {
        return None;
    }
    Some(
        (0..words.len())
            .map(|i| {
                if let Some(&(_, x)) = hints.iter().find(|&&(v, _)| v == i) {
                    Hint::Xpos(x)
                } else if words[i].upos == "PROPN" {
                    Hint::Proper
                } else {
                    Hint::None
                }
            })
            .collect(),
    )
}

/// Mends the parser's commonest mistake on news: a finite verb left without
/// a subject while the noun phrase just before it hangs elsewhere ("On the same
/// day as the incident at the consulate, two North Koreans climbed a wall", "Japan
/// says police then entered"). That phrase becomes the verb's subject, with its
/// determiners, numbers, adjectives and compounds.
pub fn repair(words: &mut [Word]) {
    for v in 0..words.len() {
        if words[v].upos != "VERB" || !matches!(words[v].xpos, "VBD" | "VBZ" | "VBP") {
            continue;
        }
        let has_subject = words.iter().any(|w| {
            w.head == v + 1
                && (w.deprel.starts_with("nsubj")
                    || w.deprel.starts_with("csubj")
                    || w.deprel == "expl")
        });
        if has_subject || words[v].deprel == "acl:relcl" {
            continue;
        }
        // The word before the verb, past adverbs ("then", "also").
        let Some(j) = (0..v).rev().find(|&i| words[i].upos != "ADV") else {
            continue;
        };
        let subject_like = matches!(words[j].upos, "NOUN" | "PROPN")
            || (words[j].upos == "PRON" && words[j].xpos == "PRP");
        if !subject_like || words.iter().any(|w| w.head == j + 1 && w.deprel == "case") {
            continue;
        }
        // A verb that hangs under the noun would make a cycle.
        let mut at = v;
        let mut cycle = false;
        for _ in 0..words.len() {
            if at == j {
                cycle = true;
                break;
            }
            match words[at].head {
                0 => break,
                h => at = h - 1,
            }
        }
        if cycle || words[j].head == v + 1 && words[j].deprel.starts_with("nsubj") {
            continue;
        }
        words[j].head = v + 1;
        words[j].deprel = "nsubj";
        // Its modifiers to the left, contiguous.
        for i in (0..j).rev() {
            let rel = match (words[i].upos, words[i].xpos) {
                ("DET", _) => "det",
                ("NUM", _) => "nummod",
                ("ADJ", _) => "amod",
                ("PROPN" | "NOUN", _) => "compound",
                (_, "PRP$") => "nmod:poss",
                _ => break,
            };
            if words[i].head == j + 1 {
                continue;
            }
            words[i].head = j + 1;
            words[i].deprel = rel;
        }
    }
}

impl<'w> Tree<'w> {
    pub fn new(words: &'w [Word]) -> Tree<'w> {
        let mut children = vec![Vec::new(); words.len()];
        for (i, w) in words.iter().enumerate() {
            if w.head > 0 && w.head <= words.len() {
                children[w.head - 1].push(i);
            }
        }
        Tree { words, children }
    }

    pub fn len(&self) -> usize {
        self.words.len()
    }

    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// The word's head, if it has one.
    pub fn head(&self, i: usize) -> Option<usize> {
        let h = self.words[i].head;
        (h > 0 && h <= self.words.len()).then(|| h - 1)
    }

    pub fn children(&self, i: usize) -> &[usize] {
        &self.children[i]
    }

    /// The lower-cased lemma of word `i`.
    pub fn lemma(&self, i: usize) -> String {
        self.words[i].lemma.to_lowercase()
    }

    /// The first child of `i` whose relation is one of `rels` (a relation with a
    /// subtype counts as its base: "obl" matches "obl:tmod").
    pub fn child(&self, i: usize, rels: &[&str]) -> Option<usize> {
        self.children[i]
            .iter()
            .copied()
            .find(|&c| rels.contains(&self.base(c)))
    }

    /// Every child of `i` whose base relation is one of `rels`.
    pub fn children_with<'a>(
        &'a self,
        i: usize,
        rels: &'a [&'a str],
    ) -> impl Iterator<Item = usize> + 'a {
        self.children[i]
            .iter()
            .copied()
            .filter(move |&c| rels.contains(&self.base(c)))
    }

    /// The relation of word `i` without its subtype ("obl:tmod" → "obl").
    pub fn base(&self, i: usize) -> &'static str {
        let r = self.words[i].deprel;
        r.split(':').next().unwrap_or(r)
    }

    /// Word indices of the subtree under `i` (with `i`), in sentence order. The
    /// walk is bounded by the sentence's length whatever the tree holds.
    pub fn subtree(&self, i: usize) -> Vec<usize> {
        let mut out = Vec::new();
        let mut stack = vec![i];
        let mut seen = vec![false; self.words.len()];
        while let Some(j) = stack.pop() {
            if std::mem::replace(&mut seen[j], true) {
                continue;
            }
            out.push(j);
            stack.extend(self.children[j].iter().copied());
        }
        out.sort_unstable();
        out
    }

    /// The first word overlapping characters `a..b` (a date expression's span).
    pub fn first_within(&self, a: usize, b: usize) -> Option<usize> {
        (0..self.words.len()).find(|&i| self.words[i].start < b && self.words[i].end > a)
    }

    /// The head of the words overlapping characters `a..b`: from the first of
    /// them, up while the head is still inside the span.
    pub fn head_within(&self, a: usize, b: usize) -> Option<usize> {
        let inside = |i: usize| self.words[i].start < b && self.words[i].end > a;
        let mut at = self.first_within(a, b)?;
        for _ in 0..self.words.len() {
            match self.head(at).filter(|&h| inside(h)) {
                Some(h) => at = h,
                None => break,
            }
        }
        Some(at)
    }

    /// Whether word `j` is in the subtree under `i`.
    pub fn dominates(&self, i: usize, mut j: usize) -> bool {
        for _ in 0..=self.words.len() {
            if j == i {
                return true;
            }
            match self.head(j) {
                Some(h) => j = h,
                None => return false,
            }
        }
        false
    }

    /// Whether the predicate is negated ("did not enter", "never arrived").
    pub fn negated(&self, i: usize) -> bool {
        self.children[i].iter().any(|&c| {
            matches!(self.base(c), "advmod" | "neg" | "det")
                && NEGATIONS.contains(&self.lemma(c).as_str())
        })
    }

    /// The modal auxiliary of the predicate, if any ("will", "could").
    pub fn modal(&self, i: usize) -> Option<String> {
        self.children_with(i, &["aux"])
            .map(|c| self.lemma(c))
            .find(|l| MODALS.contains(&l.as_str()))
    }

    /// Whether the predicate is in a conditional or purpose clause ("if they
    /// enter", "unless", "in order to").
    pub fn conditional(&self, i: usize) -> bool {
        self.children_with(i, &["mark"]).any(|c| {
            matches!(
                self.lemma(c).as_str(),
                "if" | "unless" | "whether" | "lest" | "once"
            )
        })
    }

    /// Whether the predicate is an infinitive with "to" ("plans to enter").
    pub fn infinitive(&self, i: usize) -> bool {
        self.words[i].xpos == "VB"
            && self
                .children_with(i, &["mark"])
                .any(|c| self.words[c].form.eq_ignore_ascii_case("to"))
    }

    /// The predicate's subject: its own, or, for a verb joined to another ("climbed
    /// a wall and entered") or an open complement ("allowed to fly"), the one it
    /// shares.
    pub fn subject(&self, i: usize) -> Option<usize> {
        let mut at = i;
        for _ in 0..self.words.len() {
            if let Some(s) = self.child(at, &["nsubj", "csubj"]) {
                return Some(s);
            }
            match self.base(at) {
                "conj" | "xcomp" => at = self.head(at)?,
                // "succeeded in pulling the other three".
                "advcl" if self.words[at].xpos == "VBG" => at = self.head(at)?,
                // A participle's subject is the noun it describes ("North
                // Koreans being arrested").
                // The noun just before it, where the tree hangs it further up
                // ("a surge in the number of North Koreans being arrested").
                "acl" if self.words[at].deprel == "acl" => {
                    let first = self.subtree(at).first().copied().unwrap_or(at);
                    let before = first
                        .checked_sub(1)
                        .filter(|&b| matches!(self.words[b].upos, "NOUN" | "PROPN"));
                    return before.or_else(|| {
                        self.head(at)
                            .filter(|&h| matches!(self.words[h].upos, "NOUN" | "PROPN" | "PRON"))
                    });
                }
                _ => return None,
            }
        }
        None
    }

    /// For a relative pronoun subject ("Wu Dawei, who was summoned"), the noun
    /// the clause describes: the head of the relative clause, or, where the tree
    /// hangs the clause elsewhere, the noun phrase just before the pronoun.
    pub fn antecedent(&self, subject: usize) -> Option<usize> {
        if !RELATIVE.contains(&self.lemma(subject).as_str()) {
            return None;
        }
        let clause = self.head(subject)?;
        if self.words[clause].deprel == "acl:relcl" {
            return self.head(clause);
        }
        let mut before = (0..subject)
            .rev()
            .find(|&i| self.words[i].upos != "PUNCT")
            .filter(|&i| matches!(self.words[i].upos, "NOUN" | "PROPN"))?;
        // "Wu Dawei": the phrase's head, not its last word.
        while matches!(self.words[before].deprel, "flat" | "compound" | "flat:name") {
            before = self.head(before)?;
        }
        Some(before)
    }

    /// The particle of a phrasal verb ("sent back", "handed over", "took away").
    pub fn particle(&self, i: usize) -> Option<String> {
        self.children[i].iter().copied().find_map(|c| {
            let l = self.lemma(c);
            let prt = self.words[c].deprel == "compound:prt"
                || (self.base(c) == "advmod"
                    && matches!(
                        l.as_str(),
                        "back" | "away" | "out" | "over" | "up" | "down" | "off" | "in" | "on"
                    ));
            prt.then_some(l)
        })
    }

    /// Whether word `i` is a personal pronoun that needs an antecedent.
    pub fn is_pronoun(&self, i: usize) -> bool {
        self.words[i].upos == "PRON" && PERSONAL.contains(&self.lemma(i).as_str())
    }

    /// Text of the words `ids` (sorted), with the sentence's own spacing.
    pub fn text_of(&self, ids: &[usize]) -> String {
        let mut out = String::new();
        for (n, &i) in ids.iter().enumerate() {
            let w = &self.words[i];
            if n > 0 {
                let prev = ids[n - 1];
                if prev + 1 != i || self.words[prev].space_after {
                    out.push(' ');
                }
            }
            out.push_str(&w.form);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax;

    fn parse(s: &str) -> Vec<Word> {
        syntax::model().expect("model").parse_sentence(s)
    }

    fn at(words: &[Word], form: &str) -> usize {
        words
            .iter()
            .position(|w| w.form == form)
            .unwrap_or_else(|| panic!("no {form}"))
    }

    /// The words of `s` parsed again with [`retag`]'s hints, if it gave any.
    fn retagged(s: &str) -> Vec<Word> {
        let w = parse(s);
        match retag(&w) {
            Some(hints) => syntax::model().expect("model").reparse(&w, &hints),
            None => w,
        }
    }

    #[test]
    fn a_verb_the_tagger_took_for_a_noun_is_tagged_again_as_the_verb() {
        let w = retagged("The company plans to redeem the notes on May 1.");
        assert_eq!((w[2].upos, w[2].xpos), ("VERB", "VBZ"));
        assert_eq!(
            Tree::new(&w).subject(2).map(|s| w[s].form.as_str()),
            Some("company")
        );
        let w = retagged("Capital expenditure rose in 1986 to 60 mln stg.");
        let rose = at(&w, "rose");
        assert_eq!((w[rose].upos, w[rose].xpos), ("VERB", "VBD"));
        // Nouns stay nouns where a noun is meant.
        let w = retagged("The plans to redeem the notes were dropped.");
        assert_eq!(w[1].upos, "NOUN");
        let w = retagged("She gave him a rose on Friday.");
        assert_eq!(w[at(&w, "rose")].upos, "NOUN");
    }

    #[test]
    fn a_verb_left_without_subject_takes_the_noun_phrase_before_it() {
        let mut w = parse("Japan says police then entered the consulate building.");
        repair(&mut w);
        let t = Tree::new(&w);
        let s = t.subject(at(&w, "entered")).expect("subject");
        assert_eq!(w[s].form, "police");
        let mut w = parse(
            "On the same day as the incident at the Japanese Consulate in Shenyang, two North Koreans climbed a wall.",
        );
        repair(&mut w);
        let t = Tree::new(&w);
        let s = t.subject(at(&w, "climbed")).expect("subject");
        let phrase: Vec<usize> = t
            .subtree(s)
            .into_iter()
            .filter(|&i| w[i].upos != "PUNCT")
            .collect();
        assert_eq!(t.text_of(&phrase), "two North Koreans");
    }

    #[test]
    fn a_joined_verb_shares_its_subject() {
        let w = parse("Two North Koreans climbed a wall and entered the consulate.");
        let t = Tree::new(&w);
        let s = t.subject(at(&w, "entered")).expect("subject");
        assert_eq!(w[s].form, "Koreans");
    }

    #[test]
    fn a_relative_pronoun_stands_for_the_noun_it_describes() {
        let w = parse("The ambassador, who was summoned to the ministry, said nothing.");
        let t = Tree::new(&w);
        let s = t.subject(at(&w, "summoned")).expect("subject");
        assert_eq!(w[s].form, "who");
        assert_eq!(
            t.antecedent(s).map(|a| w[a].form.as_str()),
            Some("ambassador")
        );
    }

    #[test]
    fn negation_modals_and_conditions_are_read_from_the_predicate() {
        let w = parse("Police did not enter the building.");
        assert!(Tree::new(&w).negated(at(&w, "enter")));
        let w = parse("The minister will visit Seoul on Monday.");
        assert_eq!(
            Tree::new(&w).modal(at(&w, "visit")).as_deref(),
            Some("will")
        );
        let w = parse("If they arrive on Monday, talks begin.");
        assert!(Tree::new(&w).conditional(at(&w, "arrive")));
    }

    #[test]
    fn subtrees_and_text_keep_the_sentence_order_and_spacing() {
        let w = parse("The Chinese police dragged two men away.");
        let t = Tree::new(&w);
        let subject = t.subject(at(&w, "dragged")).expect("subject");
        assert_eq!(t.text_of(&t.subtree(subject)), "The Chinese police");
        assert!(t.dominates(at(&w, "dragged"), at(&w, "men")));
        assert_eq!(t.particle(at(&w, "dragged")).as_deref(), Some("away"));
    }
}
