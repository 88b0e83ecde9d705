//! Sources become labelled items, each read within its limits: a folder gives the
//! article and corpus files inside it, a file is read whole (regular files only,
//! at most [`MAX_FILE_BYTES`]), a corpus is streamed a line at a time (at most
//! [`stories::MAX_LINE_BYTES`] a line, one line in memory), pasted text is an
//! article as it is. Nothing is read before its turn, so memory holds one run of
//! items at most, whatever the files.

use std::collections::VecDeque;
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::error::Error;
use crate::intake::{Rejection, ARTICLE_EXTENSIONS, MAX_FILE_BYTES};
use crate::stories::{self, Lines, CORPUS_EXTENSIONS};

/// What the user asked to import.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A file or folder: a folder gives the article and corpus files inside it
    /// (recursively, in name order; hidden entries and links skipped); a file
    /// named `.jsonl` or `.ndjson` is a corpus, any other an article.
    Path(PathBuf),
    /// A file read as a corpus whatever its name (`annals import --jsonl`).
    Corpus(PathBuf),
    /// Text pasted or typed, with the name to show for it.
    Text { label: String, text: String },
}

/// Every extension an import takes: articles, then corpora. The window's file
/// dialog offers these, and a folder contributes the files that have one.
pub fn extensions() -> impl Iterator<Item = &'static str> {
    ARTICLE_EXTENSIONS.iter().chain(CORPUS_EXTENSIONS).copied()
}

/// Whether a file name has an extension an import takes.
pub fn is_importable(name: &str) -> bool {
    name.rsplit_once('.')
        .is_some_and(|(_, ext)| extensions().any(|e| e.eq_ignore_ascii_case(ext)))
}

/// Entries looked at in one chosen folder at most (files and subfolders), so a
/// drop of a home folder stays sane; the rest is reported, not silently dropped.
pub const MAX_FOLDER_ENTRIES: usize = 50_000;

/// One article to import, or why it cannot be.
pub struct Item {
    /// What the user sees it as: "report.txt", "news/a.html", "reuters.jsonl · story 17".
    pub label: String,
    pub body: Result<Article, Error>,
}

/// An article's bytes, the name its format is read from, and the publication
/// date its corpus gives, if any.
pub struct Article {
    pub format_name: String,
    pub bytes: Vec<u8>,
    pub story_date: Option<NaiveDate>,
}

/// What reading the sources gives next.
pub(crate) enum Piece {
    Item(Item),
    /// A line of a corpus that is not a story.
    BadLine {
        corpus: String,
        line: u64,
        why: String,
    },
}

/// Something still to read.
enum Pending {
    File { path: PathBuf, label: String },
    Corpus { path: PathBuf, label: String },
    Text { label: String, text: String },
    Refused { label: String, error: Error },
}

/// A corpus being read.
struct OpenCorpus {
    label: String,
    lines: Lines<BufReader<File>>,
}

/// The sources, read a piece at a time.
pub(crate) struct Pieces {
    queue: VecDeque<Pending>,
    corpus: Option<OpenCorpus>,
    /// Bytes of the files (and texts) finished, and of all of them.
    bytes_done: u64,
    bytes_total: u64,
}

impl Pieces {
    /// Walks the folders (stopping early when `stop` says so) and lists what is to
    /// be read; reads nothing yet.
    pub(crate) fn new(sources: Vec<Source>, stop: &dyn Fn() -> bool) -> Pieces {
        Self::with_folder_limit(sources, stop, MAX_FOLDER_ENTRIES)
    }

