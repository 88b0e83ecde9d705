//! Intake: the bytes of a file become an article's text and head (headline, byline,
//! source, dateline, printed publication date), or a typed reason it cannot.
//!
//! * Text is decoded as UTF-8 (a BOM is dropped); UTF-16 with a BOM is decoded;
//!   anything else that is not UTF-8 is read as Windows-1252, with a warning.
//! * HTML goes through the HTML5 tokenizer of `html5ever`: `script`, `style`,
//!   `nav`, `header`, `footer`, `aside`, `form`, `noscript` are dropped, block
//!   elements become blank-line-separated paragraphs, entities are decoded.
//! * Markdown keeps its text; heading marks (`# `) are taken off.
//! * Line ends become `\n`; offsets everywhere else are in the text made here.

use std::cell::RefCell;

use chrono::NaiveDate;
use html5ever::tendril::StrTendril;
use html5ever::tokenizer::{
    states::RawKind, BufferQueue, Tag, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer,
    TokenizerOpts,
};
use serde::Serialize;
use ts_rs::TS;

use crate::date::PartialDate;
use crate::timex::{self, Expr, YearSpec};

/// The largest file accepted, in bytes: 5 MB, about a thousand news stories.
pub const MAX_FILE_BYTES: usize = 5 * 1024 * 1024;

/// Why a file cannot become an article. Each is reported per file; nothing is written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS, thiserror::Error)]
#[serde(tag = "reason", rename_all = "snake_case")]
#[ts(export)]
pub enum Rejection {
    #[error("the file is empty")]
    Empty,
    #[error("the file holds only whitespace")]
    Blank,
    #[error("the file looks binary ({why}); give a text, Markdown or HTML file")]
    Binary { why: String },
    #[error("the file is {size} bytes, over the limit of {limit} bytes")]
    TooLarge {
        #[ts(type = "number")]
        size: u64,
        #[ts(type = "number")]
        limit: u64,
    },
    #[error("`.{extension}` files are not articles; give .txt, .md, .html or a .jsonl corpus")]
    Unsupported { extension: String },
    /// Not a regular file: a FIFO, a device (`/dev/zero`), a socket. Reading one
    /// could block for ever or never end, so it is refused before it is opened.
    #[error("it is {what}, not a regular file; give a text, Markdown, HTML or JSON Lines file")]
    NotAFile { what: String },
    /// Reading the article failed inside Annals (a bug: a panic, caught). Nothing
    /// of it was written and the import went on with the next one.
    #[error("Annals failed while reading this article ({why}); nothing of it was written. Please report it with the file")]
    Failed { why: String },
}

/// The extensions of article files, by format (see [`Format::from_name`]).
pub const ARTICLE_EXTENSIONS: &[&str] = &["txt", "text", "md", "markdown", "html", "htm", "xhtml"];

/// How a file's text is marked up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Markdown,
    Html,
}

impl Format {
    /// From a file name's extension; a name without one is plain text.
    pub fn from_name(name: &str) -> Result<Format, Rejection> {
        let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
        let Some((_, ext)) = base.rsplit_once('.') else {
            return Ok(Format::Text);
        };
        match ext.to_ascii_lowercase().as_str() {
            "txt" | "text" => Ok(Format::Text),
            "md" | "markdown" => Ok(Format::Markdown),
            "html" | "htm" | "xhtml" => Ok(Format::Html),
            other => Err(Rejection::Unsupported {
                extension: other.to_string(),
            }),
        }
    }
}

/// What the first lines of an article say about it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Head {
    pub title: String,
    pub byline: Option<String>,
    pub source: Option<String>,
    /// The dateline as printed ("July 7, 2008 | 8:11 PM EDT", "BEIJING, May 10").
    pub dateline: Option<String>,
    /// The full date the dateline states, if it states one.
    pub published_printed: Option<PartialDate>,
}

/// A file read as an article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    pub text: String,
    pub head: Head,
    /// Things the reader should know ("read as Windows-1252").
    pub warnings: Vec<String>,
}

