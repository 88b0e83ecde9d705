//! How sure a proposal is: the share of proposals with the same evidence that
//! were right (in date, kind and place) on the development reports
//! (`data/dev/incidents/`), through a logistic model fitted there.
//!
//! The evidence is what the reading of the sentence knew, not the words of a
//! report: whether the sentence states the date, whether a mission, a place, a
//! subject were found, and so on. The weights are fitted by
//! `FIT_CONFIDENCE=1 cargo test -p annals-core --test dev_incidents`, which also
//! prints the reliability of each band with every incident scored by a model
//! fitted without it (so the table is not a score on the data it was fitted on).
//!
//! What the fit says (36 reports, 155 proposals, 37% right): the evidence
//! separates right from wrong somewhat (held-out log loss 0.575 against 0.661
//! for the base rate; the surest band, 60-70%, is 74% right held out), and no
//! proposal is given 80% or more: on text it
//! was not built on, no kind of reading is right nine times in ten yet, and
//! "Accept all at 80%+" accepts nothing rather than mistakes. Better readings
//! raise this; refit after changing the extractor.

use serde::Serialize;

/// What a proposal's reading found, as a model's inputs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Evidence {
    /// The sentence states the date itself.
    pub stated: bool,
    /// The date was carried over from earlier in the same paragraph.
    pub carried_near: bool,
    /// A diplomatic mission was read as the place.
    pub mission: bool,
    /// A city or country was read as the place.
    pub place: bool,
    /// A kind of the domain (not `other`).
    pub domain_kind: bool,
    /// A statement or a protest: something said.
    pub speech: bool,
    /// The predicate has a subject in the tree.
    pub subject: bool,
    /// Dated to the day or finer.
    pub day: bool,
    /// The date expression stands on its own ("May 10, 2002"), not relative to
    /// the publication date or an earlier date.
    pub absolute: bool,
    /// Announced or expected, not (yet) happened.
    pub planned: bool,
    /// Not read from a predicate: a year naming a thing ("the 1961 Vienna
    /// Convention") or an act repeated ("a third man following suit").
    pub derived: bool,
    /// Further sentences of the same article told the same act.
    pub retold: u8,
}

/// Inputs of the model, in [`WEIGHTS`] order after the intercept.
pub const FEATURES: [&str; 12] = [
    "stated",
    "carried_near",
    "mission",
    "place",
    "domain_kind",
    "speech",
    "subject",
    "day",
    "absolute",
    "planned",
    "derived",
    "retold",
];

impl Evidence {
    pub fn features(&self) -> [f64; 12] {
        let b = |x: bool| if x { 1.0 } else { 0.0 };
        [
            b(self.stated),
            b(self.carried_near),
            b(self.mission),
            b(self.place),
            b(self.domain_kind),
            b(self.speech),
            b(self.subject),
            b(self.day),
            b(self.absolute),
            b(self.planned),
            b(self.derived),
            f64::from(self.retold.min(3)),
        ]
    }
}

/// The intercept, then one weight per feature of [`FEATURES`]. Fitted on the
/// development reports (see the module's documentation).
pub const WEIGHTS: [f64; 13] = [
    -1.26, 0.23, 0.10, 0.56, 0.08, 0.55, 1.38, -0.12, -0.23, -0.20, -0.29, 0.25, -0.21,
];

/// The model's probability for `features` under `weights` (intercept first).
pub fn logistic(weights: &[f64], features: &[f64]) -> f64 {
    let z = weights.first().copied().unwrap_or(0.0)
        + weights
            .iter()
            .skip(1)
            .zip(features)
            .map(|(w, x)| w * x)
            .sum::<f64>();
    1.0 / (1.0 + (-z).exp())
}

/// The confidence of a proposal with this evidence, to the hundredth, kept
/// off 0 and 1 (the development data are too few to be that sure).
pub fn confidence(e: &Evidence) -> f64 {
    let p = logistic(&WEIGHTS, &e.features());
    (p.clamp(0.02, 0.98) * 100.0).round() / 100.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stronger_evidence_never_lowers_the_confidence_of_what_the_data_favour() {
        let weak = Evidence::default();
        let strong = Evidence {
            stated: true,
            mission: true,
            domain_kind: true,
            subject: true,
            day: true,
            ..weak
        };
        assert!(confidence(&strong) > confidence(&weak));
        assert!((0.02..=0.98).contains(&confidence(&weak)));
        assert!((0.02..=0.98).contains(&confidence(&strong)));
    }

    #[test]
    fn confidences_are_hundredths() {
        let c = confidence(&Evidence {
            stated: true,
            ..Evidence::default()
        });
        assert_eq!(c, (c * 100.0).round() / 100.0);
    }
}
