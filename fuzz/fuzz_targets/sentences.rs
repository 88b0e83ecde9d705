//! `cargo +nightly fuzz run sentences` from the repository root; what it asserts is
//! `checks::sentences`, which `cargo test -p annals-core` also runs over the
//! committed corpus `fuzz/corpus/sentences/`.
#![no_main]

#[path = "../checks.rs"]
#[allow(dead_code)]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::sentences(data));