    fn with_folder_limit(sources: Vec<Source>, stop: &dyn Fn() -> bool, max: usize) -> Pieces {
        let mut queue = VecDeque::new();
        for source in sources {
            if stop() {
                break;
            }
            match source {
                Source::Text { label, text } => queue.push_back(Pending::Text { label, text }),
                Source::Corpus(path) => queue.push_back(Pending::Corpus {
                    label: file_name(&path),
                    path,
                }),
                Source::Path(path) if path.is_dir() => {
                    let base = path.parent().map(Path::to_path_buf).unwrap_or_default();
                    let mut budget = max;
                    walk(&path, &base, &mut queue, &mut budget, stop);
                }
                Source::Path(path) => {
                    let label = file_name(&path);
                    queue.push_back(file_or_corpus(path, label));
                }
            }
        }
        let bytes_total = queue
            .iter()
            .map(|p| match p {
                Pending::File { path, .. } | Pending::Corpus { path, .. } => {
                    std::fs::metadata(path).map(|m| m.len()).unwrap_or(0)
                }
                Pending::Text { text, .. } => text.len() as u64,
                Pending::Refused { .. } => 0,
            })
            .fold(0u64, u64::saturating_add);
        Pieces {
            queue,
            corpus: None,
            bytes_done: 0,
            bytes_total,
        }
    }

    /// Bytes read so far and in all, for progress.
    pub(crate) fn bytes(&self) -> (u64, u64) {
        let current = self.corpus.as_ref().map_or(0, |c| c.lines.bytes_read());
        let done = self.bytes_done.saturating_add(current);
        (done.min(self.bytes_total), self.bytes_total)
    }

    /// The next piece, reading what it needs; `None` when everything was read.
    pub(crate) fn next_piece(&mut self) -> Option<Piece> {
        loop {
            if let Some(piece) = self.next_in_corpus() {
                return Some(piece);
            }
            let item = match self.queue.pop_front()? {
                Pending::Text { label, text } => {
                    self.bytes_done += text.len() as u64;
                    Item {
                        label,
                        body: Ok(Article {
                            format_name: "pasted.txt".into(),
                            bytes: text.into_bytes(),
                            story_date: None,
                        }),
                    }
                }
                Pending::Refused { label, error } => Item {
                    label,
                    body: Err(error),
                },
                Pending::File { path, label } => {
                    let body = read_file(&path, MAX_FILE_BYTES as u64).map(|bytes| Article {
                        format_name: label.clone(),
                        bytes,
                        story_date: None,
                    });
                    self.bytes_done += std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
                    Item { label, body }
                }
                Pending::Corpus { path, label } => match open_regular(&path) {
                    Ok(file) => {
                        self.corpus = Some(OpenCorpus {
                            label,
                            lines: Lines::new(BufReader::with_capacity(64 * 1024, file)),
                        });
                        continue;
                    }
                    Err(error) => Item {
                        label,
                        body: Err(error),
                    },
                },
            };
            return Some(Piece::Item(item));
        }
    }

    /// The next story or bad line of the corpus being read, if any.
    fn next_in_corpus(&mut self) -> Option<Piece> {
        let corpus = self.corpus.as_mut()?;
        loop {
            let Some(next) = corpus.lines.next_line() else {
                let done = self.corpus.take().map_or(0, |c| c.lines.bytes_read());
                self.bytes_done = self.bytes_done.saturating_add(done);
                return None;
            };
            let (number, line) = match next {
                Ok(l) => l,
                Err(e) => {
                    // The rest of the file cannot be read: say so once, and move on.
                    let label = corpus.label.clone();
                    let done = corpus.lines.bytes_read();
                    self.corpus = None;
                    self.bytes_done = self.bytes_done.saturating_add(done);
                    return Some(Piece::Item(Item {
                        body: Err(Error::Io {
                            context: "the rest of the corpus cannot be read".into(),
                            source: e,
                        }),
                        label,
                    }));
                }
            };
            match line.and_then(|l| stories::parse_line(&l, number)) {
                Ok(None) => continue,
                Ok(Some(story)) => {
                    return Some(Piece::Item(Item {
                        label: format!("{} · story {}", corpus.label, clip(&story.id, 80)),
                        body: Ok(Article {
                            format_name: "story.txt".into(),
                            bytes: story.text.into_bytes(),
                            story_date: story.dct,
                        }),
                    }))
                }
                Err(why) => {
                    return Some(Piece::BadLine {
                        corpus: corpus.label.clone(),
                        line: number as u64,
                        why: clip(&why, 200),
                    })
                }
            }
        }
    }

