//! Extraction throughput over Reuters-21578 (19,043 stories, 17 MB of JSON Lines),
//! each story read as a plain-text article and extracted against its own date, one
//! core: the whole pipeline before the database (`intake::read`, then
//! `extract::extract`: tagger, sentences, gazetteer, missions, proposals), and
//! `extract::extract` alone.
//!
//! A third case is one long article dense with missions and dates (the seed
//! article's body 200 times, 1.2 MB): the per-article work must stay linear in its
//! length (it once looked for each mission's senders among all the places).
//!
//! `cargo bench -p annals-core --bench extract`; the corpus is
//! `../../../shared/corpora/reuters21578.jsonl` from this crate, or `$ANNALS_REUTERS`.
//! Criterion reports bytes of story text per second.

use std::time::Duration;

mod common;

use annals_core::extract;
use annals_core::intake::{self, Format, Head};
use chrono::NaiveDate;
use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};

/// A story read as a plain-text article.
struct Story {
    dct: Option<NaiveDate>,
    text: String,
    head: Head,
    body: String,
}

fn load() -> Option<Vec<Story>> {
    let stories = common::reuters("extract")?
        .into_iter()
        .filter_map(|s| {
            let doc = intake::read(s.text.as_bytes(), Format::Text).ok()?;
            Some(Story {
                dct: s.dct,
                text: s.text,
                head: doc.head,
                body: doc.text,
            })
        })
        .collect();
    Some(stories)
}

fn bench(c: &mut Criterion) {
    let Some(stories) = load() else {
        return;
    };
    let bytes: usize = stories.iter().map(|s| s.text.len()).sum();
    let (timexes, proposals) = stories.iter().fold((0, 0), |(t, p), s| {
        let e = extract::extract(&s.body, &s.head, s.dct);
        (t + e.timexes.len(), p + e.proposals.len())
    });
    eprintln!(
        "extract bench: {} stories, {bytes} bytes, {timexes} date expressions, {proposals} proposals",
        stories.len()
    );
    let mut group = c.benchmark_group("extract");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(20));
    group.bench_function("read_and_extract_reuters21578", |b| {
        b.iter(|| {
            let mut n = 0;
            for s in &stories {
                if let Ok(doc) = intake::read(black_box(s.text.as_bytes()), Format::Text) {
                    n += extract::extract(&doc.text, &doc.head, s.dct)
                        .proposals
                        .len();
                }
            }
            black_box(n)
        })
    });
    group.bench_function("extract_reuters21578", |b| {
        b.iter(|| {
            let mut n = 0;
            for s in &stories {
                n += extract::extract(black_box(&s.body), &s.head, s.dct)
                    .proposals
                    .len();
            }
            black_box(n)
        })
    });
    group.finish();

    let seed = include_str!("../../../data/seed/shenyang-consulate-2002.txt");
    let body = seed.splitn(4, "\n\n").nth(3).unwrap_or(seed);
    let long = format!("One long article\n\n{}", vec![body; 200].join("\n\n"));
    let head = Head::default();
    let dct = NaiveDate::from_ymd_opt(2002, 5, 10);
    let mut group = c.benchmark_group("extract");
    group.throughput(Throughput::Bytes(long.len() as u64));
    group.sample_size(10);
    group.bench_function("extract_long_article", |b| {
        b.iter(|| {
            black_box(
                extract::extract(black_box(&long), &head, dct)
                    .proposals
                    .len(),
            )
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