/// Reads a file's bytes as an article of the given format.
pub fn read(bytes: &[u8], format: Format) -> Result<Document, Rejection> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(Rejection::TooLarge {
            size: bytes.len() as u64,
            limit: MAX_FILE_BYTES as u64,
        });
    }
    if bytes.is_empty() {
        return Err(Rejection::Empty);
    }
    let mut warnings = Vec::new();
    let decoded = decode(bytes, &mut warnings)?;
    let text = match format {
        Format::Text => normalize_lines(&decoded),
        Format::Markdown => markdown_text(&normalize_lines(&decoded)),
        Format::Html => html_text(&decoded),
    };
    if text.trim().is_empty() {
        return Err(Rejection::Blank);
    }
    let head = read_head(&text);
    Ok(Document {
        text,
        head,
        warnings,
    })
}

/// Bytes to text: UTF-8, UTF-16 with a BOM, else Windows-1252 with a warning.
fn decode(bytes: &[u8], warnings: &mut Vec<String>) -> Result<String, Rejection> {
    if let Some((enc, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        if enc != encoding_rs::UTF_8 {
            let (text, had_errors) = enc.decode_without_bom_handling(&bytes[bom..]);
            if had_errors {
                warnings.push(format!(
                    "some bytes are not valid {}; replaced with \u{FFFD}",
                    enc.name()
                ));
            }
            return check_text(text.into_owned());
        }
    }
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Some(i) = body.iter().position(|&b| b == 0) {
        return Err(Rejection::Binary {
            why: format!("a NUL byte at offset {i}"),
        });
    }
    match std::str::from_utf8(body) {
        Ok(s) => check_text(s.to_string()),
        Err(e) => {
            warnings.push(format!(
                "not UTF-8 (invalid byte at offset {}); read as Windows-1252",
                e.valid_up_to()
            ));
            let (text, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(body);
            check_text(text.into_owned())
        }
    }
}

/// Rejects text with many control characters: a binary file that happens to decode.
fn check_text(text: String) -> Result<String, Rejection> {
    let mut total = 0usize;
    let mut control = 0usize;
    for c in text.chars().take(64 * 1024) {
        total += 1;
        if c == '\0' || (c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{c}')) {
            control += 1;
        }
    }
    if total > 0 && control * 100 > total * 5 {
        return Err(Rejection::Binary {
            why: format!("{control} control characters in its first {total}"),
        });
    }
    Ok(text)
}

fn normalize_lines(text: &str) -> String {
    text.replace("\r\n", "\n").replace('\r', "\n")
}

/// Markdown: heading marks off (`## Title` is `Title`); the rest is kept as written.
fn markdown_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let t = line.trim_start();
        let hashes = t.bytes().take_while(|&b| b == b'#').count();
        if (1..=6).contains(&hashes) && t[hashes..].starts_with(' ') {
            out.push_str(t[hashes..].trim_start());
        } else {
            out.push_str(line);
        }
    }
    out
}

/// Elements whose content is not the article.
const DROPPED: &[&str] = &[
    "script", "style", "nav", "header", "footer", "aside", "form", "noscript", "template",
    "iframe", "svg", "button", "select",
];
/// Elements that end a paragraph.
const BLOCKS: &[&str] = &[
    "p",
    "div",
    "br",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "ul",
    "ol",
    "blockquote",
    "article",
    "section",
    "main",
    "table",
    "tr",
    "td",
    "th",
    "pre",
    "hr",
    "title",
    "figcaption",
    "dd",
    "dt",
    "address",
];

#[derive(Default)]
struct TextSink {
    out: RefCell<String>,
    /// Depth inside dropped elements.
    skip: RefCell<usize>,
}

impl TextSink {
    fn paragraph_break(&self) {
        let mut out = self.out.borrow_mut();
        let trimmed = out.trim_end_matches([' ', '\t']).len();
        out.truncate(trimmed);
        if !out.is_empty() && !out.ends_with("\n\n") {
            if out.ends_with('\n') {
                out.push('\n');
            } else {
                out.push_str("\n\n");
            }
        }
    }

