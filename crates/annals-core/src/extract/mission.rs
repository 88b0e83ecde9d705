//! Diplomatic missions named in a text: "the Japanese Consulate in Shenyang", "the
//! Spanish Embassy in Beijing", "the U.S. Consulate in the same city" (the city
//! named last), "the U.S. and German embassies" (two missions; city from the
//! context, else the host's capital), "the consulate" (the one named last),
//! "a Japanese diplomatic mission" (Japan's mission the text names).

use serde::Serialize;

use crate::gazetteer::{Gazetteer, Mention, PlaceKind};
use crate::mission::MissionKind;

/// A mission the text refers to. Offsets are bytes of the text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MissionRef {
    #[serde(skip)]
    pub start: usize,
    #[serde(skip)]
    pub end: usize,
    pub kind: MissionKind,
    /// The sending country (alpha-2).
    pub country: Option<&'static str>,
    /// The host country (alpha-2).
    pub host: Option<&'static str>,
    pub city: Option<&'static str>,
}

impl MissionRef {
    /// Same mission: same kind, sender and city.
    pub fn same(&self, other: &MissionRef) -> bool {
        self.kind == other.kind && self.country == other.country && self.city == other.city
    }

    /// "Japanese Consulate, Shenyang".
    pub fn name(&self) -> String {
        let g = Gazetteer::get();
        let who = self.country.map(|c| g.adjective(c)).unwrap_or_default();
        let mut s = format!("{who} {}", self.kind.label()).trim().to_string();
        if let Some(city) = self.city {
            s.push_str(", ");
            s.push_str(city);
        }
        s
    }
}

/// Mission words, lower case, longest first, with their kind; `None` for "diplomatic
/// mission" (kind from the mission it refers to).
const WORDS: &[(&str, Option<MissionKind>)] = &[
    ("consulate-general", Some(MissionKind::ConsulateGeneral)),
    ("consulate general", Some(MissionKind::ConsulateGeneral)),
    ("diplomatic mission", None),
    ("consulates", Some(MissionKind::Consulate)),
    ("consulate", Some(MissionKind::Consulate)),
    ("embassies", Some(MissionKind::Embassy)),
    ("embassy", Some(MissionKind::Embassy)),
];

fn is_word_char(c: Option<char>) -> bool {
    c.is_some_and(|c| c.is_alphanumeric())
}

