//! Syntax: the words of each sentence with their lemmas, part-of-speech tags and a
//! Universal Dependencies tree, so extraction can read what a sentence says (who
//! did what, when, where) instead of matching keywords near each other.
//!
//! Text → [`tokenize`] (words as the English Web Treebank cuts them) → the tagger
//! (UPOS and Penn tags together) → the lemmatizer → the arc-hybrid parser
//! (unlabelled tree) → the labeller (relations). Every step is an averaged
//! perceptron or a table learned from UD English EWT by [`train`]; the model file
//! is `data/parser.model`, produced by `scripts/train-parser.sh`.
//!
//! Time is linear in the text; nothing here panics on any input.

pub mod conllu;
mod irregular;
mod label;
mod lemma;
mod parser;
mod perceptron;
mod tagger;
pub mod tokenize;
pub mod train;

use std::sync::OnceLock;

use crate::sentence::{self, Sentence};
use crate::{Error, Result};
use perceptron::{put_str, put_u32, Reader, Weights};

/// A word of a parsed sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    pub form: String,
    pub lemma: String,
    /// Universal part of speech ("VERB", "PROPN", ...).
    pub upos: &'static str,
    /// Penn Treebank tag ("VBD", "NNP", ...).
    pub xpos: &'static str,
    /// 0 for the root of the sentence, else the 1-based index of the head word.
    pub head: usize,
    /// Universal Dependencies relation to the head ("nsubj", "obl:tmod", ...).
    pub deprel: &'static str,
    /// Unicode character offsets in the text given to the parser, end exclusive.
    pub start: usize,
    pub end: usize,
    pub space_after: bool,
}

/// What is known of a word's tag before tagging.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hint {
    None,
    /// A proper noun, whatever else the tagger thinks unless it is one.
    Proper,
    /// This Penn Treebank tag.
    Xpos(&'static str),
}

/// A sentence of a text with its words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parsed {
    pub sentence: Sentence,
    pub words: Vec<Word>,
}

/// What the model says of one word, given its form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Analysis {
    pub lemma: String,
    pub upos: &'static str,
    pub xpos: &'static str,
    pub head: usize,
    pub deprel: &'static str,
}

/// The trained tagger, lemmatizer, parser and labeller.
pub struct Model {
    /// (UPOS, XPOS) of each tag class.
    classes: Vec<(&'static str, &'static str)>,
    labels: Vec<&'static str>,
    root: usize,
    /// Parses the parser keeps at each step (1: greedy).
    beam: usize,
    /// The universal tag's id of each class, as the parser's features see it.
    coarse: Vec<u64>,
    /// The tagger's two passes: left to right, then again knowing the first pass's
    /// tags of the words ahead.
    tagger: [Weights; 2],
    lemmatizer: lemma::Lemmatizer,
    parser: Weights,
    labeller: Weights,
}

const MAGIC: &[u8] = b"annals-syntax-3\n";

/// Longest sentence parsed as one; longer runs (a table, a list without stops) are
/// parsed in pieces of this many words so no sentence costs more than its share.
pub const MAX_WORDS: usize = 250;

/// Strings of the model's tables live as long as the program: a model is loaded
/// once (training makes one or two).
fn leak(s: &str) -> &'static str {
    Box::leak(s.to_string().into_boxed_str())
}

fn bad(message: impl Into<String>) -> Error {
    Error::Data {
        name: "parser model",
        message: message.into(),
    }
}

impl Model {
    /// Reads a model written by [`Model::to_bytes`].
    pub fn from_bytes(bytes: &[u8]) -> Result<Model> {
        let body = bytes
            .strip_prefix(MAGIC)
            .ok_or_else(|| bad("not an Annals syntax model (or an older format)"))?;
        let mut r = Reader::new(body);
        let model = Self::read(&mut r).ok_or_else(|| bad("truncated or damaged"))?;
        if r.left() != 0 {
            return Err(bad("trailing bytes"));
        }
        Ok(model)
    }

