//! Events: what happened, when, where, involving whom, and where we read it.

use std::str::FromStr;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::date::{EventDate, Precision};
use crate::error::Error;

/// Defines a string-backed enum with `ALL`, `as_str`, `label` and `FromStr`.
macro_rules! string_enum {
    ($(#[$meta:meta])* $name:ident, $what:literal { $($(#[$vmeta:meta])* $variant:ident = $text:literal, $label:literal;)+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
        #[serde(rename_all = "snake_case")]
        #[ts(export)]
        pub enum $name { $($(#[$vmeta])* $variant,)+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text,)+ }
            }
            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label,)+ }
            }
        }

        impl FromStr for $name {
            type Err = Error;
            fn from_str(s: &str) -> Result<Self, Error> {
                // Stored values are the canonical names: found without a copy.
                if let Some(v) = $name::ALL.iter().copied().find(|v| v.as_str() == s) {
                    return Ok(v);
                }
                let t = s.trim().to_ascii_lowercase().replace([' ', '-'], "_");
                $name::ALL.iter().copied().find(|v| v.as_str() == t).ok_or_else(|| {
                    let known: Vec<&str> = $name::ALL.iter().map(|v| v.as_str()).collect();
                    Error::invalid($what, format!("unknown {} `{s}`; one of {}", $what, known.join(", ")))
                })
            }
        }
    };
}

string_enum!(
    /// What kind of thing happened.
    EventKind, "kind" {
        /// People entering a diplomatic mission (to seek asylum).
        Entry = "entry", "Entry into a mission";
        /// Police or agents removing people from a mission or its grounds.
        Removal = "removal", "Removal";
        Arrest = "arrest", "Arrest or detention";
        Repatriation = "repatriation", "Repatriation";
        /// Leaving for a third country: asylum granted, allowed to fly out.
        Departure = "departure", "Departure or asylum granted";
        Protest = "protest", "Diplomatic protest";
        Statement = "statement", "Statement or appeal";
        Meeting = "meeting", "Meeting or visit";
        /// Security measures, crackdowns.
        Security = "security", "Security measure";
        Treaty = "treaty", "Treaty or law";
        Conflict = "conflict", "War or conflict";
        Other = "other", "Other";
    }
);

string_enum!(
    /// Where an event stands in review.
    Status, "status" {
        Proposed = "proposed", "Proposed";
        Accepted = "accepted", "Accepted";
        Rejected = "rejected", "Rejected";
    }
);

string_enum!(
    /// Who made the event.
    Origin, "origin" {
        Manual = "manual", "Added by hand";
        Extracted = "extracted", "Extracted from an article";
        Curated = "curated", "Curated seed data";
    }
);

/// Where an event was read: an article, the sentence, and the date expression
/// its date came from. Offsets are Unicode characters of the article body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Provenance {
    #[ts(type = "number")]
    pub article_id: i64,
    pub article_title: String,
    /// The article's publication date in words, for citing.
    pub article_date: Option<String>,
    pub sentence_start: u32,
    pub sentence_end: u32,
    pub quote: String,
    /// The date expression as written ("last March 25").
    pub date_text: Option<String>,
    /// What it was resolved against ("publication date 2002-05-10").
    pub date_anchor: Option<String>,
    /// Index of the date expression in the article's list, when the date was
    /// extracted (re-resolved when the publication date is corrected).
    #[serde(default)]
    pub timex_index: Option<u32>,
    /// The word of the sentence the event was read from (the predicate its date
    /// modifies), when it was extracted.
    #[serde(default)]
    pub trigger: Option<TextSpan>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Event {
    #[ts(type = "number")]
    pub id: i64,
    pub title: String,
    pub summary: String,
    pub kind: EventKind,
    pub date: EventDate,
    /// The date in words at its precision: "8 May 2002", "c. 1961".
    pub date_text: String,
    pub precision: Precision,
    pub city: Option<String>,
    /// Where it happened (alpha-2).
    pub country: Option<String>,
    #[ts(type = "number | null")]
    pub mission_id: Option<i64>,
    pub mission_name: Option<String>,
    /// Countries involved (alpha-2), sorted.
    pub countries: Vec<String>,
    pub status: Status,
    pub origin: Origin,
    pub confidence: Option<f64>,
    /// Context the article gives rather than news it reports ("since the 1950-53 war").
    pub background: bool,
    /// Announced or expected, not (yet) happened ("is due in Beijing on Monday").
    #[serde(default)]
    pub planned: bool,
    pub sources: Vec<Provenance>,
    /// Why the event is back in review ("8 May 2002, was 2 July 2008: publication
    /// date corrected"); none once accepted.
    #[serde(default)]
    pub review_note: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

/// The fields a person sets when adding or editing an event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct EventInput {
    pub title: String,
    #[serde(default)]
    pub summary: String,
    pub kind: EventKind,
    pub date: EventDate,
    #[serde(default)]
    pub city: Option<String>,
    #[serde(default)]
    pub country: Option<String>,
    #[serde(default)]
    #[ts(type = "number | null")]
    pub mission_id: Option<i64>,
    #[serde(default)]
    pub countries: Vec<String>,
    #[serde(default)]
    pub background: bool,
    /// Announced or expected, not (yet) happened.
    #[serde(default)]
    pub planned: bool,
}