/// Every mission the text names, in order, resolved against what came before.
pub fn find(text: &str, places: &[Mention]) -> Vec<MissionRef> {
    static WORDS_AC: std::sync::OnceLock<Option<aho_corasick::AhoCorasick>> =
        std::sync::OnceLock::new();
    let automaton = WORDS_AC.get_or_init(|| {
        aho_corasick::AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(aho_corasick::MatchKind::LeftmostLongest)
            .build(WORDS.iter().map(|(w, _)| *w))
            .ok()
    });
    let mut hits: Vec<(usize, usize, Option<MissionKind>)> = Vec::new();
    for m in automaton.iter().flat_map(|a| a.find_iter(text)) {
        let (p, e) = (m.start(), m.end());
        let before = text[..p].chars().next_back();
        let after = text[e..].chars().next();
        if !is_word_char(before) && !is_word_char(after) {
            hits.push((p, e, WORDS[m.pattern().as_usize()].1));
        }
    }
    let mut out: Vec<MissionRef> = Vec::new();
    let mut last_city: Option<(usize, &'static str, &'static str)> = None;
    let mut city_iter = places
        .iter()
        .filter(|m| matches!(m.kind, PlaceKind::City { .. }));
    let mut pending_city = city_iter.next();
    for (ks, ke, kind) in hits {
        while let Some(c) = pending_city.filter(|c| c.end <= ks) {
            if let Some(name) = c.city {
                last_city = Some((c.end, name, c.country));
            }
            pending_city = city_iter.next();
        }
        let (senders, city_before) = senders_before(text, places, ks);
        let start = senders.first().map_or(ks, |m| m.start);
        let (mut place, place_end) = place_after(text, places, ke, last_city);
        // "Ecuador's London embassy": the city named between sender and word.
        if place.is_none() {
            place = city_before.and_then(|c| c.city.map(|name| (c.country, Some(name))));
        }
        let end = place_end.unwrap_or(ke);
        let before = text[..start].trim_end();
        let definite = before
            .rsplit(|c: char| !c.is_alphanumeric())
            .next()
            .is_some_and(|w| w.eq_ignore_ascii_case("the"));
        let Some(kind) = kind else {
            // "a Japanese diplomatic mission": resolved after the loop.
            for s in senders.iter().take(1) {
                out.push(MissionRef {
                    start,
                    end,
                    kind: MissionKind::Mission,
                    country: Some(s.country),
                    host: None,
                    city: None,
                });
            }
            continue;
        };
        if senders.is_empty() {
            if !definite {
                continue; // "embassy districts", "a consulate"
            }
            // "the consulate": the last one of that kind.
            if let Some(prev) = out
                .iter()
                .rev()
                .find(|m| m.kind == kind && m.country.is_some())
            {
                out.push(MissionRef {
                    start,
                    end,
                    ..prev.clone()
                });
            }
            continue;
        }
        for s in &senders {
            let (host, city) = match place {
                Some((host, city)) => (Some(host), city),
                None => context_place(&out, kind, s.country),
            };
            out.push(MissionRef {
                start,
                end,
                kind,
                country: Some(s.country),
                host,
                city,
            });
        }
    }
    // "a Japanese diplomatic mission": Japan's mission named elsewhere in the text.
    let resolved: Vec<MissionRef> = out
        .iter()
        .map(|m| {
            if m.kind != MissionKind::Mission || m.host.is_some() {
                return m.clone();
            }
            match out
                .iter()
                .find(|o| o.kind != MissionKind::Mission && o.country == m.country)
            {
                Some(o) => MissionRef {
                    start: m.start,
                    end: m.end,
                    ..o.clone()
                },
                None => m.clone(),
            }
        })
        .collect();
    resolved
}

/// "U.S. and German" before "embassies": the sending countries, in text order.
fn senders_before<'m>(
    text: &str,
    places: &'m [Mention],
    at: usize,
) -> (Vec<&'m Mention>, Option<&'m Mention>) {
    let mut out = Vec::new();
    let mut pos = at;
    let mut city = None;
    // Places are in text order and do not overlap: those ending by `at` are a prefix.
    let before = &places[..places.partition_point(|m| m.end <= at)];
    for m in before.iter().rev() {
        let gap = text[m.end..pos].trim();
        let possessive = gap == "'s" || gap == "\u{2019}s";
        let joined = gap.is_empty() || possessive || gap == "and" || gap == "," || gap == ", and";
        if !joined || (out.is_empty() && !gap.is_empty() && !possessive) {
            break;
        }
        if matches!(m.kind, PlaceKind::City { .. }) {
            // "Ecuador's London embassy": a city right before the word is where
            // the mission is; its sender may come before it.
            if out.is_empty()
                && city.is_none()
                && gap.is_empty()
                && !text[m.start..m.end].ends_with("'s")
            {
                city = Some(m);
                pos = m.start;
                continue;
            }
            break;
        }
        out.push(m);
        pos = m.start;
    }
    out.reverse();
    if out.is_empty() {
        city = None;
    }
    (out, city)
}

