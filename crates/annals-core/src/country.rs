//! Countries (ISO 3166-1 alpha-2) with the names and demonyms text uses for them.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Country {
    /// ISO 3166-1 alpha-2, upper case: `JP`, `KP`.
    pub code: String,
    /// Common English name: "North Korea".
    pub name: String,
    /// Adjectives and nouns for its people: "North Korean".
    pub demonyms: Vec<String>,
}

/// Normalizes a user-typed country code; `None` when it is not two ASCII letters.
pub fn normalize_code(text: &str) -> Option<String> {
    let t = text.trim();
    (t.len() == 2 && t.bytes().all(|b| b.is_ascii_alphabetic())).then(|| t.to_ascii_uppercase())
}
