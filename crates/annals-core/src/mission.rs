//! Diplomatic missions: one country's embassy or consulate in a city of another.

use std::str::FromStr;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::Error;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum MissionKind {
    Embassy,
    Consulate,
    ConsulateGeneral,
    /// A permanent mission to an international organization, a liaison office.
    Mission,
}

impl MissionKind {
    pub const ALL: [MissionKind; 4] = [
        MissionKind::Embassy,
        MissionKind::Consulate,
        MissionKind::ConsulateGeneral,
        MissionKind::Mission,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            MissionKind::Embassy => "embassy",
            MissionKind::Consulate => "consulate",
            MissionKind::ConsulateGeneral => "consulate_general",
            MissionKind::Mission => "mission",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            MissionKind::Embassy => "Embassy",
            MissionKind::Consulate => "Consulate",
            MissionKind::ConsulateGeneral => "Consulate-General",
            MissionKind::Mission => "Mission",
        }
    }
}

impl FromStr for MissionKind {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        MissionKind::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| Error::invalid("mission kind", format!("unknown mission kind `{s}`")))
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Mission {
    #[ts(type = "number")]
    pub id: i64,
    pub kind: MissionKind,
    /// The country the mission represents (alpha-2).
    pub sending_country: String,
    /// The country it stands in (alpha-2).
    pub host_country: String,
    pub city: String,
    /// Display name: "Japanese Consulate, Shenyang".
    pub name: String,
}

/// "Japanese Consulate, Shenyang", from the sending country's demonym.
pub fn display_name(demonym: &str, kind: MissionKind, city: &str) -> String {
    format!("{demonym} {}, {city}", kind.label())
}