    fn read(r: &mut Reader<'_>) -> Option<Model> {
        let n = r.u32()? as usize;
        let mut classes = Vec::with_capacity(n.min(256));
        for _ in 0..n {
            classes.push((leak(r.str()?), leak(r.str()?)));
        }
        let n = r.u32()? as usize;
        let mut labels = Vec::with_capacity(n.min(256));
        for _ in 0..n {
            labels.push(leak(r.str()?));
        }
        let root = labels.iter().position(|l| *l == "root")?;
        let beam = r.u32()? as usize;
        if !(1..=64).contains(&beam) {
            return None;
        }
        let tagger = [Weights::read(r)?, Weights::read(r)?];
        let lemmatizer = lemma::Lemmatizer::read(r)?;
        let parser = Weights::read(r)?;
        let labeller = Weights::read(r)?;
        let fits = tagger.iter().all(|t| t.n_classes == classes.len())
            && labeller.n_classes == labels.len()
            && parser.n_classes == parser::N_ACTIONS;
        fits.then_some(Model {
            beam,
            coarse: parser::coarse_ids(&classes),
            classes,
            labels,
            root,
            tagger,
            lemmatizer,
            parser,
            labeller,
        })
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = MAGIC.to_vec();
        put_u32(&mut out, self.classes.len() as u32);
        for (u, x) in &self.classes {
            put_str(&mut out, u);
            put_str(&mut out, x);
        }
        put_u32(&mut out, self.labels.len() as u32);
        for l in &self.labels {
            put_str(&mut out, l);
        }
        put_u32(&mut out, self.beam as u32);
        self.tagger[0].write(&mut out);
        self.tagger[1].write(&mut out);
        self.lemmatizer.write(&mut out);
        self.parser.write(&mut out);
        self.labeller.write(&mut out);
        out
    }

    /// Features in each part: tagger, parser, labeller.
    pub fn sizes(&self) -> [usize; 3] {
        [
            self.tagger[0].n_features() + self.tagger[1].n_features(),
            self.parser.n_features(),
            self.labeller.n_features(),
        ]
    }

    /// Tags, lemmatizes and parses one sentence given as its words.
    pub fn analyze(&self, forms: &[&str]) -> Vec<Analysis> {
        self.analyze_hinted(forms, &[])
    }

    /// As [`Model::analyze`], with the words known to be proper names (`proper`,
    /// one flag a word; missing flags are false): a name from a gazetteer is a
    /// proper noun wherever it stands ("Beijing also increased security"), which
    /// a tagger trained on web text does not always see at a sentence's start.
    pub fn analyze_hinted(&self, forms: &[&str], proper: &[bool]) -> Vec<Analysis> {
        let hints: Vec<Hint> = proper
            .iter()
            .map(|&p| if p { Hint::Proper } else { Hint::None })
            .collect();
        self.analyze_with(forms, &hints)
    }

    /// As [`Model::analyze`], with what is known of some words' tags (one hint a
    /// word; missing hints are [`Hint::None`]).
    pub fn analyze_with(&self, forms: &[&str], hints: &[Hint]) -> Vec<Analysis> {
        let mut out = Vec::with_capacity(forms.len());
        for (n, piece) in forms.chunks(MAX_WORDS).enumerate() {
            let offset = out.len();
            let from = (n * MAX_WORDS).min(hints.len());
            let to = (from + piece.len()).min(hints.len());
            self.analyze_piece(piece, &hints[from..to], offset, &mut out);
        }
        out
    }