/// "in Shenyang", "in Beijing", "in the same city", "in China" after the word.
#[allow(clippy::type_complexity)]
fn place_after(
    text: &str,
    places: &[Mention],
    at: usize,
    last_city: Option<(usize, &'static str, &'static str)>,
) -> (Option<(&'static str, Option<&'static str>)>, Option<usize>) {
    let rest = &text[at..];
    let skip = rest.len() - rest.trim_start().len();
    let rest_t = rest.trim_start();
    let Some(after_in) = rest_t
        .strip_prefix("in ")
        .or_else(|| rest_t.strip_prefix("compound in "))
    else {
        return (None, None);
    };
    let base = at + skip + (rest_t.len() - after_in.len());
    if after_in.starts_with("the same city") {
        let end = base + "the same city".len();
        return match last_city {
            Some((_, city, country)) => (Some((country, Some(city))), Some(end)),
            None => (None, Some(end)),
        };
    }
    let target = after_in.strip_prefix("the ").map_or(base, |_| base + 4);
    // Places are in text order: look from the first that starts at `base`.
    let places = &places[places.partition_point(|m| m.start < base)..];
    if let Some(m) = places
        .iter()
        .take_while(|m| m.start <= target)
        .find(|m| m.start == target)
    {
        return match m.kind {
            PlaceKind::City { .. } => (Some((m.country, m.city)), Some(m.end)),
            _ => (Some((m.country, None)), Some(m.end)),
        };
    }
    // "in the northeastern Chinese city of Shenyang": a city a few words on, in the
    // same phrase.
    let phrase_end = after_in
        .find([',', '.', ';', '(', ')'])
        .map_or(base + after_in.len(), |i| base + i)
        .min(base + 60);
    match places
        .iter()
        .take_while(|m| m.start < phrase_end)
        .find(|m| {
            m.start >= base && m.end <= phrase_end && matches!(m.kind, PlaceKind::City { .. })
        }) {
        Some(m) => (Some((m.country, m.city)), Some(m.end)),
        None => (None, None),
    }
}

/// Where a mission stands when the text does not say: where the last one did (an
/// embassy in that host's capital, a consulate in that city).
fn context_place(
    before: &[MissionRef],
    kind: MissionKind,
    sender: &'static str,
) -> (Option<&'static str>, Option<&'static str>) {
    // The same sender's mission of this kind named before.
    if let Some(m) = before
        .iter()
        .rev()
        .find(|m| m.kind == kind && m.country == Some(sender) && m.host.is_some())
    {
        return (m.host, m.city);
    }
    let Some(host) = before.iter().rev().find_map(|m| m.host) else {
        return (None, None);
    };
    if host == sender {
        return (None, None);
    }
    match kind {
        MissionKind::Embassy => (Some(host), Gazetteer::get().capital(host)),
        _ => (
            Some(host),
            before
                .iter()
                .rev()
                .find(|m| m.host == Some(host))
                .and_then(|m| m.city),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn missions(text: &str) -> Vec<String> {
        let places = Gazetteer::get().find(text);
        find(text, &places)
            .iter()
            .map(|m| {
                format!(
                    "{} {} {} {}",
                    m.kind.as_str(),
                    m.country.unwrap_or("?"),
                    m.host.unwrap_or("?"),
                    m.city.unwrap_or("?")
                )
            })
            .collect()
    }

    #[test]
    fn missions_with_their_sender_host_and_city() {
        assert_eq!(
            missions("It occurred at the Japanese Consulate in Shenyang. Others reached the Spanish Embassy in Beijing."),
            ["consulate JP CN Shenyang", "embassy ES CN Beijing"]
        );
    }

    #[test]
    fn a_city_between_sender_and_mission_is_where_it_is() {
        assert_eq!(
            missions("He took refuge in Ecuador's London embassy in June."),
            ["embassy EC GB London"]
        );
    }

    #[test]
    fn the_same_city_is_the_city_named_last() {
        assert_eq!(
            missions("the incident at the Japanese Consulate in Shenyang, two North Koreans entered the U.S. Consulate in the same city"),
            ["consulate JP CN Shenyang", "consulate US CN Shenyang"]
        );
    }

    #[test]
    fn two_senders_make_two_missions_in_the_hosts_capital() {
        assert_eq!(
            missions("the Spanish Embassy in Beijing. Others at the U.S. and German embassies prompted China"),
            [
                "embassy ES CN Beijing",
                "embassy US CN Beijing",
                "embassy DE CN Beijing"
            ]
        );
    }

    #[test]
    fn the_consulate_and_a_diplomatic_mission_refer_to_named_ones() {
        assert_eq!(
            missions("entering a Japanese diplomatic mission. It was the Japanese Consulate in Shenyang. Police entered the consulate building. Beijing increased security in embassy districts."),
            [
                "consulate JP CN Shenyang",
                "consulate JP CN Shenyang",
                "consulate JP CN Shenyang"
            ]
        );
    }
}
