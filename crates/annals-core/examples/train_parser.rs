//! Trains the syntax model on a UD treebank and scores it.
//!
//!   cargo run --release -p annals-core --example train_parser -- \
//!       TRAIN.conllu DEV.conllu TEST.conllu OUT.model
//!   cargo run --release -p annals-core --example train_parser -- --score MODEL GOLD.conllu...
//!
//! `scripts/train-parser.sh` runs it on UD English EWT; the scores it prints are
//! those of the model as written to and read back from OUT.model.

use std::process::ExitCode;
use std::time::Instant;

use annals_core::syntax::{conllu, train, Model};

fn read(path: &str) -> Result<Vec<conllu::Sentence>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
    conllu::read(&text).map_err(|e| format!("{path}: {e}"))
}

fn run(args: &[String]) -> Result<(), String> {
    if args.first().map(String::as_str) == Some("--score") {
        let path = args.get(1).ok_or("--score MODEL GOLD...")?;
        let bytes = std::fs::read(path).map_err(|e| format!("{path}: {e}"))?;
        let model = Model::from_bytes(&bytes).map_err(|e| e.to_string())?;
        for gold in &args[2..] {
            let t = Instant::now();
            let scores = train::evaluate(&model, &read(gold)?);
            let secs = t.elapsed().as_secs_f64();
            println!(
                "{gold}: {scores}  ({:.0} words/s)",
                scores.words as f64 / secs
            );
        }
        return Ok(());
    }
    let [train_path, dev_path, test_path, out] = args else {
        return Err("usage: train_parser TRAIN DEV TEST OUT | --score MODEL GOLD...".into());
    };
    let (train_set, dev, test) = (read(train_path)?, read(dev_path)?, read(test_path)?);
    let mut opts = train::Options::default();
    if let Ok(v) = std::env::var("EPOCHS") {
        let n: Vec<usize> = v.split(',').filter_map(|x| x.parse().ok()).collect();
        if let [t, p, l, f] = n[..] {
            opts = train::Options {
                tagger_epochs: t,
                parser_epochs: p,
                label_epochs: l,
                folds: f,
                ..opts
            };
        }
    }
    if let Some(b) = std::env::var("BEAM").ok().and_then(|b| b.parse().ok()) {
        opts.beam = b;
    }
    if let Ok(p) = std::env::var("PRUNE") {
        if let [t, p, l] = p
            .split(',')
            .filter_map(|x| x.parse().ok())
            .collect::<Vec<u32>>()[..]
        {
            opts.min_changes = [t, p, l];
        }
    }
    eprintln!("{opts:?}");
    let t = Instant::now();
    let model = train::train(&train_set, &dev, &opts, &mut |line| eprintln!("{line}"));
    eprintln!("trained in {:.0} s", t.elapsed().as_secs_f64());
    let bytes = model.to_bytes();
    std::fs::write(out, &bytes).map_err(|e| format!("{out}: {e}"))?;
    let model = Model::from_bytes(&bytes).map_err(|e| e.to_string())?;
    println!(
        "model: {out}, {} bytes, features (tagger, parser, labeller) {:?}",
        bytes.len(),
        model.sizes()
    );
    for (name, set) in [("dev", &dev), ("test", &test)] {
        let t = Instant::now();
        let scores = train::evaluate(&model, set);
        let secs = t.elapsed().as_secs_f64();
        println!(
            "{name}: {scores}  ({:.0} words/s)",
            scores.words as f64 / secs
        );
    }
    Ok(())
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("train_parser: {e}");
            ExitCode::FAILURE
        }
    }
}
