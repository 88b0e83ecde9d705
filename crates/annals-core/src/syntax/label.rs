//! Dependency relations for a finished tree: each arc, left to right, gets the
//! label an averaged perceptron picks from the two words, their tags, direction
//! and distance, the head's own relation when it came first, the dependent's
//! function words ("of", "to", "that") and the relations its head has already
//! handed out ("nsubj" taken, so "obj"). (Labelling from the root down, so every
//! head's relation is known, scored lower on EWT dev: a wrong head label misleads.)

use super::parser::Token;
use super::perceptron::{best, Feat, Trainer, Weights};

const NONE: u64 = 0x0BAD_F00D;
const ROOT: u64 = 0x0000_7007;

/// The tree a labeller works on: words (0-based), their heads (0 = root, else 1-based).
pub(crate) struct Tree<'a> {
    pub(crate) toks: &'a [Token],
    pub(crate) heads: &'a [usize],
    /// Dependents of each word (index 0 is the root), in order.
    kids: Vec<Vec<usize>>,
}

impl<'a> Tree<'a> {
    pub(crate) fn new(toks: &'a [Token], heads: &'a [usize]) -> Self {
        let mut kids = vec![Vec::new(); toks.len() + 1];
        for (i, &h) in heads.iter().enumerate() {
            if h < kids.len() {
                kids[h].push(i + 1);
            }
        }
        Tree { toks, heads, kids }
    }
}

fn features(t: &Tree<'_>, labels: &[usize], d: usize, out: &mut Vec<u64>) {
    out.clear();
    let h = t.heads[d - 1];
    let w = |i: usize| if i == 0 { ROOT } else { t.toks[i - 1].word };
    let p = |i: usize| if i == 0 { ROOT } else { t.toks[i - 1].tag };
    let at = |i: isize| -> u64 {
        if i < 1 || i as usize > t.toks.len() {
            NONE
        } else {
            p(i as usize)
        }
    };
    let c = |i: usize| if i == 0 { ROOT } else { t.toks[i - 1].coarse };
    let (dw, dp, hw, hp) = (w(d), p(d), w(h), p(h));
    let (dc, hc) = (c(d), c(h));
    // Labelled left to right: the head's own relation is known when it comes first.
    let hl = if h == 0 {
        ROOT
    } else if h < d {
        labels[h - 1] as u64
    } else {
        NONE
    };
    let later_same_side = t.kids[h]
        .iter()
        .filter(|&&k| k > d && (k > h) == (d > h))
        .count()
        .min(2) as u64;
    let dir = u64::from(h < d);
    let dist = match h.abs_diff(d) {
        x @ 0..=5 => x as u64,
        6..=10 => 6,
        _ => 7,
    };
    // The head's dependents labelled so far (left of this one), nearest first.
    let sibs: Vec<usize> = t.kids[h].iter().copied().filter(|&k| k < d).collect();
    let last_sib = sibs.last().map_or(NONE, |&k| labels[k - 1] as u64);
    let last_sib_dir = sibs.last().map_or(NONE, |&k| u64::from(k < h));
    let grand = if h == 0 { NONE } else { p(t.heads[h - 1]) };
    let dkids = &t.kids[d];
    let first_kid = dkids.first().map_or(NONE, |&k| w(k));
    let first_kid_p = dkids.first().map_or(NONE, |&k| p(k));
    let last_kid_p = dkids.last().map_or(NONE, |&k| p(k));
    let mut f = |template: u32, vals: &[u64]| out.push(Feat::of(template, vals));
    f(1, &[dw]);
    f(2, &[dp]);
    f(3, &[dw, dp]);
    f(4, &[hw]);
    f(5, &[hp]);
    f(6, &[hw, hp]);
    f(7, &[dp, hp]);
    f(8, &[dw, hp]);
    f(9, &[dp, hw]);
    f(10, &[dw, hw]);
    f(11, &[dir, dp, hp]);
    f(12, &[dist, dir, dp, hp]);
    f(13, &[last_sib, dp, hp]);
    f(14, &[last_sib, last_sib_dir, dir, dp]);
    f(15, &[grand, hp, dp]);
    f(16, &[first_kid, dp, hp]);
    f(17, &[first_kid_p, dp, dir]);
    f(18, &[last_kid_p, dp]);
    f(19, &[at(d as isize - 1), dp, hp]);
    f(20, &[at(d as isize + 1), dp, hp]);
    f(21, &[u64::from(dkids.is_empty()), dp, dir]);
    f(22, &[dir, dw, hp]);
    f(23, &[dir, dp, hw]);
    for &k in dkids {
        f(24, &[p(k), dp, hp]);
        f(25, &[w(k), dp]);
        f(33, &[w(k), u64::from(k < d), dp, hp]);
    }
    for &k in &sibs {
        f(26, &[labels[k - 1] as u64, dp, dir]);
    }
    f(27, &[u64::from(h == 0)]);
    f(28, &[dir, dw, hw]);
    f(29, &[grand, hp, dp, dir]);
    f(30, &[dkids.len().min(5) as u64, dp, hp]);
    // The head's other dependents: its auxiliaries ("was" makes a passive), its
    // case marker, a subject already there.
    f(34, &[hl, dp, hp]);
    f(35, &[hl, dc, dir]);
    f(36, &[hl, dw]);
    f(37, &[later_same_side, dp, hp, dir]);
    f(38, &[dc, hc, dir]);
    f(39, &[dc, hc, hl, dir]);
    for &k in t.kids[h].iter().filter(|&&k| k != d).take(8) {
        f(31, &[w(k), u64::from(k < d), dp]);
        f(32, &[p(k), u64::from(k < d), dp, hp]);
    }
}

/// Labels a tree: `labels[i]` for word i + 1. The root's dependent, and only it,
/// gets `root`.
pub(crate) fn label(weights: &Weights, root: usize, tree: &Tree<'_>, labels: &mut Vec<usize>) {
    labels.clear();
    labels.resize(tree.toks.len(), 0);
    let mut keys = Vec::with_capacity(48);
    let mut scores = vec![0i32; weights.n_classes];
    for d in 1..=tree.toks.len() {
        features(tree, labels, d, &mut keys);
        scores.iter_mut().for_each(|s| *s = 0);
        weights.score(&keys, &mut scores);
        let at_root = tree.heads[d - 1] == 0;
        labels[d - 1] = best(&scores, |c| (c == root) == at_root).unwrap_or(root);
    }
}

/// One pass over gold trees; answers the share labelled right.
pub(crate) fn train_epoch(
    trainer: &mut Trainer,
    n_classes: usize,
    data: &[(Vec<Token>, Vec<usize>, Vec<usize>)],
    order: &[usize],
) -> f64 {
    let mut keys = Vec::with_capacity(48);
    let mut scores = vec![0f32; n_classes];
    let (mut right, mut all) = (0usize, 0usize);
    for &i in order {
        let (toks, heads, gold) = &data[i];
        let tree = Tree::new(toks, heads);
        for d in 1..=toks.len() {
            features(&tree, gold, d, &mut keys);
            scores.iter_mut().for_each(|s| *s = 0.0);
            trainer.score(&keys, &mut scores);
            let guess = best(&scores, |_| true).unwrap_or(0);
            trainer.update(&keys, gold[d - 1], guess);
            trainer.tick();
            right += usize::from(guess == gold[d - 1]);
            all += 1;
        }
    }
    right as f64 / all.max(1) as f64
}
