//! The unlabelled dependency tree: a greedy arc-hybrid transition parser (Kuhlmann
//! et al. 2011) scored by an averaged perceptron over the rich non-local features of
//! Zhang and Nivre (2011), trained with a dynamic oracle and exploration (Goldberg
//! and Nivre 2013) so that it learns to recover from its own mistakes.
//!
//! Time is linear: each word is shifted once and attached once, and a transition
//! looks at a fixed number of positions.

use super::perceptron::{best, str_id, Feat, Trainer, Weights};
use super::tagger::WordInfo;

pub(crate) const SHIFT: usize = 0;
pub(crate) const LEFT: usize = 1;
pub(crate) const RIGHT: usize = 2;
pub(crate) const N_ACTIONS: usize = 3;

const NONE: u64 = 0x0BAD_F00D;
const ROOT: u64 = 0x0000_7007;

/// What the parser sees of a word: its lower-case form, its tag class, its
/// universal part of speech (robust where the fine tags are confused: "VBD"
/// against "VBN") and its last three letters (for words it never saw).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Token {
    pub(crate) word: u64,
    pub(crate) tag: u64,
    pub(crate) coarse: u64,
    pub(crate) suffix: u64,
}

/// The parser's view of tagged words; `coarse[class]` is the class's universal
/// tag id.
pub(crate) fn tokens(infos: &[WordInfo], tags: &[usize], coarse: &[u64]) -> Vec<Token> {
    infos
        .iter()
        .zip(tags)
        .map(|(w, &t)| Token {
            word: w.lower,
            tag: t as u64,
            coarse: coarse.get(t).copied().unwrap_or(NONE),
            suffix: w.suffix3(),
        })
        .collect()
}

/// Universal tag ids of tag classes given as (UPOS, XPOS).
pub(crate) fn coarse_ids<S: AsRef<str>>(classes: &[(S, S)]) -> Vec<u64> {
    classes.iter().map(|(u, _)| str_id(u.as_ref())).collect()
}

/// Dependents of a word as far as the parse has got.
#[derive(Debug, Clone, Copy, Default)]
struct Kids {
    /// Leftmost and second leftmost left dependent, rightmost and second rightmost
    /// right dependent.
    l1: Option<usize>,
    l2: Option<usize>,
    r1: Option<usize>,
    r2: Option<usize>,
    nl: u8,
    nr: u8,
}

/// A parser configuration. Word 0 is the root, words 1..=n the sentence.
#[derive(Clone)]
struct State {
    n: usize,
    stack: Vec<usize>,
    /// The first word of the buffer; n + 1 when it is empty.
    b: usize,
    heads: Vec<usize>,
    kids: Vec<Kids>,
}

impl State {
    fn new(n: usize) -> Self {
        let mut stack = Vec::with_capacity(n + 1);
        stack.push(0);
        State {
            n,
            stack,
            b: 1,
            heads: vec![0; n + 1],
            kids: vec![Kids::default(); n + 1],
        }
    }

    fn done(&self) -> bool {
        self.b > self.n && self.stack.len() == 1
    }

    /// The root takes its one dependent only when everything else is attached.
    fn valid(&self, action: usize) -> bool {
        let depth = self.stack.len();
        match action {
            SHIFT => self.b <= self.n,
            LEFT => depth >= 2 && self.b <= self.n,
            _ => depth >= 2 && (depth > 2 || self.b > self.n),
        }
    }

    fn apply(&mut self, action: usize) {
        match action {
            SHIFT => {
                self.stack.push(self.b);
                self.b += 1;
            }
            LEFT => {
                let d = self.stack.pop().unwrap_or(0);
                self.attach(self.b, d);
            }
            _ => {
                let d = self.stack.pop().unwrap_or(0);
                let h = self.stack.last().copied().unwrap_or(0);
                self.attach(h, d);
            }
        }
    }

    fn attach(&mut self, h: usize, d: usize) {
        self.heads[d] = h;
        let k = &mut self.kids[h];
        if d < h {
            k.l2 = k.l1;
            k.l1 = Some(d);
            k.nl = k.nl.saturating_add(1);
        } else {
            k.r2 = k.r1;
            k.r1 = Some(d);
            k.nr = k.nr.saturating_add(1);
        }
    }

