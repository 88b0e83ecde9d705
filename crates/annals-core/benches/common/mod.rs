//! The corpus the throughput benchmarks read: Reuters-21578 as JSON Lines,
//! `../../../shared/corpora/reuters21578.jsonl` from this crate, or `$ANNALS_REUTERS`.

use std::path::PathBuf;

use annals_core::stories::{self, Story};

/// The corpus's stories, or `None` (and a note saying how to point at it) when
/// it cannot be read, so `cargo bench` elsewhere skips instead of failing.
pub fn reuters(bench: &str) -> Option<Vec<Story>> {
    let path = std::env::var_os("ANNALS_REUTERS").map_or_else(
        || {
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("../../../shared/corpora/reuters21578.jsonl")
        },
        PathBuf::from,
    );
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) => {
            eprintln!(
                "{bench} bench: cannot read {} ({e}); set ANNALS_REUTERS to the Reuters JSONL file. Skipping.",
                path.display()
            );
            return None;
        }
    };
    Some(
        text.lines()
            .enumerate()
            .filter_map(|(i, line)| stories::parse_line(line, i + 1).ok().flatten())
            .collect(),
    )
}
