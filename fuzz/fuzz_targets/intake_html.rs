//! `cargo +nightly fuzz run intake_html` from the repository root; what it asserts is
//! `checks::intake_html`, which `cargo test -p annals-core` also runs over the
//! committed corpus `fuzz/corpus/intake_html/`.
#![no_main]

#[path = "../checks.rs"]
#[allow(dead_code)]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::intake_html(data));
