//! The gazetteer: countries (by name, official name, alternative spelling, demonym,
//! "U.S."-style abbreviation) and cities (GeoNames, at least 100,000 people) found
//! in text, each tied to its ISO 3166 alpha-2 country.
//!
//! Built once from the data compiled in (`data/countries.json`, `data/cities.json`,
//! both converted by scripts from maintained datasets); names are indexed by their
//! first word and looked up at the starts of capitalized words only, so a text is
//! matched in one pass whatever the number of names. A name counts only
//! where the text capitalizes it and it stands as a whole word (a plural "s" or a
//! possessive "'s" may follow).

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::Deserialize;

use crate::store::gazetteer::CountryRecord;

const COUNTRIES_JSON: &str = include_str!("../../../data/countries.json");
const CITIES_JSON: &str = include_str!("../../../data/cities.json");

/// What a name in the text stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlaceKind {
    /// "China", "People's Republic of China", "U.S.".
    Country,
    /// "Chinese", "North Koreans".
    Demonym,
    /// "Shenyang"; `capital` for "Beijing", "Tokyo" (which often stand for the
    /// government: "Tokyo urged Beijing").
    City { capital: bool },
}

/// One name found in a text. Offsets are bytes of the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention {
    pub start: usize,
    pub end: usize,
    pub kind: PlaceKind,
    /// Alpha-2 code of the country (of the city's country for a city).
    pub country: &'static str,
    /// The city's name as the dataset spells it.
    pub city: Option<&'static str>,
}

#[derive(Debug)]
struct Entry {
    kind: PlaceKind,
    country: &'static str,
    city: Option<&'static str>,
}

#[derive(Deserialize)]
struct CountriesFile {
    countries: Vec<CountryRecord>,
}

#[derive(Deserialize)]
struct CitiesFile {
    cities: Vec<CityRecord>,
}

#[derive(Deserialize)]
struct CityRecord {
    name: String,
    country: String,
    #[serde(default)]
    population: u64,
    #[serde(default)]
    alt: Vec<String>,
}

/// A country as the extractor names it in titles.
#[derive(Debug, Clone)]
pub struct CountryInfo {
    pub code: &'static str,
    pub name: &'static str,
    pub demonym: Option<&'static str>,
    pub capital: Option<&'static str>,
}

pub struct Gazetteer {
    /// Names (as the data spells them) by their first word in ASCII lower case,
    /// longest first: index into `names` and `entries`.
    by_first_word: HashMap<String, Vec<u32>>,
    names: Vec<String>,
    /// Per name, the (lower-cased) bytes after its first word as [`after_word`]
    /// packs them, and the mask of those it has: a cheap test before comparing
    /// the whole name ("San" starts 400 names).
    after: Vec<(u64, u64)>,
    entries: Vec<Entry>,
    countries: HashMap<&'static str, CountryInfo>,
}

/// Up to 8 bytes of `s` after its first `word` bytes, in ASCII lower case, packed
/// into a `u64`, with the mask of the bytes present.
fn after_word(s: &[u8], word: usize) -> (u64, u64) {
    let rest = s.get(word..).unwrap_or_default();
    let (mut tag, mut mask) = (0u64, 0u64);
    for (k, b) in rest.iter().take(8).enumerate() {
        tag |= u64::from(b.to_ascii_lowercase()) << (8 * k);
        mask |= 0xff << (8 * k);
    }
    (tag, mask)
}

/// Capitalized nouns that, after a place's name, make the two the name of a
/// treaty or a body ("Vienna Convention", "Warsaw Pact", "Paris Club").
const INSTITUTIONS: &[&str] = &[
    "Convention",
    "Conventions",
    "Treaty",
    "Accord",
    "Accords",
    "Protocol",
    "Charter",
    "Declaration",
    "Agreement",
    "Pact",
    "Consensus",
    "Club",
    "Statute",
    "Process",
    "Plan",
    "Doctrine",
    "Conference",
];

/// Whether the words before a name make it a place: "in", "at", "to", "from",
/// "near", "the" ("in the Hague", "the Hague's courts").
fn after_a_place_word(before: &str) -> bool {
    before
        .split_whitespace()
        .next_back()
        .map(|w| {
            w.trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase()
        })
        .is_some_and(|w| {
            matches!(
                w.as_str(),
                "in" | "at" | "to" | "from" | "near" | "the" | "into" | "outside" | "via"
            )
        })
}

