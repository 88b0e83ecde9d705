//! Fuzzes the temporal tagger: any bytes that are UTF-8, any publication date.
//! `cargo +nightly fuzz run tag` from the repository root.
#![no_main]

use annals_core::timex;
use chrono::NaiveDate;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // The first three bytes pick the publication date (or none).
    let (head, rest) = data.split_at(data.len().min(3));
    let dct = match head {
        [a, b, c] if *a != 0 => NaiveDate::from_num_days_from_ce_opt(i32::from_le_bytes([*a, *b, *c, 0]) % 1_000_000),
        _ => None,
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let found = timex::tag(text, dct);
    let chars = text.chars().count();
    let mut last = 0;
    for t in &found {
        assert!(t.start < t.end && t.end <= chars && t.start >= last);
        last = t.end;
    }
    // Re-resolving against another date must not panic either.
    let mut again = found;
    timex::resolve(&mut again, NaiveDate::from_ymd_opt(2002, 5, 10));
});
