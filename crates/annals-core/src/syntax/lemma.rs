//! Lemmas: what the treebank says for a (word, tag) it has seen, else the edit its
//! words of the same tag and ending take ("-ied" VBD → "-y", "-ies" NNS → "-y",
//! "-ning" VBG → "-n"), learned from the treebank rather than written by hand.

use std::collections::HashMap;

use super::perceptron::{put_str, put_u32, Reader};

/// Longest ending a rule is keyed by, in characters.
const MAX_SUFFIX: usize = 5;

/// An edit from a word to its lemma: drop `strip` characters, add `append`.
/// Whether the word is lower-cased first depends on its tag, not on the edit
/// ("Entered" and "entered" take the same edit).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Edit {
    strip: u8,
    append: String,
}

impl Edit {
    fn between(form: &str, lemma: &str) -> Edit {
        let common = form
            .chars()
            .zip(lemma.chars())
            .take_while(|(a, b)| a.to_lowercase().eq(b.to_lowercase()))
            .count();
        let strip = (form.chars().count() - common).min(usize::from(u8::MAX));
        Edit {
            strip: strip as u8,
            append: lemma.chars().skip(common).collect(),
        }
    }

    fn apply(&self, form: &str, lower: bool) -> String {
        let base = if lower {
            form.to_lowercase()
        } else {
            form.to_string()
        };
        let n = base.chars().count();
        if usize::from(self.strip) >= n {
            return base;
        }
        let mut out: String = base.chars().take(n - usize::from(self.strip)).collect();
        out.push_str(&self.append);
        out
    }
}

fn suffix(s: &str, n: usize) -> &str {
    let start = s
        .char_indices()
        .rev()
        .nth(n.saturating_sub(1))
        .map_or(0, |(i, _)| i);
    &s[start..]
}

/// The lemmatizer's tables.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Lemmatizer {
    /// (form, tag class) → lemma, where the lemma is not the form's default edit.
    known: HashMap<(String, u16), String>,
    /// (tag class, ending) → edit.
    rules: HashMap<(u16, String), Edit>,
    /// Tag classes whose capitalized words mostly have lower-case lemmas
    /// ("Entered" → "enter"; not "Shenyang" → "Shenyang").
    lower: std::collections::HashSet<u16>,
}