/// Whether the text after a place's name goes on with one of [`INSTITUTIONS`].
fn names_an_institution(rest: &str) -> bool {
    let Some(rest) = rest.strip_prefix(' ') else {
        return false;
    };
    let word = first_word(rest);
    INSTITUTIONS.contains(&word)
}

/// Capitalized words that may stand before a city's name in running text.
const BEFORE_CITY: &[&str] = &[
    "In",
    "At",
    "From",
    "To",
    "On",
    "Near",
    "Outside",
    "Inside",
    "Across",
    "The",
    "And",
    "But",
    "Of",
    "For",
    "Via",
    "Into",
    "Central",
    "Greater",
    "East",
    "West",
    "North",
    "South",
    "Northern",
    "Southern",
    "Eastern",
    "Western",
    "Old",
    "New",
    "Downtown",
    "Metropolitan",
];

/// Whether the city name at `s..e` is joined by a space to a capitalized word
/// before it (not one of [`BEFORE_CITY`]) or after it (not a weekday or month:
/// "in Beijing Monday"): then it is part of a person's name.
fn in_a_name(text: &str, s: usize, e: usize) -> bool {
    let before = text[..s]
        .strip_suffix(' ')
        .and_then(|t| t.rsplit(|c: char| !c.is_alphanumeric()).next());
    let capital = |w: &str| w.chars().next().is_some_and(char::is_uppercase);
    if before.is_some_and(|w| capital(w) && !BEFORE_CITY.contains(&w) && w.len() > 1) {
        return true;
    }
    let after = text[e..].strip_prefix(' ').map(first_word);
    after.is_some_and(|w| {
        capital(w)
            && !matches!(
                crate::timex::lexicon::classify(w.as_bytes()),
                crate::timex::lexicon::Lex::Month(..) | crate::timex::lexicon::Lex::Weekday(..)
            )
            && !INSTITUTIONS.contains(&w)
            && !matches!(
                w,
                "Consulate" | "Embassy" | "Mission" | "City" | "Province" | "Region"
            )
            && w.chars().skip(1).any(char::is_lowercase)
    })
}

/// The leading run of letters and digits of `s`.
fn first_word(s: &str) -> &str {
    let end = s.find(|c: char| !c.is_alphanumeric()).unwrap_or(s.len());
    &s[..end]
}

fn leak(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}