    /// How many gold arcs each action makes unreachable (arc-hybrid's dynamic oracle).
    fn costs(&self, gold: &[usize]) -> [u32; N_ACTIONS] {
        let depth = self.stack.len();
        let buffer = self.b..=self.n;
        let mut costs = [u32::MAX; N_ACTIONS];
        if self.valid(SHIFT) {
            let b0 = self.b;
            let below = &self.stack[..depth - 1];
            let kids_lost = self
                .stack
                .iter()
                .filter(|&&d| d != 0 && gold[d] == b0)
                .count();
            let head_lost = below.contains(&gold[b0]);
            costs[SHIFT] = (kids_lost + usize::from(head_lost)) as u32;
        }
        if depth >= 2 {
            let s0 = self.stack[depth - 1];
            let s1 = self.stack[depth - 2];
            let kids_lost = buffer.clone().filter(|&d| gold[d] == s0).count();
            if self.valid(LEFT) {
                let g = gold[s0];
                let head_lost = g != self.b && (g == s1 || buffer.contains(&g));
                costs[LEFT] = (kids_lost + usize::from(head_lost)) as u32;
            }
            if self.valid(RIGHT) {
                let head_lost = buffer.contains(&gold[s0]);
                costs[RIGHT] = (kids_lost + usize::from(head_lost)) as u32;
            }
        }
        costs
    }
}

fn bucket(d: usize) -> u64 {
    match d {
        0..=4 => d as u64,
        5..=9 => 5,
        _ => 6,
    }
}

