//! The temporal tagger against its case table (`tests/timex/cases.txt`), the seed
//! article under both of its publication dates, and properties that must hold for
//! any input: no panic, spans within the text on character boundaries, in order and
//! non-overlapping, deterministic, linear time.

use annals_core::timex::{self, Anchor, Timex};
use chrono::NaiveDate;
use proptest::prelude::*;

fn date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

fn render(t: &[Timex]) -> String {
    if t.is_empty() {
        return "-".into();
    }
    t.iter()
        .map(|t| format!("{} => {} {}", t.text, t.value, t.kind.as_str()))
        .collect::<Vec<_>>()
        .join(" ; ")
}

#[test]
fn case_table_resolves_every_expression() {
    let table = include_str!("timex/cases.txt");
    let mut failures = Vec::new();
    let mut cases = 0;
    for (n, line) in table.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let parts: Vec<&str> = line.splitn(3, " | ").collect();
        let [dct, text, expected] = parts[..] else {
            panic!("line {}: expected `DCT | TEXT | EXPECTED`: {line}", n + 1);
        };
        let dct = if dct == "none" {
            None
        } else {
            Some(date(dct).unwrap_or_else(|| panic!("line {}: bad DCT {dct}", n + 1)))
        };
        cases += 1;
        let got = render(&timex::tag(text, dct));
        if got != expected.trim() {
            failures.push(format!(
                "line {}: {text:?}\n    expected {expected}\n    got      {got}",
                n + 1
            ));
        }
    }
    assert!(cases >= 250, "only {cases} cases");
    assert!(
        failures.is_empty(),
        "{} of {cases} cases failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

const SEED: &str = include_str!("timex/seed-shenyang-consulate-2002.txt");

fn value_of<'a>(t: &'a [Timex], text: &str, nth: usize) -> &'a str {
    t.iter()
        .filter(|t| t.text == text)
        .nth(nth)
        .map_or("(not found)", |t| t.value.as_str())
}

/// The seed article's printed dateline is Monday 7 July 2008; its events are of the
/// week before Friday 10 May 2002.
#[test]
fn seed_article_resolves_against_its_printed_dateline() {
    let t = timex::tag(SEED, date("2008-07-07"));
    assert_eq!(value_of(&t, "July 7, 2008", 0), "2008-07-07");
    assert_eq!(value_of(&t, "8:11 PM EDT", 0), "2008-07-07T20:11");
    assert_eq!(value_of(&t, "Wednesday", 0), "2008-07-02");
    assert_eq!(value_of(&t, "last March 25", 0), "2008-03-25");
    assert_eq!(value_of(&t, "the same day", 0), "2008-07-02");
    assert_eq!(value_of(&t, "the next day", 0), "2008-07-03");
    assert_eq!(value_of(&t, "Friday", 0), "2008-07-04");
    assert_eq!(value_of(&t, "1961", 0), "1961");
    assert_eq!(value_of(&t, "Friday", 1), "2008-07-04");
    assert_eq!(value_of(&t, "Thursday", 0), "2008-07-03");
    assert_eq!(value_of(&t, "last January", 0), "2008-01");
    assert_eq!(value_of(&t, "1950-53", 0), "1950");
}

#[test]
fn seed_article_resolves_against_its_corrected_date() {
    let t = timex::tag(SEED, date("2002-05-10"));
    assert_eq!(value_of(&t, "Wednesday", 0), "2002-05-08");
    assert_eq!(value_of(&t, "Wednesday", 1), "2002-05-08");
    assert_eq!(value_of(&t, "last March 25", 0), "2002-03-25");
    assert_eq!(value_of(&t, "the same day", 0), "2002-05-08");
    assert_eq!(value_of(&t, "the next day", 0), "2002-05-09");
    assert_eq!(value_of(&t, "Friday", 0), "2002-05-10");
    assert_eq!(value_of(&t, "Friday", 1), "2002-05-10");
    assert_eq!(value_of(&t, "Thursday", 0), "2002-05-09");
    assert_eq!(value_of(&t, "1961", 0), "1961");
    assert_eq!(value_of(&t, "last January", 0), "2002-01");
    let war = t.iter().find(|t| t.text == "1950-53");
    assert_eq!(
        war.and_then(|t| t.date).map(|d| d.to_string()).as_deref(),
        Some("1950/1953")
    );
    // "the next day" counts from "the same day", which counts from the story's day.
    let next = t.iter().position(|t| t.text == "the next day");
    let same = t.iter().position(|t| t.text == "the same day");
    assert!(matches!(
        next.map(|i| t[i].anchor),
        Some(Anchor::Previous { index }) if Some(index) == same
    ));
}

#[test]
fn correcting_the_publication_date_equals_tagging_with_it() {
    let mut t = timex::tag(SEED, date("2008-07-07"));
    timex::resolve(&mut t, date("2002-05-10"));
    assert_eq!(t, timex::tag(SEED, date("2002-05-10")));
    // And the understanding survives a JSON round trip.
    let json = serde_json::to_string(&t).unwrap_or_default();
    let mut back: Vec<Timex> = serde_json::from_str(&json).unwrap_or_default();
    timex::resolve(&mut back, date("2008-07-07"));
    assert_eq!(back, timex::tag(SEED, date("2008-07-07")));
}

