//! Part-of-speech tags: one greedy left-to-right pass of an averaged perceptron
//! over the word, its affixes and shape, two words either side and the two tags
//! before it. Each class is a (UPOS, XPOS) pair as the treebank pairs them, so the
//! Penn tag ("VBD" against "VBN") comes with the universal one.

use super::perceptron::{best, str_id, Feat, Trainer, Weights};

/// What the tagger knows of one word before it looks at tags.
#[derive(Clone)]
pub(crate) struct WordInfo {
    pub(crate) lower: u64,
    prefix: [u64; 3],
    suffix: [u64; 4],
    shape: u64,
    flags: u64,
}

impl WordInfo {
    /// The id of its last three letters (lower case).
    pub(crate) fn suffix3(&self) -> u64 {
        self.suffix[2]
    }

    pub(crate) fn new(form: &str) -> Self {
        let lower = form.to_lowercase();
        let chars: Vec<char> = lower.chars().collect();
        let n = chars.len();
        let affix = |from: usize, to: usize| -> u64 {
            let s: String = chars[from.min(n)..to.min(n)].iter().collect();
            str_id(&s)
        };
        let prefix = [affix(0, 1), affix(0, 2), affix(0, 3)];
        let suffix = [
            affix(n.saturating_sub(1), n),
            affix(n.saturating_sub(2), n),
            affix(n.saturating_sub(3), n),
            affix(n.saturating_sub(4), n),
        ];
        let upper = form.chars().next().is_some_and(char::is_uppercase);
        let all_upper =
            form.chars().all(|c| !c.is_lowercase()) && form.chars().any(char::is_uppercase);
        let digit = form.chars().any(|c| c.is_ascii_digit());
        let hyphen = form.contains('-');
        let flags = u64::from(upper)
            | u64::from(all_upper) << 1
            | u64::from(digit) << 2
            | u64::from(hyphen) << 3
            | u64::from(n > 12) << 4;
        WordInfo {
            lower: str_id(&lower),
            prefix,
            suffix,
            shape: str_id(&shape(form)),
            flags,
        }
    }
}

/// "Xxxx" → "Xx", "1,000" → "d,d", "U.S." → "X.X.": each run of one kind once.
pub(crate) fn shape(form: &str) -> String {
    let mut out = String::new();
    let mut last = None;
    for c in form.chars() {
        let k = if c.is_uppercase() {
            'X'
        } else if c.is_lowercase() {
            'x'
        } else if c.is_ascii_digit() {
            'd'
        } else {
            c
        };
        if last != Some(k) {
            out.push(k);
            last = Some(k);
        }
        if out.len() > 8 {
            break;
        }
    }
    out
}

const NONE: u64 = 0x5EED;
const START: u64 = 0x57A7;

