//! Articles: the news texts events come from.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use ts_rs::TS;

use crate::date::PartialDate;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Article {
    #[ts(type = "number")]
    pub id: i64,
    pub title: String,
    pub byline: Option<String>,
    pub source: Option<String>,
    /// The dateline as printed ("July 7, 2008 | 8:11 PM EDT").
    pub dateline: Option<String>,
    /// The publication date the article states, as parsed.
    #[ts(type = "string | null")]
    pub published_printed: Option<PartialDate>,
    /// The publication date relative dates resolve against: the printed one, or a
    /// correction.
    #[ts(type = "string | null")]
    pub published: Option<PartialDate>,
    /// Why the publication date differs from the printed one.
    pub published_note: Option<String>,
    pub body: String,
    pub content_hash: String,
    pub imported_at: String,
}

/// What is needed to store an article; the store assigns id and hash.
#[derive(Debug, Clone, PartialEq)]
pub struct NewArticle {
    pub title: String,
    pub byline: Option<String>,
    pub source: Option<String>,
    pub dateline: Option<String>,
    pub published_printed: Option<PartialDate>,
    pub published: Option<PartialDate>,
    pub published_note: Option<String>,
    pub body: String,
}

/// SHA-256 of the text, hex: re-importing the same text finds the same article.
pub fn content_hash(body: &str) -> String {
    let digest = Sha256::digest(body.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Character offsets (Unicode scalar values) to byte offsets in `text`; `None`
/// when the span does not lie within it.
pub fn char_span_to_bytes(text: &str, start: usize, end: usize) -> Option<(usize, usize)> {
    if start > end {
        return None;
    }
    let mut indices = text
        .char_indices()
        .map(|(i, _)| i)
        .chain(std::iter::once(text.len()));
    let b0 = indices.by_ref().nth(start)?;
    let b1 = if end == start {
        b0
    } else {
        indices.nth(end - start - 1)?
    };
    Some((b0, b1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_hash_is_stable_and_hex() {
        assert_eq!(
            content_hash("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn char_spans_map_to_byte_spans_over_multibyte_text() {
        let t = "Zhōngguó and 北朝鮮";
        assert_eq!(char_span_to_bytes(t, 0, 8), Some((0, 10)));
        assert_eq!(
            &t[char_span_to_bytes(t, 13, 16).unwrap_or_default().0..],
            "北朝鮮"
        );
        assert_eq!(char_span_to_bytes(t, 16, 16), Some((t.len(), t.len())));
        assert_eq!(char_span_to_bytes(t, 3, 17), None);
        assert_eq!(char_span_to_bytes(t, 4, 3), None);
    }
}
