//! `cargo +nightly fuzz run intake_text` from the repository root; what it asserts is
//! `checks::intake_text`, which `cargo test -p annals-core` also runs over the
//! committed corpus `fuzz/corpus/intake_text/`.
#![no_main]

#[path = "../checks.rs"]
#[allow(dead_code)]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::intake_text(data));
