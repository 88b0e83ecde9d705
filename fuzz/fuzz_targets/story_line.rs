//! `cargo +nightly fuzz run story_line` from the repository root; what it asserts is
//! `checks::story_line`, which `cargo test -p annals-core` also runs over the
//! committed corpus `fuzz/corpus/story_line/`.
#![no_main]

#[path = "../checks.rs"]
#[allow(dead_code)]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::story_line(data));
