//! Tokenizing: one pass over the bytes of the text, cutting it into words, digit
//! runs and punctuation, each classified once by the lexicon. Whitespace is not a
//! token; each token records what separated it from the one before.

use super::lexicon::{classify, Lex};

/// What lies between a token and the one before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Gap {
    /// Nothing: "mid-1990s" is `mid`, `-`, `1990`, `s` with no gaps.
    None,
    Space,
    /// A single line break.
    Line,
    /// A blank line: a new paragraph.
    Paragraph,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Tok {
    /// Byte offsets in the text, end exclusive.
    pub start: usize,
    pub end: usize,
    pub lex: Lex,
    pub gap: Gap,
    /// The first character is an ASCII capital letter.
    pub cap: bool,
}

/// Cuts `text` into tokens. Linear in the length of the text, one allocation.
pub(crate) fn tokenize(text: &str) -> Vec<Tok> {
    let bytes = text.as_bytes();
    let mut toks = Vec::with_capacity(bytes.len() / 5 + 1);
    let mut i = 0;
    let mut newlines = 0u32;
    let mut space = false;
    while i < bytes.len() {
        let b = bytes[i];
        if b.is_ascii_whitespace() || b < 0x20 {
            if b == b'\n' {
                newlines += 1;
            }
            space = true;
            i += 1;
            continue;
        }
        let gap = match (newlines, space) {
            (0, false) => Gap::None,
            (0, true) => Gap::Space,
            (1, _) => Gap::Line,
            _ => Gap::Paragraph,
        };
        newlines = 0;
        space = false;
        let start = i;
        let lex = if b.is_ascii_alphabetic() || b >= 0x80 {
            let mut ascii = true;
            while i < bytes.len() && (bytes[i].is_ascii_alphabetic() || bytes[i] >= 0x80) {
                ascii &= bytes[i] < 0x80;
                i += 1;
            }
            if ascii {
                classify(&bytes[start..i])
            } else {
                Lex::Other
            }
        } else if b.is_ascii_digit() {
            let mut value: u32 = 0;
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                value = value
                    .saturating_mul(10)
                    .saturating_add(u32::from(bytes[i] - b'0'));
                i += 1;
            }
            Lex::Num(value, u8::try_from(i - start).unwrap_or(u8::MAX))
        } else {
            i += 1;
            Lex::Punct(b)
        };
        toks.push(Tok {
            start,
            end: i,
            lex,
            gap,
            cap: b.is_ascii_uppercase(),
        });
    }
    toks
}

/// Converts sorted byte offsets into char offsets in one forward pass.
/// `offsets` must be char boundaries of `text`, in ascending order.
pub(crate) fn char_offsets(text: &str, offsets: &[usize]) -> Vec<usize> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(offsets.len());
    let mut byte = 0;
    let mut chars = 0;
    for &target in offsets {
        let target = target.min(bytes.len());
        if target < byte {
            // Not sorted: recount from the start (never happens for our callers).
            byte = 0;
            chars = 0;
        }
        chars += bytes[byte..target]
            .iter()
            .filter(|&&b| (b & 0xC0) != 0x80)
            .count();
        byte = target;
        out.push(chars);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::timex::lexicon::Kw;

    #[test]
    fn tokens_record_the_gap_before_them() {
        let t = tokenize("mid-1990s\n\nlast  week");
        let gaps: Vec<Gap> = t.iter().map(|t| t.gap).collect();
        assert_eq!(
            gaps,
            [
                Gap::None,
                Gap::None,
                Gap::None,
                Gap::None,
                Gap::Paragraph,
                Gap::Space
            ]
        );
        assert_eq!(t[2].lex, Lex::Num(1990, 4));
        assert_eq!(t[4].lex, Lex::Kw(Kw::Last));
    }

    #[test]
    fn multibyte_words_are_single_other_tokens() {
        let t = tokenize("Mäy 5 «Ａ»");
        assert_eq!(t[0].lex, Lex::Other);
        assert_eq!((t[0].start, t[0].end), (0, 4));
        assert_eq!(t[1].lex, Lex::Num(5, 1));
    }

    #[test]
    fn huge_numbers_saturate() {
        let t = tokenize("99999999999999999999");
        assert_eq!(t[0].lex, Lex::Num(u32::MAX, 20));
    }

    #[test]
    fn char_offsets_count_code_points() {
        let text = "é1 ü22";
        assert_eq!(char_offsets(text, &[0, 2, 3, 4, 6, 8]), [0, 1, 2, 3, 4, 6]);
    }
}