    /// Counts what is left without importing it (after a cancel): the files and
    /// the non-blank lines of the corpora, read in blocks, nothing kept.
    pub(crate) fn count_rest(&mut self) -> usize {
        let mut n = 0usize;
        if let Some(c) = self.corpus.take() {
            n += count_lines(c.lines.into_inner());
        }
        while let Some(p) = self.queue.pop_front() {
            n += match p {
                Pending::Corpus { path, .. } => {
                    open_regular(&path).map_or(1, |f| count_lines(BufReader::new(f)))
                }
                _ => 1,
            };
        }
        n
    }
}

/// The lines with anything but whitespace in what is left of `reader`, counted
/// a block at a time (a cancel should not wait on parsing what it skips).
fn count_lines(mut reader: impl std::io::BufRead) -> usize {
    let (mut n, mut content) = (0usize, false);
    loop {
        let chunk = match reader.fill_buf() {
            Ok([]) | Err(_) => break,
            Ok(c) => c,
        };
        for &b in chunk {
            if b == b'\n' {
                n += usize::from(content);
                content = false;
            } else if !b.is_ascii_whitespace() {
                content = true;
            }
        }
        let len = chunk.len();
        reader.consume(len);
    }
    n + usize::from(content)
}

/// At most `max` characters of `s`, with "…" when cut.
pub(crate) fn clip(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        Some((at, _)) => format!("{}…", &s[..at]),
        None => s.to_string(),
    }
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

fn file_or_corpus(path: PathBuf, label: String) -> Pending {
    if stories::is_corpus(&label) {
        Pending::Corpus { path, label }
    } else {
        Pending::File { path, label }
    }
}

/// Adds the importable files under `dir` to `out`, labelled by their path from
/// `base` ("news/2002/a.txt"), in name order. Hidden entries and symbolic links
/// are skipped (a link can loop); past `budget` entries the folder is reported
/// as cut short.
fn walk(
    dir: &Path,
    base: &Path,
    out: &mut VecDeque<Pending>,
    budget: &mut usize,
    stop: &dyn Fn() -> bool,
) {
    let label = |p: &Path| {
        p.strip_prefix(base)
            .unwrap_or(p)
            .to_string_lossy()
            .into_owned()
    };
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(source) => {
            out.push_back(Pending::Refused {
                label: label(dir),
                error: Error::Io {
                    context: "cannot read the folder".into(),
                    source,
                },
            });
            return;
        }
    };
    let mut entries: Vec<std::fs::DirEntry> = entries.filter_map(|e| e.ok()).collect();
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        if stop() {
            return;
        }
        if *budget == 0 {
            out.push_back(Pending::Refused {
                label: label(dir),
                error: Error::invalid(
                    "folder",
                    format!(
                        "more than {MAX_FOLDER_ENTRIES} entries: the rest of this folder was not imported"
                    ),
                ),
            });
            return;
        }
        *budget -= 1;
        let name = e.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') {
            continue;
        }
        // The entry's own type: a symbolic link is neither file nor folder here.
        let Ok(kind) = e.file_type() else {
            continue;
        };
        let path = e.path();
        if kind.is_dir() {
            walk(&path, base, out, budget, stop);
        } else if kind.is_file() && is_importable(&name) {
            let l = label(&path);
            out.push_back(file_or_corpus(path, l));
        }
    }
}

/// Opens a file only if it is a regular file: a FIFO would block the open, a
/// device (`/dev/zero`) would never end. Checked on the path before opening and
/// on the open handle after; the open itself does not wait (`O_NONBLOCK`), so a
/// FIFO swapped in between cannot block it either.
pub(crate) fn open_regular(path: &Path) -> Result<File, Error> {
    let io = |source| Error::Io {
        context: "cannot read it".into(),
        source,
    };
    let meta = std::fs::metadata(path).map_err(io)?;
    not_a_file(&meta)?;
    let file = open_unblocked(path).map_err(io)?;
    not_a_file(&file.metadata().map_err(io)?)?;
    Ok(file)
}

