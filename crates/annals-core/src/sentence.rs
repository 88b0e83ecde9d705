//! Sentences: where each sentence of a text starts and ends, not fooled by "U.S.",
//! "N. Korean", "Mr.", "Jan.", initials, decimals or quotes. A blank line always
//! ends a sentence (and a paragraph); a single line break does not (wrapped text).
//!
//! Offsets are both bytes (for slicing) and Unicode characters (what provenance
//! stores and the UI highlights).

/// One sentence of a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sentence {
    /// Byte offsets in the text, end exclusive, without surrounding whitespace.
    pub byte_start: usize,
    pub byte_end: usize,
    /// The same span in Unicode characters.
    pub start: usize,
    pub end: usize,
    /// Which paragraph (blank-line-separated block) it is in, from 0.
    pub paragraph: usize,
}

impl Sentence {
    pub fn text<'t>(&self, text: &'t str) -> &'t str {
        text.get(self.byte_start..self.byte_end).unwrap_or("")
    }
}

/// Words that end with a period without ending the sentence, lower case, no period.
pub(crate) const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "gen", "col", "lt", "sgt", "capt", "cmdr", "adm", "gov",
    "sen", "rep", "rev", "fr", "st", "sr", "jr", "maj", "pres", "amb", "hon", "insp", "supt",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "mon",
    "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun", "inc", "corp", "co", "ltd",
    "bros", "no", "nos", "vs", "v", "approx", "est", "dept", "univ", "assn", "ave", "blvd", "mt",
    "ft", "fig", "vol", "pp", "e.g", "i.e", "cf", "al", "etc",
];

/// Words that start a sentence after a dotted abbreviation ("... in the U.S. The
/// next day ...").
const OPENERS: &[&str] = &[
    "The",
    "A",
    "An",
    "He",
    "She",
    "It",
    "They",
    "We",
    "I",
    "But",
    "And",
    "In",
    "On",
    "At",
    "This",
    "That",
    "These",
    "Those",
    "There",
    "His",
    "Her",
    "Their",
    "Its",
    "Our",
    "After",
    "Before",
    "When",
    "While",
    "However",
    "Meanwhile",
    "Officials",
    "Police",
];

/// Splits `text` into sentences.
///
/// Jumps from one byte that can end a sentence (`.`, `!`, `?`, a line break) to the
/// next, and counts characters only where a sentence starts, so it costs little more
/// than one scan of the bytes.
pub fn split(text: &str) -> Vec<Sentence> {
    let mut out = Vec::new();
    let bytes = text.as_bytes();
    // Characters before byte `counted.0`, counted lazily as sentence starts move on.
    let mut counted = (0usize, 0usize);
    let mut chars_before = |at: usize| {
        let (from, n) = counted;
        let n = n + bytes[from..at]
            .iter()
            .filter(|&&b| (b as i8) >= -0x40) // not a UTF-8 continuation byte
            .count();
        counted = (at, n);
        n
    };
    let push = |out: &mut Vec<Sentence>, s: usize, e: usize, sc: usize| {
        let trimmed = text[s..e].trim_end();
        if trimmed.is_empty() {
            return;
        }
        out.push(Sentence {
            byte_start: s,
            byte_end: s + trimmed.len(),
            start: sc,
            end: sc + trimmed.chars().count(),
            paragraph: 0,
        });
    };
    let mut start: Option<(usize, usize)> = None; // (byte, character) where it starts
    let mut i = 0usize;
    while i < bytes.len() {
        let (s, sc) = match start {
            Some(st) => st,
            None => {
                let rest = &text[i..];
                i += rest.len() - rest.trim_start().len();
                if i >= bytes.len() {
                    break;
                }
                let st = (i, chars_before(i));
                start = Some(st);
                st
            }
        };
        let Some(off) = bytes[i..]
            .iter()
            .position(|b| matches!(b, b'\n' | b'.' | b'!' | b'?'))
        else {
            break;
        };
        let at = i + off;
        let next_i = at + 1;
        if bytes[at] == b'\n' {
            if blank_line_ahead(bytes, next_i) {
                push(&mut out, s, at, sc);
                start = None;
            }
            i = next_i;
            continue;
        }
        // Take closing punctuation and quotes into the sentence: `stop."`, `ends.)`.
        let mut end = next_i;
        for d in text[next_i..].chars() {
            if matches!(
                d,
                '.' | '!' | '?' | '"' | '\'' | ')' | ']' | '\u{201d}' | '\u{2019}'
            ) {
                end += d.len_utf8();
            } else {
                break;
            }
        }
        i = end;
        let rest = &text[end..];
        let Some(first) = rest.chars().next() else {
            continue;
        };
        if !first.is_whitespace() {
            continue; // "3.5", "U.S.-led", "a.m."
        }
        let after = rest.trim_start();
        let Some(next) = after.chars().next() else {
            continue;
        };
        let opens = next.is_uppercase()
            || next.is_ascii_digit()
            || matches!(next, '"' | '\'' | '\u{201c}' | '\u{2018}' | '(' | '[');
        if !opens {
            continue;
        }
        if bytes[at] == b'.' && !ends_sentence(&text[s..at], after) {
            continue;
        }
        push(&mut out, s, end, sc);
        start = None;
    }
    if let Some((s, sc)) = start {
        push(&mut out, s, text.len(), sc);
    }
    // Paragraph numbers: counted from blank lines so that leading blank lines or
    // several in a row count once.
    renumber_paragraphs(text, &mut out);
    out
}