    fn tag(&self, tag: &Tag) -> TokenSinkResult<()> {
        let name: &str = &tag.name;
        let dropped = DROPPED.contains(&name);
        match tag.kind {
            TagKind::StartTag => {
                if dropped && !tag.self_closing {
                    *self.skip.borrow_mut() += 1;
                }
                if BLOCKS.contains(&name) {
                    self.paragraph_break();
                }
                // The tokenizer needs to be told where raw text starts.
                match name {
                    "script" => return TokenSinkResult::RawData(RawKind::ScriptData),
                    "style" | "iframe" | "noscript" => {
                        return TokenSinkResult::RawData(RawKind::Rawtext)
                    }
                    "title" | "textarea" => return TokenSinkResult::RawData(RawKind::Rcdata),
                    _ => {}
                }
            }
            TagKind::EndTag => {
                if dropped {
                    let mut skip = self.skip.borrow_mut();
                    *skip = skip.saturating_sub(1);
                }
                if BLOCKS.contains(&name) {
                    self.paragraph_break();
                }
            }
        }
        TokenSinkResult::Continue
    }

    fn chars(&self, text: &StrTendril) {
        if *self.skip.borrow() > 0 {
            return;
        }
        let mut out = self.out.borrow_mut();
        // Whitespace in HTML collapses to one space.
        for c in text.chars() {
            if c.is_whitespace() {
                if !out.is_empty() && !out.ends_with([' ', '\n']) {
                    out.push(' ');
                }
            } else {
                out.push(c);
            }
        }
    }
}

impl TokenSink for TextSink {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        match token {
            Token::TagToken(tag) => return self.tag(&tag),
            Token::CharacterTokens(t) => self.chars(&t),
            _ => {}
        }
        TokenSinkResult::Continue
    }
}

/// The readable text of an HTML document: paragraphs separated by blank lines.
pub fn html_text(html: &str) -> String {
    let tokenizer = Tokenizer::new(TextSink::default(), TokenizerOpts::default());
    let queue = BufferQueue::default();
    queue.push_back(StrTendril::from_slice(html));
    let _ = tokenizer.feed(&queue);
    tokenizer.end();
    let text = tokenizer.sink.out.take();
    let mut paragraphs: Vec<&str> = Vec::new();
    for p in text.split("\n\n") {
        let p = p.trim();
        if !p.is_empty() {
            paragraphs.push(p);
        }
    }
    let mut out = paragraphs.join("\n\n");
    out.push('\n');
    out
}

/// The headline, byline, source and dateline from the first lines of the text.
pub fn read_head(text: &str) -> Head {
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .take(6)
        .collect();
    let mut head = Head {
        title: lines
            .first()
            .map(|l| l.chars().take(crate::event::MAX_TITLE_CHARS).collect())
            .unwrap_or_default(),
        ..Head::default()
    };
    for line in lines.iter().skip(1) {
        if let Some(rest) = strip_by(line) {
            // "By Patrick Goodenough | July 7, 2008 | 8:11 PM EDT"
            let mut parts = rest.split(['|', '\u{2022}']).map(str::trim);
            head.byline = parts.next().filter(|b| !b.is_empty()).map(String::from);
            let date: Vec<&str> = parts.filter(|p| !p.is_empty()).collect();
            if !date.is_empty() {
                head.dateline = Some(date.join(" | "));
            }
        } else if head.dateline.is_none() && line.chars().count() <= 60 {
            // "Friday, May 10, 2002" or "2002-05-10" on a line of its own.
            if full_date(line).is_some() {
                head.dateline = Some((*line).to_string());
            }
        }
        if head.dateline.is_none() {
            // "SEOUL, May 10, 2002 - Five North Koreans ..." (no agency in brackets).
            if let Some(d) = wire_dateline(line) {
                head.dateline = Some(d);
            }
        }
        if head.source.is_none() {
            if let Some((place, source)) = source_line(line) {
                head.source = source.or_else(|| Some(place.clone()));
                if head.dateline.is_none() && source_line_has_date(&place) {
                    head.dateline = Some(place);
                }
            }
        }
    }
    head.published_printed = head
        .dateline
        .as_deref()
        .and_then(full_date)
        .map(PartialDate::from_naive);
    head
}

