//! Replays every committed input of `fuzz/corpus/<target>/` through the same
//! check the fuzz target runs (`fuzz/checks.rs`), so what the fuzzer found, and
//! the seeds, are tested on stable in every `cargo test`.

#[path = "../../../fuzz/checks.rs"]
mod checks;

use std::path::PathBuf;

fn corpus_dir(target: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../fuzz/corpus")
        .join(target)
}

#[test]
fn every_committed_fuzz_input_passes_its_targets_checks() {
    let mut failed = Vec::new();
    for (target, check) in checks::TARGETS {
        let dir = corpus_dir(target);
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.is_file())
            .collect();
        files.sort();
        assert!(!files.is_empty(), "{} has no inputs", dir.display());
        for file in files {
            let data = std::fs::read(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
            if std::panic::catch_unwind(|| check(&data)).is_err() {
                failed.push(file.display().to_string());
            }
        }
    }
    assert!(failed.is_empty(), "fuzz inputs that fail: {failed:#?}");
}

#[test]
fn every_fuzz_target_has_a_corpus_folder_and_nothing_else_is_there() {
    let root = corpus_dir("");
    let mut found: Vec<String> = std::fs::read_dir(&root)
        .unwrap_or_else(|e| panic!("{}: {e}", root.display()))
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    found.sort();
    let mut expected: Vec<String> = checks::TARGETS.iter().map(|(t, _)| t.to_string()).collect();
    expected.sort();
    assert_eq!(
        found, expected,
        "a corpus folder without a check, or a check without one"
    );
}