/// A limit on text fields, so a paste of a whole book into a title fails clearly.
pub const MAX_TITLE_CHARS: usize = 300;
pub const MAX_SUMMARY_CHARS: usize = 20_000;

impl EventInput {
    /// Checks and tidies the input: trimmed title, upper-case unique country codes.
    pub fn validated(mut self) -> Result<Self, Error> {
        self.title = self.title.trim().to_string();
        if self.title.is_empty() {
            return Err(Error::invalid("title", "a title is required"));
        }
        if self.title.chars().count() > MAX_TITLE_CHARS {
            return Err(Error::invalid(
                "title",
                format!("at most {MAX_TITLE_CHARS} characters"),
            ));
        }
        if self.summary.chars().count() > MAX_SUMMARY_CHARS {
            return Err(Error::invalid(
                "summary",
                format!("at most {MAX_SUMMARY_CHARS} characters"),
            ));
        }
        self.summary = self.summary.trim().to_string();
        self.city = self
            .city
            .map(|c| c.trim().to_string())
            .filter(|c| !c.is_empty());
        self.country = match self
            .country
            .as_deref()
            .map(str::trim)
            .filter(|c| !c.is_empty())
        {
            None => None,
            Some(c) => Some(crate::country::normalize_code(c).ok_or_else(|| {
                Error::invalid("country", format!("`{c}` is not a two-letter country code"))
            })?),
        };
        let mut codes = Vec::with_capacity(self.countries.len());
        for c in &self.countries {
            let code = crate::country::normalize_code(c).ok_or_else(|| {
                Error::invalid(
                    "countries",
                    format!("`{c}` is not a two-letter country code"),
                )
            })?;
            codes.push(code);
        }
        codes.sort();
        codes.dedup();
        self.countries = codes;
        // Re-check the date: a deserialized value went through EventDate::new already,
        // but a struct built in code may not have.
        self.date = EventDate::new(self.date.start, self.date.end, self.date.approximate)?;
        Ok(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(title: &str) -> EventInput {
        EventInput {
            title: title.into(),
            summary: String::new(),
            kind: EventKind::Entry,
            date: "2002-05-08".parse().unwrap_or_else(|e| panic!("{e}")),
            city: Some(" Shenyang ".into()),
            country: Some("cn".into()),
            mission_id: None,
            countries: vec!["kp".into(), "JP".into(), "KP".into()],
            background: false,
            planned: false,
        }
    }

    #[test]
    fn validation_trims_and_normalizes_codes() {
        let v = input("  Entry  ")
            .validated()
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(v.title, "Entry");
        assert_eq!(v.city.as_deref(), Some("Shenyang"));
        assert_eq!(v.country.as_deref(), Some("CN"));
        assert_eq!(v.countries, ["JP", "KP"]);
    }

    #[test]
    fn validation_names_the_field_at_fault() {
        let e = input("   ").validated().unwrap_err();
        assert_eq!(e.field(), Some("title"));
        let mut bad = input("x");
        bad.countries = vec!["Japan".into()];
        assert_eq!(bad.validated().unwrap_err().field(), Some("countries"));
        let long = "x".repeat(MAX_TITLE_CHARS + 1);
        assert_eq!(input(&long).validated().unwrap_err().field(), Some("title"));
    }

    #[test]
    fn enums_parse_leniently_and_list_choices_on_error() {
        assert_eq!("Entry".parse::<EventKind>().ok(), Some(EventKind::Entry));
        assert_eq!("accepted".parse::<Status>().ok(), Some(Status::Accepted));
        let e = "coup".parse::<EventKind>().unwrap_err().to_string();
        assert!(
            e.contains("unknown kind `coup`") && e.contains("repatriation"),
            "{e}"
        );
    }
}

/// A stretch of an article's text, in Unicode characters, end exclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TextSpan {
    pub start: u32,
    pub end: u32,
}

/// A source to attach to a new event: the sentence of an article it was read in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewSource {
    pub article_id: i64,
    pub sentence_start: u32,
    pub sentence_end: u32,
    pub quote: String,
    pub date_text: Option<String>,
    pub date_anchor: Option<String>,
    /// Index of the date expression in the article's stored list (see
    /// [`crate::timex::Timex`]), for re-resolution.
    pub timex_index: Option<u32>,
    /// The word the event was read from (the predicate its date modifies).
    pub trigger: Option<TextSpan>,
}

/// An event as the store inserts it: the user-settable fields plus where it came
/// from and where it stands in review.
#[derive(Debug, Clone, PartialEq)]
pub struct NewEvent {
    pub input: EventInput,
    pub status: Status,
    pub origin: Origin,
    pub confidence: Option<f64>,
    pub sources: Vec<NewSource>,
}

impl NewEvent {
    /// An event a person typed in: accepted, no source.
    pub fn manual(input: EventInput) -> Self {
        NewEvent {
            input,
            status: Status::Accepted,
            origin: Origin::Manual,
            confidence: None,
            sources: Vec::new(),
        }
    }
}
