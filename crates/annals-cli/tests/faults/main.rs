//! The `annals` binary under faults: killed at random points (`crash.rs`), and
//! on a full disk, in a write-protected folder and over a damaged file
//! (`disk.rs`). `whole.rs` says what a database must be after any of them.

mod crash;
mod disk;
mod whole;