fn blank_line_ahead(bytes: &[u8], mut i: usize) -> bool {
    while let Some(&b) = bytes.get(i) {
        match b {
            b'\n' => return true,
            b' ' | b'\t' | b'\r' => i += 1,
            _ => return false,
        }
    }
    true
}

fn renumber_paragraphs(text: &str, sentences: &mut [Sentence]) {
    let bytes = text.as_bytes();
    let mut para = 0usize;
    let mut prev_end = 0usize;
    for (k, s) in sentences.iter_mut().enumerate() {
        if k > 0 {
            let gap = &bytes[prev_end..s.byte_start];
            let newlines = gap.iter().filter(|&&b| b == b'\n').count();
            if newlines >= 2 {
                para += 1;
            }
        }
        s.paragraph = para;
        prev_end = s.byte_end;
    }
}

/// Whether a period after `before` (the sentence so far) ends the sentence, given
/// the text `after` it.
fn ends_sentence(before: &str, after: &str) -> bool {
    let word = before
        .rsplit(|c: char| c.is_whitespace() || matches!(c, '(' | '"' | '\u{201c}'))
        .next()
        .unwrap_or("");
    let word = word.trim_start_matches(|c: char| !c.is_alphanumeric());
    if word.is_empty() {
        return true;
    }
    let next_word: String = after
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '\'')
        .collect();
    // An initial: "N. Korean", "George W. Bush".
    if word.chars().count() == 1 && word.chars().all(char::is_uppercase) {
        return false;
    }
    // A dotted abbreviation: "U.S.", "U.N.", "p.m." ends a sentence only before a
    // word that usually opens one.
    if word.contains('.') {
        return OPENERS.contains(&next_word.as_str());
    }
    let lower = word.to_lowercase();
    if ABBREVIATIONS.contains(&lower.as_str()) {
        // "Jan. 5" never ends; "in Jan. The" rarely matters.
        return false;
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(t: &str) -> Vec<&str> {
        split(t).iter().map(|s| s.text(t)).collect()
    }

    #[test]
    fn abbreviations_initials_and_decimals_do_not_end_sentences() {
        assert_eq!(
            texts("The U.S. Consulate said Mr. Kim left. N. Korean men fled on Jan. 5 at 3.5 p.m. local time. Dr. J. R. Smith agreed!"),
            [
                "The U.S. Consulate said Mr. Kim left.",
                "N. Korean men fled on Jan. 5 at 3.5 p.m. local time.",
                "Dr. J. R. Smith agreed!"
            ]
        );
    }

    #[test]
    fn a_dotted_abbreviation_before_an_opener_ends_the_sentence() {
        assert_eq!(
            texts("They flew to the U.S. The next day they spoke."),
            ["They flew to the U.S.", "The next day they spoke."]
        );
    }

    #[test]
    fn quotes_stay_with_their_sentence() {
        assert_eq!(
            texts("He said \"we agree.\" \"No,\" she said. (It ended.) Then?"),
            [
                "He said \"we agree.\"",
                "\"No,\" she said.",
                "(It ended.)",
                "Then?"
            ]
        );
        assert_eq!(
            texts("“Return them,” they wrote. “Now.” Done."),
            ["“Return them,” they wrote.", "“Now.”", "Done."]
        );
    }

    #[test]
    fn blank_lines_end_sentences_and_count_paragraphs_single_breaks_do_not() {
        let t = "Title without stop\n\nBy X | May 10, 2002\n\nFirst line\nwrapped here. Second.\n\n\nThird";
        let s = split(t);
        let got: Vec<(&str, usize)> = s.iter().map(|s| (s.text(t), s.paragraph)).collect();
        assert_eq!(
            got,
            [
                ("Title without stop", 0),
                ("By X | May 10, 2002", 1),
                ("First line\nwrapped here.", 2),
                ("Second.", 2),
                ("Third", 3)
            ]
        );
    }

    #[test]
    fn spans_are_in_characters() {
        let t = "Zhōngguó spoke. Then Běijīng.";
        let s = split(t);
        assert_eq!((s[1].start, s[1].end), (16, 29));
        let chars: String = t
            .chars()
            .skip(s[1].start)
            .take(s[1].end - s[1].start)
            .collect();
        assert_eq!(chars, "Then Běijīng.");
    }
}
