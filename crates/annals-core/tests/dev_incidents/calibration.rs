//! Fitting and checking the confidence model (`extract/confidence.rs`) on the
//! development reports and the labelled Reuters proposals: every proposal is
//! scored by a model fitted without its incident or story, and the tables tell,
//! for each confidence band, the share that was right.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use annals_core::extract::confidence::{self, Evidence, FEATURES, N};

/// One proposal whose rightness is known.
#[derive(Clone)]
pub struct Sample {
    /// What it may not be scored by a model fitted on: its incident ("02-...")
    /// or its story ("reuters 1234").
    pub group: String,
    pub evidence: Evidence,
    pub right: bool,
}

impl Sample {
    fn is_reuters(&self) -> bool {
        self.group.starts_with("reuters ")
    }
}

/// How strongly the weights are pulled towards 0 (an L2 penalty, in proposals'
/// worth of log loss): the data are a few hundred proposals.
const L2: f64 = 2.0;

/// Folds of the cross-validation: each development incident is a fold of its
/// own, and the Reuters stories (in order of id) are dealt over as many folds.
fn folds(samples: &[Sample]) -> Vec<usize> {
    let mut incidents: Vec<&str> = samples
        .iter()
        .filter(|s| !s.is_reuters())
        .map(|s| s.group.as_str())
        .collect();
    incidents.sort();
    incidents.dedup();
    let mut stories: Vec<&str> = samples
        .iter()
        .filter(|s| s.is_reuters())
        .map(|s| s.group.as_str())
        .collect();
    stories.sort();
    stories.dedup();
    let k = incidents.len().max(1);
    let fold: BTreeMap<&str, usize> = incidents
        .iter()
        .enumerate()
        .map(|(i, g)| (*g, i))
        .chain(stories.iter().enumerate().map(|(i, g)| (*g, i % k)))
        .collect();
    samples.iter().map(|s| fold[s.group.as_str()]).collect()
}

/// Fits the logistic model by Newton's method with an L2 penalty on the
/// weights (not the intercept): the intercept, then one weight per feature.
pub fn fit(samples: &[&Sample]) -> [f64; N + 1] {
    let mut w = [0.0f64; N + 1];
    let xs: Vec<[f64; N + 1]> = samples
        .iter()
        .map(|s| {
            let mut x = [1.0; N + 1];
            x[1..].copy_from_slice(&s.evidence.features());
            x
        })
        .collect();
    for _ in 0..50 {
        let mut grad = [0.0f64; N + 1];
        let mut hess = [[0.0f64; N + 1]; N + 1];
        for (x, s) in xs.iter().zip(samples) {
            let p = confidence::logistic(&w, &x[1..]);
            let err = p - if s.right { 1.0 } else { 0.0 };
            let v = p * (1.0 - p);
            for i in 0..=N {
                grad[i] += err * x[i];
                for j in 0..=N {
                    hess[i][j] += v * x[i] * x[j];
                }
            }
        }
        for i in 1..=N {
            grad[i] += L2 * w[i];
            hess[i][i] += L2;
        }
        // (A feature no sample has keeps the penalty alone; the intercept
        // needs a little to stay solvable when every sample agrees.)
        hess[0][0] += 1e-6;
        let step = solve(hess, grad);
        let mut largest = 0.0f64;
        for (wi, d) in w.iter_mut().zip(step) {
            *wi -= d;
            largest = largest.max(d.abs());
        }
        if largest < 1e-9 {
            break;
        }
    }
    w
}

/// Solves `a · x = b` by Gaussian elimination with partial pivoting.
fn solve(mut a: [[f64; N + 1]; N + 1], mut b: [f64; N + 1]) -> [f64; N + 1] {
    let n = N + 1;
    for c in 0..n {
        let p = (c..n)
            .max_by(|&i, &j| a[i][c].abs().total_cmp(&a[j][c].abs()))
            .unwrap_or(c);
        a.swap(c, p);
        b.swap(c, p);
        let d = a[c][c];
        if d.abs() < 1e-12 {
            continue;
        }
        let (pivot, pivot_b) = (a[c], b[c]);
        for (row, rb) in a[c + 1..].iter_mut().zip(&mut b[c + 1..]) {
            let f = row[c] / d;
            if f != 0.0 {
                for (x, y) in row[c..].iter_mut().zip(&pivot[c..]) {
                    *x -= f * y;
                }
                *rb -= f * pivot_b;
            }
        }
    }
    let mut x = [0.0f64; N + 1];
    for r in (0..n).rev() {
        let s: f64 = (r + 1..n).map(|k| a[r][k] * x[k]).sum();
        x[r] = if a[r][r].abs() < 1e-12 {
            0.0
        } else {
            (b[r] - s) / a[r][r]
        };
    }
    x
}