/// "SEOUL, May 10, 2002 - ..." or "WASHINGTON, Friday, May 10, 2002 — ..." →
/// the part before the dash, when it is a capitalized place, a comma and a full
/// date.
fn wire_dateline(line: &str) -> Option<String> {
    let dash = [" - ", " \u{2013} ", " \u{2014} ", "\u{2014}"]
        .iter()
        .filter_map(|d| line.find(d))
        .min()?;
    let prefix = line[..dash].trim();
    if prefix.chars().count() > 60 || !prefix.contains(',') {
        return None;
    }
    if !prefix.chars().next().is_some_and(char::is_uppercase) {
        return None;
    }
    full_date(prefix).map(|_| prefix.to_string())
}

fn strip_by(line: &str) -> Option<&str> {
    let l = line.trim_start();
    let lower = l.get(..3)?.to_ascii_lowercase();
    (lower == "by ").then(|| l[3..].trim())
}

/// "BEIJING, May 10 (Reuters) - ..." → ("BEIJING, May 10", Some("Reuters"));
/// "Pacific Rim Bureau ( - Japan ..." → ("Pacific Rim Bureau", None).
fn source_line(line: &str) -> Option<(String, Option<String>)> {
    let open = line.find('(')?;
    if open == 0 || line[..open].chars().count() > 60 {
        return None;
    }
    let after = &line[open + 1..];
    let (inside, rest) = match after.find(')') {
        Some(close) if close < 40 && !after[..close].contains('-') => {
            (after[..close].trim(), &after[close + 1..])
        }
        _ => ("", after),
    };
    let rest = rest.trim_start();
    if !(rest.starts_with('-') || rest.starts_with('\u{2013}') || rest.starts_with('\u{2014}')) {
        return None;
    }
    let place = line[..open].trim().trim_end_matches(',').to_string();
    if !place.chars().next().is_some_and(char::is_uppercase) {
        return None;
    }
    let source = (!inside.is_empty()).then(|| inside.to_string());
    Some((place, source))
}

fn source_line_has_date(place: &str) -> bool {
    timex::tag(place, None).iter().any(|t| {
        matches!(
            t.expr,
            Expr::Calendar {
                month: Some(_),
                day: Some(_),
                ..
            }
        )
    })
}

/// The first date with year, month and day in `text` ("July 7, 2008", "2002-05-10").
pub fn full_date(text: &str) -> Option<NaiveDate> {
    fn of(expr: &Expr) -> Option<NaiveDate> {
        match expr {
            Expr::Calendar {
                year: YearSpec::Stated { year },
                month: Some(m),
                day: Some(d),
            } => NaiveDate::from_ymd_opt(*year, *m, *d),
            Expr::Time { date: Some(d), .. } => of(d),
            _ => None,
        }
    }
    timex::tag(text, None).iter().find_map(|t| of(&t.expr))
}

