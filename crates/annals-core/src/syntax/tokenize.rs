//! Words of a sentence as the English Web Treebank cuts them, so the tagger and the
//! parser see text the way they were trained: punctuation apart ("(AP)" is three
//! words), clitics apart ("don't" is "do" + "n't", "China's" is "China" + "'s"),
//! hyphenated compounds apart ("North-Korean" is three words, as EWT splits them),
//! but "U.S.", "Mr.", "1,000", "3.5", "10:30", "5/10/02", e-mail and web addresses
//! whole.

use crate::sentence::ABBREVIATIONS;

/// One word: byte offsets in the text, end exclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Word {
    pub start: usize,
    pub end: usize,
    /// Whether whitespace follows (CoNLL-U's `SpaceAfter=No` when false).
    pub space_after: bool,
}

/// Splits `text` into words. Linear in the text.
pub fn words(text: &str) -> Vec<Word> {
    let mut out = Vec::with_capacity(text.len() / 5 + 1);
    let mut chunk_start = None;
    for (i, c) in text.char_indices() {
        if c.is_whitespace() {
            if let Some(s) = chunk_start.take() {
                split_chunk(text, s, i, &mut out);
                if let Some(last) = out.last_mut() {
                    last.space_after = true;
                }
            }
        } else if chunk_start.is_none() {
            chunk_start = Some(i);
        }
    }
    if let Some(s) = chunk_start {
        split_chunk(text, s, text.len(), &mut out);
    }
    out
}

/// Hyphenated words that EWT keeps whole: a prefix, then the hyphen.
const KEPT_PREFIXES: &[&str] = &[
    "non", "post", "pre", "anti", "co", "re", "ex", "e", "multi", "semi", "mid", "sub", "inter",
    "pro", "self", "vice", "over", "under",
];

/// Clitics written after a word, lower case, with a straight apostrophe.
const CLITICS: &[&str] = &["'s", "'re", "'ve", "'ll", "'d", "'m"];

fn is_opening(c: char) -> bool {
    matches!(
        c,
        '"' | '\'' | '(' | '[' | '{' | '<' | '`' | '“' | '‘' | '«' | '¿' | '¡'
    )
}

fn is_closing(c: char) -> bool {
    matches!(
        c,
        '"' | ')' | ']' | '}' | '>' | ',' | ';' | ':' | '!' | '?' | '”' | '»' | '…'
    )
}

fn is_apostrophe(c: char) -> bool {
    c == '\'' || c == '’'
}

fn is_dash(c: char) -> bool {
    matches!(c, '—' | '–')
}

fn push(out: &mut Vec<Word>, start: usize, end: usize) {
    if end > start {
        out.push(Word {
            start,
            end,
            space_after: false,
        });
    }
}

fn split_chunk(text: &str, mut s: usize, mut e: usize, out: &mut Vec<Word>) {
    // Opening punctuation and currency signs.
    loop {
        let rest = &text[s..e];
        let mut cs = rest.chars();
        let Some(c) = cs.next() else { return };
        let next = cs.next();
        let opens =
            is_opening(c) && !(is_apostrophe(c) && next.is_some_and(|n| n.is_ascii_digit()));
        let sign = matches!(c, '$' | '£' | '€' | '¥' | '#') && next.is_some();
        if (opens || sign || is_dash(c)) && rest.len() > c.len_utf8() {
            push(out, s, s + c.len_utf8());
            s += c.len_utf8();
        } else {
            break;
        }
    }
    // Closing punctuation, gathered back to front.
    let mut closing: Vec<(usize, usize)> = Vec::new();
    loop {
        let rest = &text[s..e];
        let Some(c) = rest.chars().next_back() else {
            break;
        };
        let body = &rest[..rest.len() - c.len_utf8()];
        if body.is_empty() {
            break;
        }
        let cut = if rest.ends_with("...") && rest.len() > 3 {
            3
        } else if c == '.' {
            if keeps_period(body) {
                break;
            }
            1
        } else if is_closing(c) || is_dash(c) || c == '%' {
            c.len_utf8()
        } else if is_apostrophe(c) {
            // "countries'" (a possessive) or a closing single quote.
            c.len_utf8()
        } else {
            break;
        };
        closing.push((e - cut, e));
        e -= cut;
    }
    split_middle(text, s, e, out);
    for &(a, b) in closing.iter().rev() {
        push(out, a, b);
    }
}

/// Whether "body." keeps its period: "U.S.", "Mr.", "J." (an initial), "Jan.".
fn keeps_period(body: &str) -> bool {
    let single_letter = {
        let mut cs = body.chars();
        matches!((cs.next(), cs.next()), (Some(c), None) if c.is_alphabetic())
    };
    // "U.S", "e.g", "a.m": letters and periods only, short.
    let dotted = body.contains('.')
        && !body.ends_with('.')
        && body.len() <= 8
        && body.chars().all(|c| c.is_alphabetic() || c == '.');
    if single_letter || dotted {
        return true;
    }
    body.len() <= 6 && ABBREVIATIONS.contains(&body.to_ascii_lowercase().as_str())
}