    /// Applies the hints to a pass's tags.
    fn force(&self, hints: &[Hint], tags: &mut [usize]) {
        for (t, h) in tags.iter_mut().zip(hints) {
            let want = match h {
                Hint::None => continue,
                Hint::Proper if self.classes.get(*t).is_some_and(|&(u, _)| u == "PROPN") => {
                    continue
                }
                Hint::Proper => "NNP",
                Hint::Xpos(x) => x,
            };
            // (A content verb's tag: "VBZ" is also an auxiliary's, "is".)
            let class = self
                .classes
                .iter()
                .position(|&(u, x)| x == want && u != "AUX")
                .or_else(|| self.classes.iter().position(|&(_, x)| x == want));
            if let Some(c) = class {
                *t = c;
            }
        }
    }

    fn analyze_piece(
        &self,
        forms: &[&str],
        hints: &[Hint],
        offset: usize,
        out: &mut Vec<Analysis>,
    ) {
        let infos: Vec<tagger::WordInfo> = forms.iter().map(|f| tagger::WordInfo::new(f)).collect();
        let mut first = Vec::with_capacity(forms.len());
        tagger::tag(&self.tagger[0], &infos, None, &mut first);
        self.force(hints, &mut first);
        let mut tags = Vec::with_capacity(forms.len());
        tagger::tag(&self.tagger[1], &infos, Some(&first), &mut tags);
        self.force(hints, &mut tags);
        let toks = parser::tokens(&infos, &tags, &self.coarse);
        let mut heads = Vec::with_capacity(forms.len());
        parser::parse_beam(&self.parser, &toks, self.beam, &mut heads);
        let mut labels = Vec::with_capacity(forms.len());
        label::label(
            &self.labeller,
            self.root,
            &label::Tree::new(&toks, &heads),
            &mut labels,
        );
        for (i, form) in forms.iter().enumerate() {
            let (upos, xpos) = self.classes.get(tags[i]).copied().unwrap_or(("X", "XX"));
            out.push(Analysis {
                lemma: irregular::past(form, xpos)
                    .map_or_else(|| self.lemmatizer.lemma(form, tags[i]), String::from),
                upos,
                xpos,
                head: if heads[i] == 0 { 0 } else { heads[i] + offset },
                deprel: self.labels.get(labels[i]).copied().unwrap_or("dep"),
            });
        }
        // A later piece hangs from the first piece's root.
        if offset > 0 {
            let first_root = out_root(out, offset);
            if let Some(a) = out[offset..].iter_mut().find(|a| a.head == 0) {
                a.head = first_root;
                a.deprel = "parataxis";
            }
        }
    }

    /// Parses one sentence's text; offsets are in characters of `text`.
    pub fn parse_sentence(&self, text: &str) -> Vec<Word> {
        self.parse_sentence_hinted(text, &[])
    }

    /// As [`Model::parse_sentence`], with byte ranges of `text` that are proper
    /// names (see [`Model::analyze_hinted`]).
    pub fn parse_sentence_hinted(&self, text: &str, names: &[(usize, usize)]) -> Vec<Word> {
        let spans = tokenize::words(text);
        let forms: Vec<&str> = spans.iter().map(|w| &text[w.start..w.end]).collect();
        let proper: Vec<bool> = if names.is_empty() {
            Vec::new()
        } else {
            spans
                .iter()
                .map(|w| {
                    text[w.start..].starts_with(char::is_uppercase)
                        && names.iter().any(|&(a, b)| w.start >= a && w.end <= b)
                })
                .collect()
        };
        let analyses = self.analyze_hinted(&forms, &proper);
        let mut chars = CharCounter::new(text);
        spans
            .iter()
            .zip(analyses)
            .map(|(w, a)| Word {
                form: text[w.start..w.end].to_string(),
                lemma: a.lemma,
                upos: a.upos,
                xpos: a.xpos,
                head: a.head,
                deprel: a.deprel,
                start: chars.at(w.start),
                end: chars.at(w.end),
                space_after: w.space_after,
            })
            .collect()
    }

