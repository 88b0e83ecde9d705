//! An article as TimeML (TimeML 1.2.1, the form of TimeBank and TempEval-3):
//! its text with each date expression Annals found marked as a TIMEX3 (type,
//! value, mod, and for relative ones the expression they were resolved
//! against), its publication date as the DCT. What a TimeML tool or a person
//! checking the tagger reads.
//!
//! Offsets of stored expressions are characters of the article's body.

use std::fmt::Write as _;

use crate::error::{Error, Result};
use crate::store::Db;
use crate::timex::{Anchor, Modifier, Timex};

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// TimeML's `mod` values; early and late are its START and END.
fn modifier(m: Modifier) -> &'static str {
    match m {
        Modifier::Early | Modifier::Start => "START",
        Modifier::Mid => "MID",
        Modifier::Late | Modifier::End => "END",
        Modifier::Approx => "APPROX",
        Modifier::MoreThan => "MORE_THAN",
        Modifier::LessThan => "LESS_THAN",
        Modifier::EqualOrMore => "EQUAL_OR_MORE",
        Modifier::EqualOrLess => "EQUAL_OR_LESS",
    }
}

fn open_tag(i: usize, t: &Timex, has_dct: bool) -> String {
    let mut tag = format!(
        "<TIMEX3 tid=\"t{}\" type=\"{}\" value=\"{}\"",
        i + 1,
        t.kind.as_str(),
        escape(&t.value)
    );
    if let Some(m) = t.modifier {
        let _ = write!(tag, " mod=\"{}\"", modifier(m));
    }
    match t.anchor {
        Anchor::Absolute => tag.push_str(" temporalFunction=\"false\""),
        Anchor::Dct if has_dct => tag.push_str(" temporalFunction=\"true\" anchorTimeID=\"t0\""),
        Anchor::Dct => tag.push_str(" temporalFunction=\"true\""),
        Anchor::Previous { index } => {
            let _ = write!(
                tag,
                " temporalFunction=\"true\" anchorTimeID=\"t{}\"",
                index + 1
            );
        }
    }
    tag.push_str(" functionInDocument=\"NONE\">");
    tag
}

/// The article `id` as a TimeML document.
pub fn article_timeml(db: &Db, id: i64) -> Result<String> {
    let article = db.article(id)?.ok_or(Error::NotFound {
        what: "article",
        id,
    })?;
    // Imported articles keep the expressions their events were read from; an
    // article stored without them (the curated seed) is tagged now.
    let mut timexes = db.article_timexes(id)?;
    if timexes.is_empty() {
        timexes = crate::timex::tag(&article.body, article.published.map(|d| d.first_day()));
    }
    let mut doc = String::with_capacity(article.body.len() * 2 + 512);
    doc.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    doc.push_str("<TimeML xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:noNamespaceSchemaLocation=\"http://timeml.org/timeMLdocs/TimeML_1.2.1.xsd\">\n");
    let _ = writeln!(doc, "<DOCID>annals-article-{id}</DOCID>");
    let dct = article.published.map(|d| d.to_string());
    if let Some(d) = &dct {
        let _ = writeln!(
            doc,
            "<DCT><TIMEX3 tid=\"t0\" type=\"DATE\" value=\"{d}\" temporalFunction=\"false\" functionInDocument=\"CREATION_TIME\">{d}</TIMEX3></DCT>"
        );
    }
    let _ = writeln!(doc, "<TITLE>{}</TITLE>", escape(&article.title));
    doc.push_str("<TEXT>");
    // Offsets are characters of the body; walk it once.
    let chars: Vec<char> = article.body.chars().collect();
    let mut at = 0;
    let text = |from: usize, to: usize| escape(&chars[from..to].iter().collect::<String>());
    for (i, t) in timexes.iter().enumerate() {
        // Overlapping or out-of-range spans (none are stored, but the file is
        // the database's) are left unmarked rather than nested wrongly.
        if t.start < at || t.end > chars.len() || t.start >= t.end {
            continue;
        }
        doc.push_str(&text(at, t.start));
        doc.push_str(&open_tag(i, t, dct.is_some()));
        doc.push_str(&text(t.start, t.end));
        doc.push_str("</TIMEX3>");
        at = t.end;
    }
    doc.push_str(&text(at, chars.len()));
    doc.push_str("</TEXT>\n</TimeML>\n");
    Ok(doc)
}
