//! What each fuzz target asserts of one input, shared by the targets in
//! `fuzz_targets/` and by the core's `cargo test` that replays every file of
//! `fuzz/corpus/<target>/` (`crates/annals-core/tests/fuzz_corpus.rs`), so a
//! committed input that once failed fails again in CI, without nightly.

use annals_core::extract;
use annals_core::intake::{self, Format, Rejection, MAX_FILE_BYTES};
use annals_core::sentence;
use annals_core::stories;
use chrono::NaiveDate;

/// The publication date the extraction target reads every text against.
pub fn fixed_dct() -> NaiveDate {
    NaiveDate::from_ymd_opt(2002, 5, 10).unwrap_or_default()
}

/// What a target asserts of one input (it panics when something is wrong).
pub type Check = fn(&[u8]);

/// The targets, by the name of their corpus folder, and what each checks.
pub const TARGETS: &[(&str, Check)] = &[
    ("intake_text", intake_text),
    ("intake_markdown", intake_markdown),
    ("intake_html", intake_html),
    ("story_line", story_line),
    ("sentences", sentences),
    ("extract", extraction),
];

pub fn intake_text(data: &[u8]) {
    intake(data, Format::Text);
}

pub fn intake_markdown(data: &[u8]) {
    intake(data, Format::Markdown);
}

pub fn intake_html(data: &[u8]) {
    intake(data, Format::Html);
}

/// Any bytes as a file of `format`: an article with text, or a reason; the
/// article's text has Unix line ends and its title is one line.
fn intake(data: &[u8], format: Format) {
    match intake::read(data, format) {
        Ok(doc) => {
            assert!(!doc.text.trim().is_empty(), "an article with no text");
            assert!(!doc.head.title.contains('\n'), "{:?}", doc.head.title);
        }
        Err(Rejection::Empty) => assert!(data.is_empty()),
        Err(Rejection::TooLarge { size, .. }) => assert!(size > MAX_FILE_BYTES as u64),
        Err(Rejection::Failed { why }) => panic!("intake reported a failure: {why}"),
        Err(_) => {}
    }
}

/// Any line of a corpus: a story, a blank, or a reason; never a panic.
pub fn story_line(data: &[u8]) {
    let Ok(line) = std::str::from_utf8(data) else {
        return;
    };
    match stories::parse_line(line, 7) {
        Ok(None) => assert!(line.trim().is_empty()),
        Ok(Some(_)) => assert!(!line.trim().is_empty(), "a blank line read as a story"),
        Err(why) => assert!(!why.is_empty()),
    }
}

/// Sentences of any text: in order, not overlapping, on character boundaries,
/// trimmed, byte and character offsets of the same span, paragraphs in order.
pub fn sentences(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut last_end = 0;
    let mut last_paragraph = 0;
    for s in sentence::split(text) {
        assert!(s.byte_start >= last_end, "overlapping sentences");
        assert!(s.byte_start < s.byte_end && s.byte_end <= text.len());
        assert!(text.is_char_boundary(s.byte_start) && text.is_char_boundary(s.byte_end));
        let body = &text[s.byte_start..s.byte_end];
        assert_eq!(body, body.trim(), "a sentence with whitespace around it");
        assert_eq!(text[..s.byte_start].chars().count(), s.start);
        assert_eq!(s.start + body.chars().count(), s.end);
        assert!(s.paragraph >= last_paragraph, "paragraphs out of order");
        last_end = s.byte_end;
        last_paragraph = s.paragraph;
    }
}

/// Extraction over any text, read against [`fixed_dct`] with the head intake
/// would read: every proposal's sources point into the text and at one of the
/// article's date expressions, and it has a title.
pub fn extraction(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let head = intake::read_head(text);
    let found = extract::extract(text, &head, Some(fixed_dct()));
    let chars = text.chars().count();
    for t in &found.timexes {
        assert!(t.start < t.end && t.end <= chars, "timex {t:?}");
    }
    for p in &found.proposals {
        assert!(!p.title.trim().is_empty(), "a proposal with no title");
        assert!(!p.sources.is_empty(), "a proposal with no source");
        for s in &p.sources {
            assert!(s.sentence_start <= s.sentence_end && s.sentence_end <= chars);
            assert!(s.timex < found.timexes.len(), "source of a missing timex");
            if let Some(t) = s.trigger {
                let (a, b) = (t.start as usize, t.end as usize);
                assert!(a < b && b <= chars, "trigger {a}..{b} outside the text");
            }
        }
    }
}
