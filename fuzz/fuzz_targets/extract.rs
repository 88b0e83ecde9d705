//! `cargo +nightly fuzz run extract` from the repository root; what it asserts is
//! `checks::extraction`, which `cargo test -p annals-core` also runs over the
//! committed corpus `fuzz/corpus/extract/`.
#![no_main]

#[path = "../checks.rs"]
#[allow(dead_code)]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::extraction(data));