fn features(toks: &[Token], st: &State, out: &mut Vec<u64>) {
    out.clear();
    let depth = st.stack.len();
    let s = |k: usize| (depth > k).then(|| st.stack[depth - 1 - k]);
    let (s0, s1, s2) = (s(0), s(1), s(2));
    let b = |k: usize| (st.b + k <= st.n).then_some(st.b + k);
    let (b0, b1, b2) = (b(0), b(1), b(2));
    let kid =
        |x: Option<usize>, pick: fn(&Kids) -> Option<usize>| x.and_then(|x| pick(&st.kids[x]));
    // One field of the word at a position; the root and an empty position have
    // values of their own.
    let field = |i: Option<usize>, of: fn(&Token) -> u64| match i {
        Some(0) => ROOT,
        Some(i) => of(&toks[i - 1]),
        None => NONE,
    };
    let w = |i| field(i, |t| t.word);
    let p = |i| field(i, |t| t.tag);
    let c = |i| field(i, |t| t.coarse);
    let sfx = |i| field(i, |t| t.suffix);
    let (s0l1, s0l2, s0r1, s0r2) = (
        kid(s0, |k| k.l1),
        kid(s0, |k| k.l2),
        kid(s0, |k| k.r1),
        kid(s0, |k| k.r2),
    );
    let (s1l1, s1r1, s1r2) = (kid(s1, |k| k.l1), kid(s1, |k| k.r1), kid(s1, |k| k.r2));
    let (b0l1, b0l2) = (kid(b0, |k| k.l1), kid(b0, |k| k.l2));
    let (s0w, s0p, s1w, s1p, b0w, b0p) = (w(s0), p(s0), w(s1), p(s1), w(b0), p(b0));
    let (s0c, s1c, b0c) = (c(s0), c(s1), c(b0));
    let mut f = |template: u32, vals: &[u64]| out.push(Feat::of(template, vals));
    f(1, &[s0w]);
    f(2, &[s0p]);
    f(3, &[s0w, s0p]);
    f(4, &[s1w]);
    f(5, &[s1p]);
    f(6, &[s1w, s1p]);
    f(7, &[b0w]);
    f(8, &[b0p]);
    f(9, &[b0w, b0p]);
    f(10, &[w(b1)]);
    f(11, &[p(b1)]);
    f(12, &[w(b1), p(b1)]);
    f(13, &[p(b2)]);
    f(14, &[w(b2)]);
    f(15, &[p(s2)]);
    f(16, &[w(s2)]);
    f(17, &[s0w, s0p, b0w, b0p]);
    f(18, &[s0w, s0p, b0w]);
    f(19, &[s0w, b0w, b0p]);
    f(20, &[s0w, s0p, b0p]);
    f(21, &[s0p, b0w, b0p]);
    f(22, &[s0w, b0w]);
    f(23, &[s0p, b0p]);
    f(24, &[b0p, p(b1)]);
    f(25, &[b0p, p(b1), p(b2)]);
    f(26, &[s0p, b0p, p(b1)]);
    f(27, &[s1p, s0p, b0p]);
    f(28, &[s1p, s0p]);
    f(29, &[s1w, s0w]);
    f(30, &[s1p, s0w]);
    f(31, &[s1w, s0p]);
    f(32, &[p(s2), s1p, s0p]);
    f(33, &[s0p, p(s0l1), b0p]);
    f(34, &[s0p, p(s0r1), b0p]);
    f(35, &[s0p, b0p, p(b0l1)]);
    f(36, &[s1p, s0p, p(s0l1)]);
    f(37, &[s1p, s0p, p(s0r1)]);
    f(38, &[s1p, p(s1r1), s0p]);
    f(39, &[s1p, p(s1l1), s0p]);
    f(40, &[w(s0l1)]);
    f(41, &[p(s0l1)]);
    f(42, &[w(s0r1)]);
    f(43, &[p(s0r1)]);
    f(44, &[p(s0l2)]);
    f(45, &[p(s0r2)]);
    f(46, &[w(b0l1)]);
    f(47, &[p(b0l1)]);
    f(48, &[p(b0l2)]);
    f(49, &[p(s1l1)]);
    f(50, &[p(s1r1)]);
    f(51, &[w(s1r1)]);
    f(52, &[s0p, p(s0l1), p(s0l2)]);
    f(53, &[s0p, p(s0r1), p(s0r2)]);
    f(54, &[b0p, p(b0l1), p(b0l2)]);
    f(55, &[s1p, p(s1r1), p(s1r2)]);
    if let (Some(x), Some(y)) = (s0, b0) {
        let d = if x == 0 { 7 } else { bucket(y - x) };
        f(56, &[d, s0w]);
        f(57, &[d, s0p]);
        f(58, &[d, b0w]);
        f(59, &[d, b0p]);
        f(60, &[d, s0p, b0p]);
    }
    if let (Some(x), Some(y)) = (s1, s0) {
        let d = if x == 0 { 7 } else { bucket(y - x) };
        f(61, &[d, s1p, s0p]);
        f(62, &[d, s0w]);
        f(63, &[d, s1w]);
    }
    let valency = |x: Option<usize>| {
        x.map_or((9, 9), |x| {
            (
                u64::from(st.kids[x].nl.min(4)),
                u64::from(st.kids[x].nr.min(4)),
            )
        })
    };
    let (s0nl, s0nr) = valency(s0);
    let (b0nl, _) = valency(b0);
    let (s1nl, s1nr) = valency(s1);
    f(64, &[s0nl, s0nr, s0w]);
    f(65, &[s0nl, s0nr, s0p]);
    f(66, &[b0nl, b0w]);
    f(67, &[b0nl, b0p]);
    f(68, &[s1nr, s1p]);
    f(69, &[s1nl, s1nr, s1w]);
    f(70, &[s1w, b0w]);
    f(71, &[s1p, b0p]);
    f(72, &[s0p, b0p, s1p, p(b1)]);
    f(73, &[s0c, b0c]);
    f(74, &[s1c, s0c, b0c]);
    f(75, &[s0c, b0c, c(b1)]);
    f(76, &[s0c, c(s0l1), c(s0r1), b0c]);
    f(77, &[s1c, c(s1r1), s0c]);
    f(78, &[sfx(s0), s0c]);
    f(79, &[sfx(b0), b0c]);
    f(80, &[sfx(s0), sfx(b0)]);
    f(81, &[c(s2), s1c, s0c, b0c]);
}

/// Parses a tagged sentence; `heads[i]` is the head of word i + 1 (0 for the root).
pub(crate) fn parse(weights: &Weights, toks: &[Token], heads: &mut Vec<usize>) {
    let mut st = State::new(toks.len());
    let mut keys = Vec::with_capacity(80);
    while !st.done() {
        features(toks, &st, &mut keys);
        let mut scores = [0i32; N_ACTIONS];
        weights.score(&keys, &mut scores);
        let action = best(&scores, |a| st.valid(a)).unwrap_or(RIGHT);
        st.apply(action);
    }
    heads.clear();
    heads.extend_from_slice(&st.heads[1..]);
}