/// The publication date printed in the first lines of a text, if any: the first
/// full calendar date there.
pub fn printed_date(text: &str) -> Option<NaiveDate> {
    let head_end = text
        .char_indices()
        .filter(|&(_, c)| c == '\n')
        .nth(5)
        .map_or(text.len(), |(i, _)| i);
    let head = text
        .get(..head_end.min(600))
        .or_else(|| text.get(..head_end))?;
    full_date(head)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(bytes: &[u8], format: Format) -> Document {
        read(bytes, format).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn the_seed_head_is_read() {
        let text = include_str!("../../../data/seed/shenyang-consulate-2002.txt");
        let d = doc(text.as_bytes(), Format::Text);
        assert_eq!(
            d.head.title,
            "China, Japan In Diplomatic Row Over N. Korean Defectors"
        );
        assert_eq!(d.head.byline.as_deref(), Some("Patrick Goodenough"));
        assert_eq!(
            d.head.dateline.as_deref(),
            Some("July 7, 2008 | 8:11 PM EDT")
        );
        assert_eq!(d.head.source.as_deref(), Some("Pacific Rim Bureau"));
        assert_eq!(
            d.head.published_printed.map(|p| p.to_string()).as_deref(),
            Some("2008-07-07")
        );
        assert!(d.warnings.is_empty());
    }

    #[test]
    fn datelines_in_several_forms() {
        for (text, date, source) in [
            (
                "Row\nFriday, May 10, 2002\n\nBody.",
                Some("2002-05-10"),
                None,
            ),
            ("Row\n2002-05-10\n\nBody.", Some("2002-05-10"), None),
            (
                "Row\n\nBEIJING, May 10 (Reuters) - China said.",
                None,
                Some("Reuters"),
            ),
            (
                "Row\n\nBEIJING, May 10, 2002 (Reuters) - China said.",
                Some("2002-05-10"),
                Some("Reuters"),
            ),
        ] {
            let h = read_head(text);
            assert_eq!(
                h.published_printed.map(|d| d.to_string()).as_deref(),
                date,
                "{text}"
            );
            assert_eq!(h.source.as_deref(), source, "{text}");
        }
        assert_eq!(
            read_head("Row\n\nBEIJING, May 10 (Reuters) - China.")
                .dateline
                .as_deref(),
            Some("BEIJING, May 10")
        );
    }

    #[test]
    fn html_keeps_paragraphs_and_drops_the_chrome() {
        let html = r#"<html><head><title>Row</title><style>p{color:red}</style>
            <script>var x = "<p>not text</p>";</script></head>
            <body><nav><a href="/">Home</a></nav><header>Site</header>
            <h1>China, Japan in row</h1><p>By A. Writer | May 10, 2002</p>
            <p>Japan &amp; China   argued
            on Wednesday.</p><p>Second&nbsp;paragraph.</p><footer>(c) Site</footer></body></html>"#;
        let d = doc(html.as_bytes(), Format::Html);
        assert_eq!(
            d.text,
            "Row\n\nChina, Japan in row\n\nBy A. Writer | May 10, 2002\n\nJapan & China argued on Wednesday.\n\nSecond paragraph.\n"
        );
        assert_eq!(d.head.byline.as_deref(), Some("A. Writer"));
    }

    #[test]
    fn markdown_headings_lose_their_marks() {
        let d = doc(b"# The row\n\nBy X | 2002-05-10\n\nText.", Format::Markdown);
        assert_eq!(d.head.title, "The row");
        assert_eq!(d.head.dateline.as_deref(), Some("2002-05-10"));
    }

    #[test]
    fn bad_input_is_rejected_with_its_reason() {
        assert_eq!(read(b"", Format::Text), Err(Rejection::Empty));
        assert_eq!(read(b" \n\t\r\n ", Format::Text), Err(Rejection::Blank));
        assert!(matches!(
            read(b"PK\x03\x04\x00\x00binary", Format::Text),
            Err(Rejection::Binary { .. })
        ));
        assert!(matches!(
            read(b"\x01\x02\x03\x04\x05\x06\x07\x08abc", Format::Text),
            Err(Rejection::Binary { .. })
        ));
        let big = vec![b'a'; MAX_FILE_BYTES + 1];
        assert!(matches!(
            read(&big, Format::Text),
            Err(Rejection::TooLarge { .. })
        ));
        assert!(matches!(
            Format::from_name("report.pdf"),
            Err(Rejection::Unsupported { .. })
        ));
        assert_eq!(Format::from_name("a/b.HTM"), Ok(Format::Html));
    }

    #[test]
    fn windows_1252_is_read_with_a_warning() {
        let d = doc(b"Caf\xe9 \x93talks\x94 on Friday", Format::Text);
        assert_eq!(d.text, "Café “talks” on Friday");
        assert_eq!(d.warnings.len(), 1, "{:?}", d.warnings);
        assert!(d.warnings[0].contains("Windows-1252"));
        let d = doc(b"\xFF\xFEh\x00i\x00", Format::Text);
        assert_eq!(d.text, "hi");
    }
}