/// `right`, in the second pass, holds the first pass's tags: the tags of the words
/// ahead, which a left-to-right pass cannot know ("that" before a noun or a verb).
fn features(
    words: &[WordInfo],
    tags: &[usize],
    right: Option<&[usize]>,
    i: usize,
    out: &mut Vec<u64>,
) {
    out.clear();
    let w = &words[i];
    let at = |j: isize| -> u64 {
        let k = i as isize + j;
        if k < 0 || k as usize >= words.len() {
            NONE
        } else {
            words[k as usize].lower
        }
    };
    let tag = |j: usize| -> u64 {
        if i >= j {
            tags[i - j] as u64
        } else {
            START
        }
    };
    let t1 = tag(1);
    let t2 = tag(2);
    let mut f = |template: u32, vals: &[u64]| out.push(Feat::of(template, vals));
    f(0, &[]);
    f(1, &[w.lower]);
    for (k, p) in w.prefix.iter().enumerate() {
        f(2 + k as u32, &[*p]);
    }
    for (k, s) in w.suffix.iter().enumerate() {
        f(5 + k as u32, &[*s]);
    }
    f(9, &[w.shape]);
    f(10, &[w.flags, u64::from(i == 0)]);
    f(11, &[at(-1)]);
    f(12, &[at(1)]);
    f(13, &[at(-2)]);
    f(14, &[at(2)]);
    f(15, &[t1]);
    f(16, &[t1, t2]);
    f(17, &[t1, w.lower]);
    f(18, &[at(-1), w.lower]);
    f(19, &[w.lower, at(1)]);
    f(20, &[t1, w.suffix[2]]);
    f(21, &[t2]);
    if i + 1 < words.len() {
        let n = &words[i + 1];
        f(22, &[n.suffix[2]]);
        f(23, &[n.shape]);
        f(24, &[w.lower, n.suffix[1]]);
    }
    if i > 0 {
        f(25, &[words[i - 1].suffix[2]]);
        f(26, &[t1, at(1)]);
    }
    f(27, &[w.shape, at(1)]);
    f(28, &[w.suffix[1], t1, at(1)]);
    f(29, &[at(-1), at(1)]);
    f(30, &[t1, w.shape]);
    f(31, &[w.lower, at(2)]);
    f(32, &[at(-2), at(-1), w.lower]);
    f(33, &[t1, t2, w.suffix[1]]);
    if i + 2 < words.len() {
        f(34, &[words[i + 2].suffix[2]]);
    }
    if let Some(right) = right {
        let r = |j: usize| right.get(i + j).map_or(START, |&t| t as u64);
        let (r1, r2) = (r(1), r(2));
        f(40, &[r1]);
        f(41, &[r1, r2]);
        f(42, &[t1, r1]);
        f(43, &[w.lower, r1]);
        f(44, &[w.suffix[2], r1]);
        f(45, &[r(0)]);
        f(46, &[w.lower, r(0)]);
        f(47, &[t1, r(0), r1]);
    }
}

/// Tags a sentence; `tags` gets one class per word.
pub(crate) fn tag(
    weights: &Weights,
    words: &[WordInfo],
    right: Option<&[usize]>,
    tags: &mut Vec<usize>,
) {
    tags.clear();
    let mut keys = Vec::with_capacity(48);
    let mut scores = vec![0i32; weights.n_classes];
    for i in 0..words.len() {
        features(words, tags, right, i, &mut keys);
        scores.iter_mut().for_each(|s| *s = 0);
        weights.score(&keys, &mut scores);
        tags.push(best(&scores, |_| true).unwrap_or(0));
    }
}

/// One pass over the training sentences; answers the share tagged right.
/// A training sentence: words, gold classes, and for the second pass the first
/// pass's tags.
pub(crate) type Example<'a> = (&'a [WordInfo], &'a [usize], Option<&'a [usize]>);

pub(crate) fn train_epoch(trainer: &mut Trainer, n_classes: usize, data: &[Example<'_>]) -> f64 {
    let mut keys = Vec::with_capacity(48);
    let mut scores = vec![0f32; n_classes];
    let (mut right, mut all) = (0usize, 0usize);
    let mut tags = Vec::new();
    for &(words, gold, ahead) in data {
        tags.clear();
        for (i, &truth) in gold.iter().enumerate().take(words.len()) {
            features(words, &tags, ahead, i, &mut keys);
            scores.iter_mut().for_each(|s| *s = 0.0);
            trainer.score(&keys, &mut scores);
            let guess = best(&scores, |_| true).unwrap_or(0);
            trainer.update(&keys, truth, guess);
            trainer.tick();
            right += usize::from(guess == truth);
            all += 1;
            // Train on the guess's context, as tagging will see it.
            tags.push(guess);
        }
    }
    right as f64 / all.max(1) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_collapse_runs() {
        assert_eq!(shape("Shenyang"), "Xx");
        assert_eq!(shape("1,000"), "d,d");
        assert_eq!(shape("U.S."), "X.X.");
        assert_eq!(shape("iPhone4"), "xXxd");
    }
}