/// Parses keeping the `width` best partial parses at each step (by the sum of
/// their actions' scores), so an early choice that looked best can lose to one
/// that explains the rest of the sentence better. Every parse takes exactly 2n
/// transitions, so the beam moves in step.
pub(crate) fn parse_beam(weights: &Weights, toks: &[Token], width: usize, heads: &mut Vec<usize>) {
    if width <= 1 {
        return parse(weights, toks, heads);
    }
    let mut beam = vec![(0i64, State::new(toks.len()))];
    let mut keys = Vec::with_capacity(80);
    let mut candidates: Vec<(i64, usize, usize)> = Vec::with_capacity(3 * width);
    while !beam[0].1.done() {
        candidates.clear();
        for (i, (score, st)) in beam.iter().enumerate() {
            features(toks, st, &mut keys);
            let mut scores = [0i32; N_ACTIONS];
            weights.score(&keys, &mut scores);
            for (a, &s) in scores.iter().enumerate() {
                if st.valid(a) {
                    candidates.push((score + i64::from(s), i, a));
                }
            }
        }
        candidates.sort_unstable_by(|x, y| y.0.cmp(&x.0).then(x.1.cmp(&y.1)).then(x.2.cmp(&y.2)));
        candidates.truncate(width);
        beam = candidates
            .iter()
            .map(|&(score, i, a)| {
                let mut st = beam[i].1.clone();
                st.apply(a);
                (score, st)
            })
            .collect();
    }
    heads.clear();
    heads.extend_from_slice(&beam[0].1.heads[1..]);
}

/// The canonical action sequence for a gold tree: reduce whenever that loses no
/// gold arc, else shift (for a non-projective tree, the sequence that loses fewest).
fn oracle_sequence(n: usize, gold: &[usize]) -> Vec<usize> {
    let mut st = State::new(n);
    let mut seq = Vec::with_capacity(2 * n);
    while !st.done() {
        let costs = st.costs(gold);
        let min = costs.iter().copied().min().unwrap_or(0);
        let a = [LEFT, RIGHT, SHIFT]
            .into_iter()
            .find(|&a| costs[a] == min)
            .unwrap_or(SHIFT);
        seq.push(a);
        st.apply(a);
    }
    seq
}

/// Adds `delta` to the weights of each action of `actions` in the configuration
/// it was taken in.
fn replay(
    trainer: &mut Trainer,
    toks: &[Token],
    actions: &[usize],
    delta: f32,
    keys: &mut Vec<u64>,
) {
    let mut st = State::new(toks.len());
    for &a in actions {
        features(toks, &st, keys);
        trainer.add(keys, a, delta);
        st.apply(a);
    }
}

/// One pass of beam-search training (Collins and Roark 2004, Zhang and Clark
/// 2008): when the gold parse falls out of the beam, the gold prefix is rewarded
/// and the best prefix in the beam penalized (early update). Answers the share of
/// sentences parsed right without an update.
pub(crate) fn train_epoch_beam(
    trainer: &mut Trainer,
    data: &[(Vec<Token>, Vec<usize>)],
    order: &[usize],
    width: usize,
) -> f64 {
    let mut keys = Vec::with_capacity(80);
    let mut right = 0usize;
    let mut gold = Vec::new();
    struct Item {
        score: f32,
        st: State,
        actions: Vec<usize>,
        on_gold: bool,
    }
    for &i in order {
        let (toks, heads) = &data[i];
        gold.clear();
        gold.push(0);
        gold.extend_from_slice(heads);
        let seq = oracle_sequence(toks.len(), &gold);
        let mut beam = vec![Item {
            score: 0.0,
            st: State::new(toks.len()),
            actions: Vec::new(),
            on_gold: true,
        }];
        let mut candidates: Vec<(f32, usize, usize)> = Vec::new();
        let mut update: Option<usize> = None;
        for (step, &gold_action) in seq.iter().enumerate() {
            candidates.clear();
            for (b, item) in beam.iter().enumerate() {
                features(toks, &item.st, &mut keys);
                let mut scores = [0f32; N_ACTIONS];
                trainer.score(&keys, &mut scores);
                for (a, &s) in scores.iter().enumerate() {
                    if item.st.valid(a) {
                        candidates.push((item.score + s, b, a));
                    }
                }
            }
            candidates.sort_unstable_by(|x, y| {
                y.0.total_cmp(&x.0).then(x.1.cmp(&y.1)).then(x.2.cmp(&y.2))
            });
            candidates.truncate(width);
            beam = candidates
                .iter()
                .map(|&(score, b, a)| {
                    let parent = &beam[b];
                    let mut st = parent.st.clone();
                    st.apply(a);
                    let mut actions = parent.actions.clone();
                    actions.push(a);
                    Item {
                        score,
                        st,
                        actions,
                        on_gold: parent.on_gold && a == gold_action,
                    }
                })
                .collect();
            if !beam.iter().any(|it| it.on_gold) {
                update = Some(step + 1);
                break;
            }
        }
        let upto = match update {
            Some(step) => Some(step),
            None if !beam[0].on_gold => Some(seq.len()),
            None => None,
        };
        match upto {
            Some(step) => {
                let guess = beam[0].actions.clone();
                replay(trainer, toks, &seq[..step], 1.0, &mut keys);
                replay(trainer, toks, &guess, -1.0, &mut keys);
            }
            None => right += 1,
        }
        trainer.tick();
    }
    right as f64 / order.len().max(1) as f64
}