/// Opens for reading without waiting for a FIFO's writer. (Reads of a regular
/// file are not affected by `O_NONBLOCK`.)
fn open_unblocked(path: &Path) -> std::io::Result<File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(&mut options, libc::O_NONBLOCK);
    options.open(path)
}

fn not_a_file(meta: &std::fs::Metadata) -> Result<(), Error> {
    let t = meta.file_type();
    if t.is_file() {
        return Ok(());
    }
    let what = if t.is_dir() {
        "a folder".to_string()
    } else {
        special_kind(&t)
    };
    Err(Error::Rejected(Rejection::NotAFile { what }))
}

#[cfg(unix)]
fn special_kind(t: &std::fs::FileType) -> String {
    use std::os::unix::fs::FileTypeExt;
    if t.is_fifo() {
        "a named pipe (FIFO)"
    } else if t.is_char_device() || t.is_block_device() {
        "a device"
    } else if t.is_socket() {
        "a socket"
    } else {
        "not a file"
    }
    .to_string()
}

#[cfg(not(unix))]
fn special_kind(_: &std::fs::FileType) -> String {
    "not a file".to_string()
}

/// Reads a regular file of at most `limit` bytes through a reader that stops
/// one byte past the limit: a file that grows, or whose size the system does
/// not know, cannot make it read more.
pub fn read_file(path: &Path, limit: u64) -> Result<Vec<u8>, Error> {
    let file = open_regular(path)?;
    let too_large = |size| Error::Rejected(Rejection::TooLarge { size, limit });
    let size = file.metadata().map(|m| m.len()).unwrap_or(0);
    if size > limit {
        return Err(too_large(size));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|source| Error::Io {
            context: "cannot read it".into(),
            source,
        })?;
    if bytes.len() as u64 > limit {
        return Err(too_large(bytes.len() as u64));
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(p: &mut Pieces) -> Vec<String> {
        let mut out = Vec::new();
        while let Some(piece) = p.next_piece() {
            out.push(match piece {
                Piece::Item(i) => match i.body {
                    Ok(_) => i.label,
                    Err(e) => format!("{}: {e}", i.label),
                },
                Piece::BadLine { corpus, line, .. } => format!("{corpus}:{line} bad"),
            });
        }
        out
    }

    #[test]
    fn folders_give_their_importable_files_in_name_order_and_files_stay_as_given() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let root = dir.path();
        let write = |rel: &str, text: &str| {
            let p = root.join(rel);
            if let Some(parent) = p.parent() {
                std::fs::create_dir_all(parent).unwrap_or_else(|e| panic!("{e}"));
            }
            std::fs::write(&p, text).unwrap_or_else(|e| panic!("{e}"));
            p
        };
        write("news/b.txt", "x");
        write("news/a.HTML", "x");
        write("news/c.xhtml", "x");
        write("news/d.text", "x");
        write("news/photo.jpg", "x");
        write("news/.hidden.txt", "x");
        write("news/2002/c.md", "x");
        write(
            "news/wire.jsonl",
            "{\"id\": \"s1\", \"text\": \"a\"}\n\nnot json\n{\"text\": \"b\"}\n",
        );
        let pdf = write("report.pdf", "x");
        let mut p = Pieces::new(
            vec![Source::Path(root.join("news")), Source::Path(pdf)],
            &|| false,
        );
        assert_eq!(
            labels(&mut p),
            [
                "news/2002/c.md",
                "news/a.HTML",
                "news/b.txt",
                "news/c.xhtml",
                "news/d.text",
                "news/wire.jsonl · story s1",
                "news/wire.jsonl:3 bad",
                "news/wire.jsonl · story 4",
                "report.pdf",
            ]
        );
        assert_eq!(p.bytes().0, p.bytes().1);
    }

    #[test]
    fn a_symlink_loop_is_skipped_and_a_huge_folder_says_it_was_cut_short() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let root = dir.path().join("case");
        std::fs::create_dir_all(&root).unwrap_or_else(|e| panic!("{e}"));
        for i in 0..5 {
            std::fs::write(root.join(format!("{i}.txt")), "x").unwrap_or_else(|e| panic!("{e}"));
        }
        #[cfg(unix)]
        std::os::unix::fs::symlink(&root, root.join("loop")).unwrap_or_else(|e| panic!("{e}"));
        let all = labels(&mut Pieces::with_folder_limit(
            vec![Source::Path(root.clone())],
            &|| false,
            100,
        ));
        assert_eq!(all.len(), 5, "{all:?}");
        let cut = labels(&mut Pieces::with_folder_limit(
            vec![Source::Path(root.clone())],
            &|| false,
            3,
        ));
        assert_eq!(cut.len(), 4, "{cut:?}");
        assert!(cut[3].starts_with("case: folder: more than"), "{cut:?}");
        let stopped = labels(&mut Pieces::new(vec![Source::Path(root)], &|| true));
        assert!(stopped.is_empty());
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_and_a_device_are_refused_without_being_opened() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let fifo = dir.path().join("pipe.txt");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        assert!(made.is_ok_and(|s| s.success()), "mkfifo");
        // Opening a FIFO with no writer would block this test for ever.
        for (path, what) in [
            (fifo.clone(), "a named pipe (FIFO)"),
            (PathBuf::from("/dev/zero"), "a device"),
        ] {
            match read_file(&path, 100) {
                Err(Error::Rejected(Rejection::NotAFile { what: w })) => assert_eq!(w, what),
                other => panic!("{path:?}: {:?}", other.map(|b| b.len())),
            }
        }
        let corpus = labels(&mut Pieces::new(
            vec![Source::Corpus(fifo.clone())],
            &|| false,
        ));
        assert_eq!(corpus.len(), 1);
        assert!(corpus[0].contains("not a regular file"), "{corpus:?}");
        // A FIFO put in place of a checked file after the check: the open does
        // not wait for a writer (without O_NONBLOCK this would hang), and the
        // handle's own type refuses it.
        let handle = open_unblocked(&fifo).unwrap_or_else(|e| panic!("{e}"));
        let meta = handle.metadata().unwrap_or_else(|e| panic!("{e}"));
        assert!(matches!(
            not_a_file(&meta),
            Err(Error::Rejected(Rejection::NotAFile { .. }))
        ));
    }

    #[test]
    fn lines_left_after_a_cancel_are_counted_blank_ones_not() {
        let text = b"{\"a\": 1}\n\n  \t\n{\"b\": 2}\r\n{\"c\": 3}";
        assert_eq!(count_lines(&text[..]), 3);
        assert_eq!(count_lines(&b""[..]), 0);
    }

    #[test]
    fn a_file_over_the_limit_is_refused_and_one_at_the_limit_is_read() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let p = dir.path().join("a.txt");
        std::fs::write(&p, "x".repeat(101)).unwrap_or_else(|e| panic!("{e}"));
        assert!(matches!(
            read_file(&p, 100),
            Err(Error::Rejected(Rejection::TooLarge {
                size: 101,
                limit: 100
            }))
        ));
        assert_eq!(read_file(&p, 101).map(|b| b.len()).ok(), Some(101));
    }

    #[test]
    fn every_extension_is_one_intake_or_the_corpus_reader_takes() {
        for ext in extensions() {
            let name = format!("a.{ext}");
            assert!(
                crate::intake::Format::from_name(&name).is_ok() != stories::is_corpus(&name),
                "{ext}"
            );
            assert!(is_importable(&name.to_ascii_uppercase()));
        }
        assert!(!is_importable("a.pdf") && !is_importable("README"));
    }
}