    /// Parses again the words of a sentence parsed before, with hints on some
    /// words' tags (`hints`, one a word): when what the tree says shows a tag to
    /// be wrong.
    pub fn reparse(&self, words: &[Word], hints: &[Hint]) -> Vec<Word> {
        let forms: Vec<&str> = words.iter().map(|w| w.form.as_str()).collect();
        self.analyze_with(&forms, hints)
            .into_iter()
            .zip(words)
            .map(|(a, w)| Word {
                lemma: a.lemma,
                upos: a.upos,
                xpos: a.xpos,
                head: a.head,
                deprel: a.deprel,
                ..w.clone()
            })
            .collect()
    }

    /// Splits `text` into sentences and parses each; offsets are in characters of
    /// the whole text.
    pub fn parse_text(&self, text: &str) -> Vec<Parsed> {
        sentence::split(text)
            .into_iter()
            .map(|s| {
                let mut words = self.parse_sentence(s.text(text));
                for w in &mut words {
                    w.start += s.start;
                    w.end += s.start;
                }
                // The sentence's text stops at its last word; the text goes on.
                if let Some(last) = words.last_mut() {
                    last.space_after = text
                        .get(s.byte_end..)
                        .is_some_and(|rest| rest.starts_with(char::is_whitespace));
                }
                Parsed { sentence: s, words }
            })
            .collect()
    }
}

fn out_root(out: &[Analysis], before: usize) -> usize {
    out[..before]
        .iter()
        .position(|a| a.head == 0)
        .map_or(1, |i| i + 1)
}

/// Byte offsets to character offsets, for offsets that only grow.
struct CharCounter<'t> {
    text: &'t str,
    byte: usize,
    chars: usize,
}

impl<'t> CharCounter<'t> {
    fn new(text: &'t str) -> Self {
        CharCounter {
            text,
            byte: 0,
            chars: 0,
        }
    }
    fn at(&mut self, byte: usize) -> usize {
        if byte < self.byte {
            self.byte = 0;
            self.chars = 0;
        }
        self.chars += self
            .text
            .get(self.byte..byte)
            .map_or(0, |s| s.chars().count());
        self.byte = byte;
        self.chars
    }
}

/// The syntax model, read once from the first of [`model_paths`] that exists
/// (the first call takes about a tenth of a second; call it off the UI thread).
/// It is a file beside the program rather than inside it: at 13 MB it would be
/// most of both binaries, and the app and the command line share one copy.
pub fn model() -> Result<&'static Model> {
    static MODEL: OnceLock<std::result::Result<Model, String>> = OnceLock::new();
    MODEL
        .get_or_init(|| {
            let paths = model_paths();
            let path = paths.iter().find(|p| p.is_file()).ok_or_else(|| {
                let tried: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
                format!(
                    "the syntax model is missing (looked for {}); reinstall Annals, or set \
                     ANNALS_PARSER_MODEL to the file",
                    tried.join(", ")
                )
            })?;
            let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
            Model::from_bytes(&bytes).map_err(|e| format!("{}: {e}", path.display()))
        })
        .as_ref()
        .map_err(|e| bad(e.clone()))
}

/// Where the syntax model is looked for: `ANNALS_PARSER_MODEL` alone when it is
/// set; else, in order, an installed layout (`/usr/bin/annals` finds
/// `/usr/lib/annals/parser.model`), beside the program, and the source tree it
/// was built from (`data/`, for development and tests).
pub fn model_paths() -> Vec<std::path::PathBuf> {
    if let Some(p) = std::env::var_os("ANNALS_PARSER_MODEL").filter(|p| !p.is_empty()) {
        return vec![std::path::PathBuf::from(p)];
    }
    let mut paths = Vec::new();
    if let Some(dir) = std::env::current_exe()
        .ok()
        .and_then(|e| e.parent().map(|d| d.to_path_buf()))
    {
        paths.push(dir.join("../lib/annals/parser.model"));
        paths.push(dir.join("parser.model"));
    }
    paths.push(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/parser.model"));
    paths
}
