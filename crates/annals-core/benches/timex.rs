//! Tagger throughput over Reuters-21578 (19,043 stories, 15.9 M characters), each
//! story tagged with its own date, one core.
//!
//! `cargo bench -p annals-core --bench timex`; the corpus is
//! `../../../shared/corpora/reuters21578.jsonl` from this crate, or `$ANNALS_REUTERS`.
//! Criterion reports bytes per second; the story texts are UTF-8.

use std::time::Duration;

mod common;

use annals_core::timex;
use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};

fn bench(c: &mut Criterion) {
    let Some(stories) = common::reuters("timex") else {
        return;
    };
    let bytes: usize = stories.iter().map(|s| s.text.len()).sum();
    let found: usize = stories
        .iter()
        .map(|s| timex::tag(&s.text, s.dct).len())
        .sum();
    eprintln!(
        "timex bench: {} stories, {bytes} bytes, {found} expressions",
        stories.len()
    );
    let mut group = c.benchmark_group("timex");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(20));
    group.bench_function("tag_reuters21578", |b| {
        b.iter(|| {
            let mut n = 0;
            for s in &stories {
                n += timex::tag(black_box(&s.text), s.dct).len();
            }
            black_box(n)
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