impl Lemmatizer {
    pub(crate) fn train<'a>(examples: impl Iterator<Item = (&'a str, usize, &'a str)>) -> Self {
        let mut seen: HashMap<(String, u16), HashMap<String, usize>> = HashMap::new();
        let mut edits: HashMap<(u16, String), HashMap<Edit, usize>> = HashMap::new();
        let mut lowered: HashMap<u16, (usize, usize)> = HashMap::new();
        for (form, class, lemma) in examples {
            let class = class as u16;
            if form.chars().next().is_some_and(char::is_uppercase) {
                let counts = lowered.entry(class).or_default();
                counts.0 += usize::from(lemma.chars().next().is_some_and(char::is_lowercase));
                counts.1 += 1;
            }
            *seen
                .entry((form.to_string(), class))
                .or_default()
                .entry(lemma.to_string())
                .or_default() += 1;
            let edit = Edit::between(form, lemma);
            let lower = form.to_lowercase();
            // An edit is evidence only for endings that cover what it strips:
            // "cities" → "city" says what "-ies" does, not what "-s" does.
            let from = usize::from(edit.strip);
            for k in from..=MAX_SUFFIX.min(lower.chars().count()) {
                *edits
                    .entry((class, suffix(&lower, k).to_string()))
                    .or_default()
                    .entry(edit.clone())
                    .or_default() += 1;
            }
        }
        let rules: HashMap<(u16, String), Edit> = edits
            .into_iter()
            .filter_map(|(key, counts)| {
                let total: usize = counts.values().sum();
                let (edit, n) = counts
                    .into_iter()
                    .max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.append.cmp(&a.0.append)))?;
                // An ending seen once, or with no clear majority, says little; the
                // shortest endings stay regardless so every tag has a fallback.
                let short = key.1.chars().count() <= 1;
                (short || (total >= 2 && n * 2 > total)).then_some((key, edit))
            })
            .collect();
        let mut lem = Lemmatizer {
            known: HashMap::new(),
            rules,
            lower: lowered
                .into_iter()
                .filter(|(_, (low, all))| low * 2 > *all)
                .map(|(c, _)| c)
                .collect(),
        };
        for ((form, class), counts) in seen {
            let Some((lemma, _)) = counts
                .into_iter()
                .max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(&a.0)))
            else {
                continue;
            };
            if lem.by_rule(&form, usize::from(class)) != lemma {
                lem.known.insert((form, class), lemma);
            }
        }
        lem
    }

    pub(crate) fn lemma(&self, form: &str, class: usize) -> String {
        match self.known.get(&(form.to_string(), class as u16)) {
            Some(l) => l.clone(),
            None => self.by_rule(form, class),
        }
    }

    fn by_rule(&self, form: &str, class: usize) -> String {
        let lower = form.to_lowercase();
        let n = lower.chars().count();
        let lowers = self.lower.contains(&(class as u16));
        for k in (0..=MAX_SUFFIX.min(n)).rev() {
            if let Some(edit) = self
                .rules
                .get(&(class as u16, suffix(&lower, k).to_string()))
            {
                return edit.apply(form, lowers);
            }
        }
        if lowers {
            lower
        } else {
            form.to_string()
        }
    }

    pub(crate) fn write(&self, out: &mut Vec<u8>) {
        let mut known: Vec<_> = self.known.iter().collect();
        known.sort();
        put_u32(out, known.len() as u32);
        for ((form, class), lemma) in known {
            put_str(out, form);
            out.extend_from_slice(&class.to_le_bytes());
            put_str(out, lemma);
        }
        let mut rules: Vec<_> = self.rules.iter().collect();
        rules.sort_by(|a, b| a.0.cmp(b.0));
        put_u32(out, rules.len() as u32);
        for ((class, end), edit) in rules {
            out.extend_from_slice(&class.to_le_bytes());
            put_str(out, end);
            out.push(edit.strip);
            put_str(out, &edit.append);
        }
        let mut lower: Vec<u16> = self.lower.iter().copied().collect();
        lower.sort_unstable();
        put_u32(out, lower.len() as u32);
        for class in lower {
            out.extend_from_slice(&class.to_le_bytes());
        }
    }

    pub(crate) fn read(r: &mut Reader<'_>) -> Option<Self> {
        let mut lem = Lemmatizer::default();
        let n = r.u32()?;
        for _ in 0..n {
            let form = r.str()?.to_string();
            let class = u16::from_le_bytes(r.bytes(2)?.try_into().ok()?);
            let lemma = r.str()?.to_string();
            lem.known.insert((form, class), lemma);
        }
        let n = r.u32()?;
        for _ in 0..n {
            let class = u16::from_le_bytes(r.bytes(2)?.try_into().ok()?);
            let end = r.str()?.to_string();
            let strip = r.u8()?;
            let append = r.str()?.to_string();
            lem.rules.insert((class, end), Edit { strip, append });
        }
        let n = r.u32()?;
        for _ in 0..n {
            lem.lower
                .insert(u16::from_le_bytes(r.bytes(2)?.try_into().ok()?));
        }
        Some(lem)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edits_are_learned_by_ending_and_applied_to_unseen_words() {
        // Class 0: plural nouns; class 1: past verbs.
        let data = [
            ("cities", 0, "city"),
            ("parties", 0, "party"),
            ("embassies", 0, "embassy"),
            ("envoys", 0, "envoy"),
            ("talks", 0, "talk"),
            ("carried", 1, "carry"),
            ("worried", 1, "worry"),
            ("entered", 1, "enter"),
            ("Entered", 1, "enter"),
            ("went", 1, "go"),
            ("Shenyang", 2, "Shenyang"),
            ("Koreans", 3, "Korean"),
            ("Americans", 3, "American"),
        ];
        let lem = Lemmatizer::train(data.iter().map(|&(f, c, l)| (f, c, l)));
        assert_eq!(lem.lemma("consulates", 0), "consulate");
        assert_eq!(lem.lemma("countries", 0), "country");
        assert_eq!(lem.lemma("buried", 1), "bury");
        assert_eq!(lem.lemma("went", 1), "go");
        assert_eq!(lem.lemma("Climbed", 1), "climb");
        assert_eq!(lem.lemma("Seoul", 2), "Seoul");
        assert_eq!(lem.lemma("Japanese", 3), "Japanese");
        assert_eq!(lem.lemma("Germans", 3), "German");
        let mut bytes = Vec::new();
        lem.write(&mut bytes);
        assert_eq!(Lemmatizer::read(&mut Reader::new(&bytes)), Some(lem));
    }
}
