//! The code tables of `data/mappings/` (each names its source document there):
//! CAMEO event codes and ACLED event types to our kinds, FIPS 10-4 country codes
//! to ISO 3166-1. Compiled in, read once.

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::event::EventKind;

const CAMEO_KINDS: &str = include_str!("../../../../data/mappings/cameo-kinds.tsv");
const ACLED_KINDS: &str = include_str!("../../../../data/mappings/acled-kinds.tsv");
const FIPS_ISO: &str = include_str!("../../../../data/mappings/fips-iso.tsv");

/// The rows of a table: tab-separated fields, `#` comment lines and blank lines
/// left out.
fn rows(table: &str) -> impl Iterator<Item = Vec<&str>> {
    table
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| l.split('\t').collect())
}

fn kind(text: &str) -> EventKind {
    // The tables' tests check every kind parses; a typo would fail them.
    text.parse().unwrap_or(EventKind::Other)
}

struct Tables {
    cameo: HashMap<String, (EventKind, String)>,
    acled_types: HashMap<String, EventKind>,
    acled_subtypes: HashMap<String, EventKind>,
    fips: HashMap<String, String>,
}

fn tables() -> &'static Tables {
    static TABLES: OnceLock<Tables> = OnceLock::new();
    TABLES.get_or_init(|| {
        let cameo = rows(CAMEO_KINDS)
            .filter(|r| r.len() >= 3)
            .map(|r| (r[0].to_string(), (kind(r[1]), r[2].to_string())))
            .collect();
        let mut acled_types = HashMap::new();
        let mut acled_subtypes = HashMap::new();
        for r in rows(ACLED_KINDS).filter(|r| r.len() >= 3) {
            let map = if r[0] == "sub_event_type" {
                &mut acled_subtypes
            } else {
                &mut acled_types
            };
            map.insert(r[1].to_ascii_lowercase(), kind(r[2]));
        }
        let fips = rows(FIPS_ISO)
            .filter(|r| r.len() >= 2)
            .map(|r| (r[0].to_string(), r[1].to_string()))
            .collect();
        Tables {
            cameo,
            acled_types,
            acled_subtypes,
            fips,
        }
    })
}

/// The kind of a CAMEO event code (`"173"`, `"0211"`, a root `"14"`): the
/// longest listed prefix wins; `None` for a code no prefix of which is listed.
pub fn cameo_kind(code: &str) -> Option<(EventKind, &'static str)> {
    let t = tables();
    let code = code.trim();
    (2..=code.len())
        .rev()
        .filter_map(|n| code.get(..n))
        .find_map(|prefix| t.cameo.get(prefix))
        .map(|(k, name)| (*k, name.as_str()))
}

/// The kind of an ACLED event: its sub-event type when listed, else its type,
/// else `Other`.
pub fn acled_kind(event_type: &str, sub_event_type: &str) -> EventKind {
    let t = tables();
    t.acled_subtypes
        .get(&sub_event_type.trim().to_ascii_lowercase())
        .or_else(|| t.acled_types.get(&event_type.trim().to_ascii_lowercase()))
        .copied()
        .unwrap_or(EventKind::Other)
}

/// The ISO 3166-1 alpha-2 code of a FIPS 10-4 country code (`"CH"` is China,
/// `"JA"` Japan); `None` for codes with no ISO country.
pub fn fips_to_iso(fips: &str) -> Option<&'static str> {
    tables().fips.get(fips.trim()).map(String::as_str)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    fn known_countries() -> HashSet<String> {
        let v: serde_json::Value =
            serde_json::from_str(include_str!("../../../../data/countries.json")).unwrap();
        v["countries"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["code"].as_str().unwrap().to_string())
            .collect()
    }

    #[test]
    fn every_kind_in_the_tables_is_one_of_ours() {
        for table in [CAMEO_KINDS, ACLED_KINDS] {
            for r in rows(table) {
                let k = if table == CAMEO_KINDS { r[1] } else { r[2] };
                assert!(k.parse::<EventKind>().is_ok(), "unknown kind {k} in {r:?}");
            }
        }
    }

    #[test]
    fn all_twenty_cameo_root_codes_have_a_kind_and_finer_codes_can_differ() {
        for root in 1..=20 {
            let code = format!("{root:02}");
            assert!(cameo_kind(&code).is_some(), "root {code}");
        }
        assert_eq!(cameo_kind("14").map(|k| k.0), Some(EventKind::Protest));
        assert_eq!(cameo_kind("1411").map(|k| k.0), Some(EventKind::Protest));
        assert_eq!(cameo_kind("173").map(|k| k.0), Some(EventKind::Arrest));
        assert_eq!(cameo_kind("1712").map(|k| k.0), Some(EventKind::Security));
        assert_eq!(cameo_kind("0571").map(|k| k.0), Some(EventKind::Treaty));
        assert_eq!(cameo_kind("190").map(|k| k.0), Some(EventKind::Conflict));
        assert_eq!(cameo_kind("99"), None);
        assert_eq!(cameo_kind(""), None);
    }

    #[test]
    fn acled_sub_event_types_win_over_their_event_type() {
        assert_eq!(
            acled_kind("Strategic developments", "Arrests"),
            EventKind::Arrest
        );
        assert_eq!(
            acled_kind("Strategic developments", "Agreement"),
            EventKind::Treaty
        );
        assert_eq!(acled_kind("Battles", "Armed clash"), EventKind::Conflict);
        assert_eq!(acled_kind("protests", ""), EventKind::Protest);
        assert_eq!(acled_kind("Something new", ""), EventKind::Other);
    }

    #[test]
    fn every_acled_event_type_of_the_codebook_is_mapped() {
        for t in [
            "Battles",
            "Explosions/Remote violence",
            "Violence against civilians",
            "Protests",
            "Riots",
            "Strategic developments",
        ] {
            assert!(
                tables().acled_types.contains_key(&t.to_ascii_lowercase()),
                "{t}"
            );
        }
    }

    #[test]
    fn fips_codes_map_to_iso_codes_we_know_and_differ_where_the_standards_do() {
        let known = known_countries();
        let mut n = 0;
        for r in rows(FIPS_ISO) {
            assert_eq!(r.len(), 3, "{r:?}");
            assert!(
                known.contains(r[1]),
                "{r:?}: {} is not in countries.json",
                r[1]
            );
            n += 1;
        }
        assert!(n > 240, "only {n} FIPS codes");
        // Where FIPS and ISO disagree, as GDELT users trip over.
        for (fips, iso) in [
            ("CH", "CN"),
            ("JA", "JP"),
            ("KN", "KP"),
            ("KS", "KR"),
            ("GM", "DE"),
            ("UK", "GB"),
            ("RS", "RU"),
            ("SF", "ZA"),
            ("AS", "AU"),
            ("IS", "IL"),
            ("US", "US"),
        ] {
            assert_eq!(fips_to_iso(fips), Some(iso), "{fips}");
        }
        assert_eq!(fips_to_iso("PF"), None); // Paracel Islands: no ISO country
    }
}