/// Counts per confidence band (tenths): proposals, right ones; and log loss.
#[derive(Default, Clone)]
struct Bands {
    bands: [(usize, usize); 10],
    log_loss: f64,
    n: usize,
    right: usize,
}

impl Bands {
    fn add(&mut self, p: f64, right: bool) {
        let band = ((p * 10.0 + 1e-9).floor() as usize).min(9);
        self.bands[band].0 += 1;
        self.bands[band].1 += usize::from(right);
        let p = p.clamp(1e-6, 1.0 - 1e-6);
        self.log_loss -= if right { p.ln() } else { (1.0 - p).ln() };
        self.n += 1;
        self.right += usize::from(right);
    }

    /// Right and proposals at 0.8 and above.
    fn high(&self) -> (usize, usize) {
        self.bands[8..]
            .iter()
            .fold((0, 0), |(r, n), &(bn, br)| (r + br, n + bn))
    }

    fn table(&self, title: &str) -> String {
        let mut out = format!("{title}\n");
        for (band, (n, right)) in self.bands.iter().enumerate().rev() {
            if *n > 0 {
                let _ = writeln!(
                    out,
                    "  {:.1}-{:.1}: {right:>3} / {n:<3} = {:.2}",
                    band as f64 / 10.0,
                    (band + 1) as f64 / 10.0,
                    *right as f64 / *n as f64
                );
            }
        }
        let (r80, n80) = self.high();
        let _ = writeln!(
            out,
            "  >= 0.8: {r80} / {n80}{}",
            if n80 > 0 {
                format!(" = {:.2}", r80 as f64 / n80 as f64)
            } else {
                String::new()
            }
        );
        let n = self.n.max(1) as f64;
        let base = (self.right as f64 / n).clamp(1e-6, 1.0 - 1e-6);
        let _ = writeln!(
            out,
            "  log loss {:.3} a proposal; always saying the base rate ({}/{} = {:.2}): {:.3}",
            self.log_loss / n,
            self.right,
            self.n,
            base,
            -(base * base.ln() + (1.0 - base) * (1.0 - base).ln())
        );
        out
    }
}

/// What the check found: the held-out tables (development reports, Reuters,
/// both), printed; and the held-out counts the test asserts on.
pub struct Report {
    pub text: String,
    /// Held out, at 0.8 and above: (right, proposals) over both sets, as
    /// given and as the model would say without the ceiling.
    pub high: (usize, usize),
    pub uncapped_high: (usize, usize),
    /// Held-out log loss against the base rate's, per set: (dev, Reuters).
    pub dev_loss: (f64, f64),
    pub reuters_loss: Option<(f64, f64)>,
}

fn losses(b: &Bands) -> (f64, f64) {
    let n = b.n.max(1) as f64;
    let base = (b.right as f64 / n).clamp(1e-6, 1.0 - 1e-6);
    (
        b.log_loss / n,
        -(base * base.ln() + (1.0 - base) * (1.0 - base).ln()),
    )
}

/// The confidence a fitted model gives, as [`confidence::confidence`] rounds
/// and bounds it.
fn shipped(w: &[f64; N + 1], e: &Evidence) -> f64 {
    confidence::bounded(confidence::logistic(w, &e.features()))
}

