//! `annals`: the command line over annals-core.

mod extract;

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let code = match args.first().map(String::as_str) {
        Some("extract") => extract::run(&args[1..]),
        _ => {
            eprintln!("usage: annals <extract|list|add|seed> ...");
            2
        }
    };
    ExitCode::from(code)
}