/// A small, seeded random number generator (xorshift64*), so training is repeatable.
pub(crate) struct Rng(pub(crate) u64);

impl Rng {
    pub(crate) fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    /// A float in [0, 1).
    pub(crate) fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// One pass over the training sentences with the dynamic oracle. With `explore`,
/// the parser follows its own (possibly wrong) choice 9 times in 10, as it will
/// when parsing. Answers the share of right decisions.
pub(crate) fn train_epoch(
    trainer: &mut Trainer,
    data: &[(Vec<Token>, Vec<usize>)],
    order: &[usize],
    explore: bool,
    rng: &mut Rng,
) -> f64 {
    let mut keys = Vec::with_capacity(80);
    let (mut right, mut all) = (0usize, 0usize);
    let mut gold = Vec::new();
    for &i in order {
        let (toks, heads) = &data[i];
        gold.clear();
        gold.push(0);
        gold.extend_from_slice(heads);
        let mut st = State::new(toks.len());
        while !st.done() {
            features(toks, &st, &mut keys);
            let mut scores = [0f32; N_ACTIONS];
            trainer.score(&keys, &mut scores);
            let costs = st.costs(&gold);
            let min = costs.iter().copied().min().unwrap_or(0);
            let guess = best(&scores, |a| costs[a] != u32::MAX).unwrap_or(SHIFT);
            let truth = best(&scores, |a| costs[a] == min).unwrap_or(guess);
            if costs[guess] > min {
                trainer.update(&keys, truth, guess);
            } else {
                right += 1;
            }
            trainer.tick();
            all += 1;
            let next = if explore && costs[guess] > min && rng.unit() < 0.9 {
                guess
            } else {
                truth
            };
            st.apply(next);
        }
    }
    right as f64 / all.max(1) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Following the oracle's zero-cost actions rebuilds any projective tree.
    #[test]
    fn the_oracle_rebuilds_projective_trees() {
        let trees: [&[usize]; 4] = [&[2, 0, 2], &[0], &[2, 3, 0, 3, 6, 4], &[4, 4, 4, 0, 4, 4]];
        for heads in trees {
            let mut gold = vec![0];
            gold.extend_from_slice(heads);
            let mut st = State::new(heads.len());
            while !st.done() {
                let costs = st.costs(&gold);
                let a = (0..N_ACTIONS)
                    .find(|&a| costs[a] == 0)
                    .expect("a zero-cost action");
                st.apply(a);
            }
            assert_eq!(&st.heads[1..], heads);
        }
    }

    #[test]
    fn every_parse_is_a_tree_with_one_root() {
        let w = Trainer::new(N_ACTIONS).finish(0);
        for n in 0..12 {
            let toks: Vec<Token> = (0..n)
                .map(|i| Token {
                    word: i as u64,
                    tag: 1,
                    coarse: 1,
                    suffix: 1,
                })
                .collect();
            let mut heads = Vec::new();
            parse(&w, &toks, &mut heads);
            assert_eq!(heads.len(), n);
            assert_eq!(
                heads.iter().filter(|&&h| h == 0).count(),
                usize::from(n > 0)
            );
            for i in 1..=n {
                // Following heads from any word reaches the root.
                let (mut x, mut steps) = (i, 0);
                while x != 0 && steps <= n {
                    x = heads[x - 1];
                    steps += 1;
                }
                assert_eq!(x, 0);
            }
        }
    }
}