/// Cross-validates the model on `samples`, prints the reliability of the
/// shipped weights and of the held-out models, and (with `FIT_CONFIDENCE`
/// set) the weights fitted on all samples.
pub fn report(samples: &[Sample], reuters_labels: Option<usize>) -> Report {
    let mut out = String::new();
    let fold = folds(samples);
    let k = fold.iter().max().map_or(0, |m| m + 1);
    let mut held = vec![0.0f64; samples.len()];
    // The same without the ceiling: what the model would say.
    let mut uncapped = vec![0.0f64; samples.len()];
    for f in 0..k {
        let train: Vec<&Sample> = samples
            .iter()
            .zip(&fold)
            .filter(|(_, &g)| g != f)
            .map(|(s, _)| s)
            .collect();
        let w = fit(&train);
        for (i, s) in samples.iter().enumerate() {
            if fold[i] == f {
                held[i] = shipped(&w, &s.evidence);
                uncapped[i] = confidence::logistic(&w, &s.evidence.features());
            }
        }
    }
    let mut now = [Bands::default(), Bands::default()];
    let mut out_of = [Bands::default(), Bands::default(), Bands::default()];
    let mut above = Bands::default();
    for ((s, &p), &u) in samples.iter().zip(&held).zip(&uncapped) {
        above.add(u, s.right);
        let set = usize::from(s.is_reuters());
        now[set].add(confidence::confidence(&s.evidence), s.right);
        out_of[set].add(p, s.right);
        out_of[2].add(p, s.right);
    }
    let _ = writeln!(
        out,
        "\nCONFIDENCE: {} development proposals, {} Reuters proposals{}",
        now[0].n,
        now[1].n,
        match reuters_labels {
            Some(n) => format!(" (of {n} labels, the rest no longer proposed as labelled)"),
            None => format!(
                " (no corpus at {}: Reuters left out; REUTERS_JSONL names it)",
                super::reuters::corpus_path().display()
            ),
        }
    );
    out.push_str(&now[0].table("\nDEVELOPMENT REPORTS, SHIPPED WEIGHTS (band: right / proposals)"));
    if now[1].n > 0 {
        out.push_str(&now[1].table("\nREUTERS LABELS, SHIPPED WEIGHTS"));
    }
    let _ = writeln!(
        out,
        "\nHELD OUT: each incident and story scored by a model fitted without it \
         ({k} folds: one per incident, the stories dealt over them)"
    );
    out.push_str(&out_of[0].table("\nDEVELOPMENT REPORTS, HELD OUT"));
    if out_of[1].n > 0 {
        out.push_str(&out_of[1].table("\nREUTERS LABELS, HELD OUT"));
        out.push_str(&out_of[2].table("\nBOTH, HELD OUT"));
    }
    let (r80, n80) = above.high();
    let _ = writeln!(
        out,
        "  without the ceiling of {:.2}, held out at 0.8 and above: {r80} / {n80}",
        confidence::CEILING
    );
    if std::env::var_os("FIT_CONFIDENCE").is_some() {
        let all: Vec<&Sample> = samples.iter().collect();
        let w = fit(&all);
        let _ = writeln!(
            out,
            "\nFITTED ON ALL {} PROPOSALS (intercept, then {FEATURES:?}):",
            all.len()
        );
        let list: Vec<String> = w.iter().map(|x| format!("{x:.2}")).collect();
        let _ = writeln!(
            out,
            "pub const WEIGHTS: [f64; N + 1] = [{}];",
            list.join(", ")
        );
    }
    Report {
        text: out,
        high: out_of[2].high(),
        uncapped_high: above.high(),
        dev_loss: losses(&out_of[0]),
        reuters_loss: (out_of[1].n > 0).then(|| losses(&out_of[1])),
    }
}

/// What the confidence promises, held out: "Accept all at 80%+" accepts
/// proposals at least 8 in 10 of which are right (or none), and the model knows
/// more than the base rate on each set.
pub fn check(r: &Report) {
    let (right, n) = r.high;
    assert!(
        n == 0 || right * 10 >= n * 8,
        "held out, {right} of {n} proposals at 0.8 and above are right"
    );
    // A ceiling at 0.8 or above only where the model, held out, earns it.
    let (right, n) = r.uncapped_high;
    assert!(
        confidence::CEILING < 0.8 || (n > 0 && right * 10 >= n * 8),
        "the ceiling is {}, but held out only {right} of {n} proposals the model puts at \
         0.8 and above are right",
        confidence::CEILING
    );
    let (loss, base) = r.dev_loss;
    assert!(
        loss < base,
        "development reports: held-out log loss {loss:.3}, base rate {base:.3}"
    );
    if let Some((loss, base)) = r.reuters_loss {
        assert!(
            loss < base,
            "Reuters labels: held-out log loss {loss:.3}, base rate {base:.3}"
        );
    }
}