fn check_invariants(text: &str, dct: Option<NaiveDate>) -> Result<(), TestCaseError> {
    let t = timex::tag(text, dct);
    let chars: Vec<char> = text.chars().collect();
    let mut last_end = 0;
    for x in &t {
        prop_assert!(x.start < x.end, "empty span {x:?}");
        prop_assert!(x.end <= chars.len(), "span past the end {x:?}");
        prop_assert!(x.start >= last_end, "overlap or disorder at {x:?}");
        let slice: String = chars[x.start..x.end].iter().collect();
        prop_assert_eq!(&slice, &x.text);
        last_end = x.end;
    }
    prop_assert_eq!(&t, &timex::tag(text, dct));
    Ok(())
}

const VOCAB: &[&str] = &[
    "May",
    "March",
    "Aug.",
    "Sept",
    "Wednesday",
    "Fridays",
    "last",
    "next",
    "this",
    "the",
    "a",
    "year",
    "years",
    "week",
    "day",
    "ago",
    "earlier",
    "later",
    "quarter",
    "third",
    "first",
    "half",
    "of",
    "from",
    "to",
    "between",
    "and",
    "1950",
    "53",
    "2002",
    "10",
    "25",
    "8",
    "11",
    ":",
    "-",
    "/",
    ".",
    ",",
    "'",
    "s",
    "th",
    "PM",
    "a.m.",
    "EDT",
    "noon",
    "yesterday",
    "tonight",
    "morning",
    "every",
    "each",
    "fiscal",
    "mid",
    "early",
    "late",
    "recent",
    "now",
    "1990s",
    "'80s",
    "twenty",
    "four",
    "hundred",
    "Christmas",
    "New",
    "Year",
    "é",
    "中文",
    "🙂",
    "\u{301}",
    "\r\n",
    "\n\n",
    "$",
    "%",
    "9999999999",
    "0",
];

fn soup() -> impl Strategy<Value = String> {
    let word = prop::sample::select(VOCAB);
    let sep = prop::sample::select(&[" ", "", " ", "\n", "-", ", "][..]);
    prop::collection::vec((word, sep), 0..40)
        .prop_map(|v| v.into_iter().flat_map(|(w, s)| [w, s]).collect::<String>())
}

fn any_dct() -> impl Strategy<Value = Option<NaiveDate>> {
    prop_oneof![
        Just(None),
        (-3000i32..12000, 1u32..=366).prop_map(|(y, d)| NaiveDate::from_yo_opt(y, d)),
        Just(Some(NaiveDate::MIN)),
        Just(Some(NaiveDate::MAX)),
    ]
}

proptest! {
    // PROPTEST_CASES=200000 turns this into a soak.
    #![proptest_config(ProptestConfig::with_cases(
        std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(2000)
    ))]

    #[test]
    fn arbitrary_text_keeps_the_invariants(text in any::<String>(), dct in any_dct()) {
        check_invariants(&text, dct)?;
    }

    #[test]
    fn date_like_soup_keeps_the_invariants(text in soup(), dct in any_dct()) {
        check_invariants(&text, dct)?;
    }

    #[test]
    fn re_resolving_any_understanding_never_panics(text in soup(), a in any_dct(), b in any_dct()) {
        let mut t = timex::tag(&text, a);
        timex::resolve(&mut t, b);
        let fresh = timex::tag(&text, b);
        prop_assert_eq!(t, fresh);
    }
}

/// Worst cases for time: every rule looks ahead a bounded number of tokens, so these
/// few-megabyte inputs must finish as fast as ordinary text (not timed here; the
/// benchmark measures speed). A backtracking or quadratic rule would not finish.
#[test]
fn pathological_inputs_finish() {
    let size = 2_000_000;
    let inputs = [
        "1950-53-".repeat(size / 8),
        "May May May ".repeat(size / 12),
        "1".repeat(size),
        "last last the the of ".repeat(size / 21),
        "-".repeat(size),
        "a few a couple of ".repeat(size / 18),
        "é中🙂 ".repeat(size / 12),
        "10 May 2002, ".repeat(size / 13),
        "\n\nthe next day".repeat(size / 14),
        "April 24 and 25 and ".repeat(size / 20),
        "In March and April 1998, ".repeat(size / 25),
        "Friday night at 2 a.m. ".repeat(size / 23),
        "the quarter ended Sept. 30, ".repeat(size / 28),
        "set Friday effective Monday until ".repeat(size / 34),
        "Q1 FY13 year-long-long is on ".repeat(size / 29),
        "could not be could be neither nor be ".repeat(size / 38),
        "said that in March may have is set for ".repeat(size / 40),
        "eight and a half years or so from now hence ".repeat(size / 44),
    ];
    for text in &inputs {
        let t = timex::tag(text, date("2002-05-10"));
        assert!(t.len() <= text.len());
    }
}