/// A word without outer punctuation: clitics, then hyphens.
fn split_middle(text: &str, s: usize, e: usize, out: &mut Vec<Word>) {
    let w = &text[s..e];
    if w.is_empty() {
        return;
    }
    if w.contains("://") || w.starts_with("www.") || (w.contains('@') && w.contains('.')) {
        push(out, s, e);
        return;
    }
    let lower = w.to_lowercase();
    let normal = lower.replace('’', "'");
    // "n't": "ca|n't", "wo|n't", "do|n't".
    if normal.ends_with("n't") && normal.len() > 3 {
        let cut = e - suffix_bytes(w, 3);
        split_hyphens(text, s, cut, out);
        push(out, cut, e);
        return;
    }
    if normal == "cannot" {
        push(out, s, s + 3);
        push(out, s + 3, e);
        return;
    }
    for c in CLITICS {
        if normal.ends_with(c) && normal.len() > c.len() {
            let cut = e - suffix_bytes(w, c.chars().count());
            split_hyphens(text, s, cut, out);
            push(out, cut, e);
            return;
        }
    }
    split_hyphens(text, s, e, out);
}

/// Bytes taken by the last `n` characters of `w`.
fn suffix_bytes(w: &str, n: usize) -> usize {
    w.char_indices()
        .rev()
        .nth(n - 1)
        .map_or(w.len(), |(i, _)| w.len() - i)
}

/// Cuts "North-Korean" into "North", "-", "Korean" and "1950-53" into three, but
/// keeps "non-stop", "e-mail" and "--" runs as they are written.
fn split_hyphens(text: &str, s: usize, e: usize, out: &mut Vec<Word>) {
    let w = &text[s..e];
    if (!w.contains('-') && !w.contains(is_dash)) || w.len() < 3 {
        push(out, s, e);
        return;
    }
    let mut piece = s;
    let bytes = w.as_bytes();
    let mut i = 0;
    while i < w.len() {
        let c = w[i..].chars().next().unwrap_or(' ');
        let len = c.len_utf8();
        let inner = i > 0 && i + len < w.len();
        let hyphen = c == '-' && inner && bytes[i - 1] != b'-' && bytes[i + 1] != b'-';
        let splits = if hyphen {
            let before = &text[piece..s + i];
            let after = w[i + 1..].chars().next().unwrap_or(' ');
            let kept = KEPT_PREFIXES.contains(&before.to_ascii_lowercase().as_str());
            let both_alnum = before
                .chars()
                .next_back()
                .is_some_and(char::is_alphanumeric)
                && after.is_alphanumeric();
            both_alnum && !kept
        } else {
            inner && is_dash(c)
        };
        if splits {
            push(out, piece, s + i);
            push(out, s + i, s + i + len);
            piece = s + i + len;
        }
        i += len;
    }
    push(out, piece, e);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn forms(text: &str) -> Vec<&str> {
        words(text).iter().map(|w| &text[w.start..w.end]).collect()
    }

    #[test]
    fn punctuation_and_clitics_are_words_of_their_own() {
        assert_eq!(
            forms("\"We don't know,\" said Mr. Smith (AP)."),
            [
                "\"", "We", "do", "n't", "know", ",", "\"", "said", "Mr.", "Smith", "(", "AP", ")",
                "."
            ]
        );
        assert_eq!(
            forms("China's embassy; the countries' envoys"),
            [
                "China",
                "'s",
                "embassy",
                ";",
                "the",
                "countries",
                "'",
                "envoys"
            ]
        );
        assert_eq!(
            forms("They can't, won't, cannot."),
            ["They", "ca", "n't", ",", "wo", "n't", ",", "can", "not", "."]
        );
        assert_eq!(
            forms("I’m sure they’ll come"),
            ["I", "’m", "sure", "they", "’ll", "come"]
        );
    }

    #[test]
    fn abbreviations_numbers_and_addresses_stay_whole() {
        assert_eq!(
            forms("the U.S. paid $1,000.50 on 5/10/02 at 10:30."),
            ["the", "U.S.", "paid", "$", "1,000.50", "on", "5/10/02", "at", "10:30", "."]
        );
        assert_eq!(
            forms("J. Smith, 5% of www.example.com/a-b."),
            [
                "J.",
                "Smith",
                ",",
                "5",
                "%",
                "of",
                "www.example.com/a-b",
                "."
            ]
        );
        assert_eq!(forms("Wait..."), ["Wait", "..."]);
    }

    #[test]
    fn hyphenated_compounds_split_as_the_treebank_does() {
        assert_eq!(
            forms("North-Korean asylum-seekers in 1950-53"),
            ["North", "-", "Korean", "asylum", "-", "seekers", "in", "1950", "-", "53"]
        );
        assert_eq!(
            forms("a non-stop e-mail -- then"),
            ["a", "non-stop", "e-mail", "--", "then"]
        );
        assert_eq!(forms("Seoul—Tokyo"), ["Seoul", "—", "Tokyo"]);
    }

    #[test]
    fn space_after_and_offsets_follow_the_text() {
        let t = "Hi, “you”.";
        let w = words(t);
        assert_eq!(forms(t), ["Hi", ",", "“", "you", "”", "."]);
        assert!(!w[0].space_after && w[1].space_after && !w[5].space_after);
        assert!(w
            .iter()
            .all(|w| t.is_char_boundary(w.start) && t.is_char_boundary(w.end)));
    }

    #[test]
    fn odd_input_gives_words_without_panicking() {
        for t in [
            "",
            " ",
            "'",
            "--",
            "-a-",
            "’’’",
            "$",
            "...",
            "a'",
            "n't",
            "é-é",
            "\u{0}x-\u{300}",
        ] {
            let w = words(t);
            assert!(
                w.iter().all(|w| w.start < w.end && w.end <= t.len()),
                "{t:?}"
            );
        }
    }
}
