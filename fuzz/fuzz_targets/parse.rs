//! Fuzzes the syntax layer: any UTF-8 text through sentences, words, tags and
//! trees, and any bytes as CoNLL-U. `cargo +nightly fuzz run parse` from the
//! repository root.
#![no_main]

use annals_core::syntax::{self, conllu};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let model = syntax::model().expect("the shipped model loads");
    let chars = text.chars().count();
    for parsed in model.parse_text(text) {
        let n = parsed.words.len();
        let mut last = parsed.sentence.start;
        for w in &parsed.words {
            assert!(w.start >= last && w.start < w.end && w.end <= chars);
            assert!(w.head <= n);
            last = w.end;
        }
    }
    if let Ok(sentences) = conllu::read(text) {
        for s in &sentences {
            let forms: Vec<&str> = s.words.iter().map(|w| w.form.as_str()).collect();
            assert_eq!(model.analyze(&forms).len(), forms.len());
        }
        let _ = conllu::write(&sentences);
    }
});