impl Gazetteer {
    /// The gazetteer of the data compiled in, built on first use.
    pub fn get() -> &'static Gazetteer {
        static G: OnceLock<Gazetteer> = OnceLock::new();
        G.get_or_init(|| Gazetteer::build(COUNTRIES_JSON, CITIES_JSON))
    }

    fn build(countries_json: &str, cities_json: &str) -> Gazetteer {
        let countries: Vec<CountryRecord> = serde_json::from_str::<CountriesFile>(countries_json)
            .map(|f| f.countries)
            .unwrap_or_default();
        let cities: Vec<CityRecord> = serde_json::from_str::<CitiesFile>(cities_json)
            .map(|f| f.cities)
            .unwrap_or_default();
        let mut patterns: Vec<String> = Vec::new();
        let mut entries: Vec<Entry> = Vec::new();
        let mut seen: HashMap<String, usize> = HashMap::new();
        let mut add = |name: &str, entry: Entry| {
            let name = name.trim();
            if name.chars().count() < 3 {
                return;
            }
            let key = name.to_lowercase();
            if seen.contains_key(&key) {
                return; // first wins: countries before cities, big cities first
            }
            seen.insert(key, patterns.len());
            patterns.push(name.to_string());
            entries.push(entry);
        };
        let mut info = HashMap::new();
        let mut capitals: HashMap<String, &'static str> = HashMap::new();
        // A demonym several countries share ("American": the United States and
        // the Northern Mariana Islands) goes to the sovereign one, told by the
        // size of its largest city.
        let mut largest: HashMap<&str, u64> = HashMap::new();
        for city in &cities {
            let p = largest.entry(city.country.as_str()).or_default();
            *p = (*p).max(city.population);
        }
        let mut demonym_owner: HashMap<String, (&str, u64)> = HashMap::new();
        for c in &countries {
            let size = largest.get(c.code.as_str()).copied().unwrap_or(0);
            for d in c.demonyms.iter().flat_map(|d| d.split(", ")) {
                let owner = demonym_owner
                    .entry(d.trim().to_lowercase())
                    .or_insert((c.code.as_str(), size));
                if size > owner.1 {
                    *owner = (c.code.as_str(), size);
                }
            }
        }
        for c in &countries {
            let code = leak(c.code.clone());
            let country = |kind| Entry {
                kind,
                country: code,
                city: None,
            };
            add(&c.name, country(PlaceKind::Country));
            if let Some(o) = &c.official {
                add(o, country(PlaceKind::Country));
            }
            for a in &c.aliases {
                // Names given "Korea, Republic of"-style are index forms, not text.
                if !a.contains(", ") {
                    add(a, country(PlaceKind::Country));
                }
                // "USA" is also written "U.S.A."; with it, the code as "U.S.".
                if a.len() >= 3 && a.bytes().all(|b| b.is_ascii_uppercase()) {
                    let dotted: String = a.chars().flat_map(|ch| [ch, '.']).collect();
                    add(&dotted, country(PlaceKind::Country));
                    if a.starts_with(code) {
                        let short: String = code.chars().flat_map(|ch| [ch, '.']).collect();
                        add(&short, country(PlaceKind::Country));
                    }
                }
            }
            for d in &c.demonyms {
                for d in d.split(", ") {
                    let owner = demonym_owner.get(&d.trim().to_lowercase()).map(|o| o.0);
                    if owner.is_none_or(|o| o == c.code) {
                        add(d, country(PlaceKind::Demonym));
                    }
                }
            }
            if let Some(cap) = &c.capital {
                capitals.insert(cap.to_lowercase(), code);
            }
            info.insert(
                code,
                CountryInfo {
                    code,
                    name: leak(c.name.clone()),
                    demonym: c
                        .demonyms
                        .first()
                        .map(|d| leak(d.split(", ").next().unwrap_or(d).to_string())),
                    capital: c.capital.clone().map(leak),
                },
            );
        }
        for city in &cities {
            let Some(&code) = info.get_key_value(city.country.as_str()).map(|(k, _)| k) else {
                continue;
            };
            let name = leak(city.name.clone());
            let lower = name.to_lowercase();
            let capital = capitals.iter().any(|(cap, &cc)| {
                cc == code && (*cap == lower || cap.starts_with(&format!("{lower} ")))
            });
            if capital {
                if let Some(ci) = info.get_mut(code) {
                    ci.capital = Some(name);
                }
            }
            let entry = || Entry {
                kind: PlaceKind::City { capital },
                country: code,
                city: Some(name),
            };
            add(name, entry());
            for a in &city.alt {
                add(a, entry());
            }
        }
        let mut by_first_word: HashMap<String, Vec<u32>> = HashMap::new();
        for (i, name) in patterns.iter().enumerate() {
            let word = first_word(name);
            if !word.is_empty() {
                by_first_word
                    .entry(word.to_ascii_lowercase())
                    .or_default()
                    .push(i as u32);
            }
        }
        for list in by_first_word.values_mut() {
            list.sort_by_key(|&i| std::cmp::Reverse(patterns[i as usize].len()));
        }
        let after = patterns
            .iter()
            .map(|n| after_word(n.as_bytes(), first_word(n).len()))
            .collect();
        Gazetteer {
            by_first_word,
            after,
            names: patterns,
            entries,
            countries: info,
        }
    }

    /// The longest name the text at byte `s` starts with (ASCII case ignored): its
    /// end and index. A name starting there has the text's first word as its own,
    /// or is one word that the text's first word extends by a plural "s" (any
    /// shorter one fails the whole-word test).
    fn longest_at(&self, text: &str, s: usize) -> Option<(usize, usize)> {
        let word = first_word(&text[s..]);
        // The key in lower case, without an allocation for ordinary words.
        let mut buf = [0u8; 48];
        let owned;
        let key: &str = match buf.get_mut(..word.len()) {
            Some(b) => {
                b.copy_from_slice(word.as_bytes());
                b.make_ascii_lowercase();
                std::str::from_utf8(b).unwrap_or(word)
            }
            None => {
                owned = word.to_ascii_lowercase();
                &owned
            }
        };
        let (next, _) = after_word(&text.as_bytes()[s..], word.len());
        let starts = |i: u32| {
            let (tag, mask) = self.after[i as usize];
            let name = self.names[i as usize].as_bytes();
            next & mask == tag
                && text
                    .as_bytes()
                    .get(s..s + name.len())
                    .is_some_and(|t| t.eq_ignore_ascii_case(name))
        };
        if let Some(&i) = self
            .by_first_word
            .get(key)
            .and_then(|list| list.iter().find(|&&i| starts(i)))
        {
            return Some((s + self.names[i as usize].len(), i as usize));
        }
        let singular = key.strip_suffix('s').filter(|_| word.ends_with('s'))?;
        let &i = self
            .by_first_word
            .get(singular)?
            .iter()
            .find(|&&i| self.names[i as usize].len() == singular.len() && starts(i))?;
        Some((s + singular.len(), i as usize))
    }

    /// Every country, demonym and city name in `text`, in order.
    ///
    /// A name counts only capitalized and as a whole word, so names are looked up
    /// by first word at the starts of capitalized words alone (the longest name
    /// starting there), not at every byte.
    pub fn find(&self, text: &str) -> Vec<Mention> {
        let mut out = Vec::new();
        // City names met inside a person's name ("William Hague"): the same word
        // alone later ("Hague said") is that person again, unless a preposition
        // or "the" makes it a place ("in the Hague").
        let mut surnames: Vec<&str> = Vec::new();
        let bytes = text.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            // Skip to the next byte that can start a capitalized word: an ASCII
            // capital or the lead byte of a non-ASCII character.
            if !(b.is_ascii_uppercase() || b >= 0xC0) {
                i += 1;
                continue;
            }
            let s = i;
            let first = text[s..].chars().next();
            i += first.map_or(1, char::len_utf8);
            if !first.is_some_and(char::is_uppercase) {
                continue;
            }
            let before_ok = text[..s]
                .chars()
                .next_back()
                .is_none_or(|c| !c.is_alphanumeric());
            if !before_ok {
                continue;
            }
            let Some((e, pattern)) = self.longest_at(text, s) else {
                continue;
            };
            let mut end = e;
            let rest = &text[e..];
            let after_ok = |t: &str| t.chars().next().is_none_or(|c| !c.is_alphanumeric());
            if !after_ok(rest) {
                // plural or possessive: "North Koreans", "China's"
                let ok = ["s", "'s", "\u{2019}s"]
                    .iter()
                    .find(|suf| rest.starts_with(**suf) && after_ok(&rest[suf.len()..]));
                match ok {
                    Some(suf) => end += suf.len(),
                    None => continue,
                }
            }
            let Some(entry) = self.entries.get(pattern) else {
                continue;
            };
            // "the Vienna Convention", "the Paris Club": a place's name inside
            // the name of a treaty or body is not a place of the text.
            if !matches!(entry.kind, PlaceKind::Demonym) && names_an_institution(&text[end..]) {
                i = end;
                continue;
            }
            // "Domingo Palermo", "Vladimir Putin": a city's name joined to another
            // capitalized word is a person's name.
            if matches!(entry.kind, PlaceKind::City { .. }) && in_a_name(text, s, end) {
                surnames.push(&text[s..e]);
                i = end;
                continue;
            }
            if matches!(entry.kind, PlaceKind::City { .. })
                && surnames.contains(&&text[s..e])
                && !after_a_place_word(&text[..s])
            {
                i = end;
                continue;
            }
            out.push(Mention {
                start: s,
                end,
                kind: entry.kind,
                country: entry.country,
                city: entry.city,
            });
            i = end;
        }
        out
    }

    pub fn country(&self, code: &str) -> Option<&CountryInfo> {
        self.countries.get(code)
    }

    /// "Japanese" for JP, else the country's name.
    pub fn adjective(&self, code: &str) -> String {
        self.country(code)
            .map(|c| c.demonym.unwrap_or(c.name).to_string())
            .unwrap_or_else(|| code.to_string())
    }

    /// "Japan" for JP.
    pub fn name(&self, code: &str) -> String {
        self.country(code)
            .map(|c| c.name.to_string())
            .unwrap_or_else(|| code.to_string())
    }

    /// The capital city of a country, as the city dataset spells it when it has it.
    pub fn capital(&self, code: &str) -> Option<&'static str> {
        self.country(code).and_then(|c| c.capital)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<(String, &'static str, PlaceKind)> {
        Gazetteer::get()
            .find(text)
            .into_iter()
            .map(|m| (text[m.start..m.end].to_string(), m.country, m.kind))
            .collect()
    }

    #[test]
    fn a_shared_demonym_goes_to_the_sovereign_country() {
        let g = Gazetteer::get();
        let m = g.find("American officials met Dutch and Indian envoys.");
        let codes: Vec<&str> = m.iter().map(|m| m.country).collect();
        assert_eq!(codes, ["US", "NL", "IN"]);
    }

    #[test]
    fn a_surname_met_in_a_persons_name_stays_that_person_until_a_preposition_makes_it_a_place() {
        let g = Gazetteer::get();
        let text = "Foreign Secretary William Hague spoke. Hague said Iran was responsible. \
                    Talks are due in the Hague.";
        let cities: Vec<&str> = g
            .find(text)
            .iter()
            .filter(|m| matches!(m.kind, PlaceKind::City { .. }))
            .map(|m| &text[m.start..m.end])
            .collect();
        assert_eq!(cities, vec!["Hague"], "only the last, after \"in the\"");
    }

    #[test]
    fn a_city_name_inside_a_persons_name_is_no_place() {
        let g = Gazetteer::get();
        assert!(g.find("Minister Domingo Palermo was named.").is_empty());
        let m = g.find("President Vladimir Putin met him in Moscow Monday.");
        let cities: Vec<_> = m.iter().filter_map(|m| m.city).collect();
        assert_eq!(cities, ["Moscow"]);
        let m = g.find("In Beijing, the Shenyang Consulate said.");
        let cities: Vec<_> = m.iter().filter_map(|m| m.city).collect();
        assert_eq!(cities, ["Beijing", "Shenyang"]);
    }

    #[test]
    fn a_place_in_a_treatys_or_a_bodys_name_is_no_place() {
        let g = Gazetteer::get();
        assert!(g.find("It violated the Vienna Convention.").is_empty());
        assert!(g.find("the Warsaw Pact and the Paris Club").is_empty());
        let m = g.find("They met in Vienna on Friday.");
        assert_eq!(m.len(), 1);
        assert_eq!(m[0].country, "AT");
    }

    #[test]
    fn countries_by_name_demonym_and_abbreviation() {
        let got = found("North Korean defectors fled China for the U.S. and the Republic of Korea; Japanese officials and North Koreans.");
        let short: Vec<(&str, &str)> = got.iter().map(|(t, c, _)| (t.as_str(), *c)).collect();
        assert_eq!(
            short,
            [
                ("North Korean", "KP"),
                ("China", "CN"),
                ("U.S.", "US"),
                ("Republic of Korea", "KR"),
                ("Japanese", "JP"),
                ("North Koreans", "KP")
            ]
        );
        assert_eq!(got[0].2, PlaceKind::Demonym);
        assert_eq!(got[1].2, PlaceKind::Country);
    }

    #[test]
    fn cities_belong_to_their_country_and_capitals_are_known() {
        let got = found("in Shenyang, then Beijing's embassies and Seoul; BEIJING, May 10");
        let short: Vec<(&str, &str, PlaceKind)> =
            got.iter().map(|(t, c, k)| (t.as_str(), *c, *k)).collect();
        assert_eq!(
            short,
            [
                ("Shenyang", "CN", PlaceKind::City { capital: false }),
                ("Beijing", "CN", PlaceKind::City { capital: true }),
                ("Seoul", "KR", PlaceKind::City { capital: true }),
                ("BEIJING", "CN", PlaceKind::City { capital: true }),
            ]
        );
        let g = Gazetteer::get();
        assert_eq!(g.capital("CN"), Some("Beijing"));
        assert_eq!(g.adjective("ES"), "Spanish");
    }

    #[test]
    fn a_longer_name_begun_in_lower_case_does_not_hide_the_name_inside_it() {
        // "the Netherlands" and "State of Qatar" are names too; written "from the
        // Netherlands" and "the oil state of Qatar" they must still give the country.
        let got = found("products from the Netherlands and the oil state of Qatar");
        let short: Vec<(&str, &str)> = got.iter().map(|(t, c, _)| (t.as_str(), *c)).collect();
        assert_eq!(short, [("Netherlands", "NL"), ("Qatar", "QA")]);
    }

    #[test]
    fn lower_case_words_and_parts_of_words_are_not_names() {
        assert_eq!(found("china plates in a chinaware shop; Chinaware"), []);
        assert!(found("the mobile phone").is_empty());
    }
}
