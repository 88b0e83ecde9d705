//! Syntax throughput on news: the first 2,000 Reuters-21578 stories split into
//! sentences and words, tagged, lemmatized and parsed, one core. Criterion reports
//! stories per second; the note before it gives words and the projection per story.
//!
//! `cargo bench -p annals-core --bench syntax`; the corpus is found as for the
//! `timex` bench (`$ANNALS_REUTERS`).

use std::time::{Duration, Instant};

mod common;

use annals_core::syntax;
use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};

const STORIES: usize = 2_000;

fn bench(c: &mut Criterion) {
    let Some(mut stories) = common::reuters("syntax") else {
        return;
    };
    stories.truncate(STORIES);
    let model = syntax::model().expect("the shipped model loads");
    let t = Instant::now();
    let words: usize = stories
        .iter()
        .map(|s| {
            model
                .parse_text(&s.text)
                .iter()
                .map(|p| p.words.len())
                .sum::<usize>()
        })
        .sum();
    let secs = t.elapsed().as_secs_f64();
    eprintln!(
        "syntax bench: {} stories, {words} words ({:.0} a story); one warm-up pass {:.0} words/s",
        stories.len(),
        words as f64 / stories.len() as f64,
        words as f64 / secs
    );
    let mut group = c.benchmark_group("syntax");
    group.throughput(Throughput::Elements(stories.len() as u64));
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(30));
    group.bench_function("parse_reuters_2000_stories", |b| {
        b.iter(|| {
            let mut n = 0;
            for s in &stories {
                n += model.parse_text(black_box(&s.text)).len();
            }
            black_box(n)
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
