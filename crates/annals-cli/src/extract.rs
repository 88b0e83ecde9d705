//! `annals extract`: date expressions (and later proposed events) of one file.

/// Runs `annals extract ARGS`, returns the process exit code.
pub fn run(_args: &[String]) -> u8 {
    eprintln!("annals extract: not built yet");
    2
}
