//! CoNLL-U (Universal Dependencies' file format): reading treebanks to train and
//! score on, and writing what the parser produced.
//!
//! Only the basic tree is kept: multiword-token lines ("2-3 don't") and their forms
//! are carried through so the output lines up with its input, empty nodes ("8.1")
//! are dropped, and the enhanced graph column is left as `_`.

use std::fmt::Write as _;

/// One sentence of a CoNLL-U file.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Sentence {
    /// Comment lines, without the leading "# ".
    pub comments: Vec<String>,
    pub words: Vec<Row>,
    /// Multiword tokens: the line's first word (1-based), last word and surface form.
    pub multiword: Vec<(usize, usize, String)>,
}

/// One syntactic word: the columns the parser reads or writes.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Row {
    pub form: String,
    pub lemma: String,
    pub upos: String,
    pub xpos: String,
    pub feats: String,
    /// 0 for the root, else the 1-based index of the head word.
    pub head: usize,
    pub deprel: String,
    pub misc: String,
}

/// A line that is not CoNLL-U.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct Error {
    pub line: usize,
    pub message: String,
}

/// Reads every sentence of a CoNLL-U text. Heads are checked to point inside
/// their sentence; underscores stand for unknown columns.
pub fn read(text: &str) -> Result<Vec<Sentence>, Error> {
    let mut out = Vec::new();
    let mut cur = Sentence::default();
    let mut first_line = 1;
    for (i, line) in text.lines().enumerate() {
        let n = i + 1;
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() {
            if !cur.words.is_empty() {
                check_heads(&cur, first_line)?;
                out.push(std::mem::take(&mut cur));
            }
            cur = Sentence::default();
            continue;
        }
        if cur.words.is_empty() && cur.comments.is_empty() && cur.multiword.is_empty() {
            first_line = n;
        }
        if let Some(c) = line.strip_prefix('#') {
            cur.comments
                .push(c.strip_prefix(' ').unwrap_or(c).to_string());
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() != 10 {
            return Err(Error {
                line: n,
                message: format!("expected 10 tab-separated columns, found {}", cols.len()),
            });
        }
        let id = cols[0];
        if id.contains('.') {
            continue; // an empty node of the enhanced graph
        }
        if let Some((a, b)) = id.split_once('-') {
            let (a, b) = match (a.parse::<usize>(), b.parse::<usize>()) {
                (Ok(a), Ok(b)) if a >= 1 && b >= a => (a, b),
                _ => return Err(bad(n, format!("bad multiword range {id:?}"))),
            };
            cur.multiword.push((a, b, cols[1].to_string()));
            continue;
        }
        let expected = cur.words.len() + 1;
        if id.parse::<usize>().ok() != Some(expected) {
            return Err(bad(
                n,
                format!("word id {id:?} out of order, expected {expected}"),
            ));
        }
        let head = match cols[6] {
            "_" => 0,
            h => h
                .parse::<usize>()
                .map_err(|_| bad(n, format!("bad head {h:?}")))?,
        };
        cur.words.push(Row {
            form: cols[1].to_string(),
            lemma: cols[2].to_string(),
            upos: cols[3].to_string(),
            xpos: cols[4].to_string(),
            feats: cols[5].to_string(),
            head,
            deprel: cols[7].to_string(),
            misc: cols[9].to_string(),
        });
    }
    if !cur.words.is_empty() {
        check_heads(&cur, first_line)?;
        out.push(cur);
    }
    Ok(out)
}

fn bad(line: usize, message: String) -> Error {
    Error { line, message }
}

fn check_heads(s: &Sentence, line: usize) -> Result<(), Error> {
    let n = s.words.len();
    match s.words.iter().position(|w| w.head > n) {
        Some(i) => Err(bad(
            line,
            format!(
                "word {} has head {} outside its sentence of {n}",
                i + 1,
                s.words[i].head
            ),
        )),
        None => Ok(()),
    }
}

/// Writes sentences as CoNLL-U, each followed by a blank line.
pub fn write(sentences: &[Sentence]) -> String {
    let mut out = String::new();
    for s in sentences {
        write_sentence(s, &mut out);
    }
    out
}

pub fn write_sentence(s: &Sentence, out: &mut String) {
    for c in &s.comments {
        let _ = writeln!(out, "# {}", clean(c));
    }
    for (i, w) in s.words.iter().enumerate() {
        let id = i + 1;
        for (a, b, form) in &s.multiword {
            if *a == id {
                let _ = writeln!(out, "{a}-{b}\t{}\t_\t_\t_\t_\t_\t_\t_\t_", field(form));
            }
        }
        let _ = writeln!(
            out,
            "{id}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t_\t{}",
            field(&w.form),
            field(&w.lemma),
            field(&w.upos),
            field(&w.xpos),
            field(&w.feats),
            w.head,
            field(&w.deprel),
            field(&w.misc),
        );
    }
    out.push('\n');
}

/// A column value: never empty, no tabs or line breaks.
fn field(s: &str) -> String {
    if s.is_empty() {
        "_".to_string()
    } else {
        clean(s)
    }
}

fn clean(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c == '\t' || c == '\n' || c == '\r' {
                ' '
            } else {
                c
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const TWO: &str = "# text = I don't.\n1-2\tdon't\t_\t_\t_\t_\t_\t_\t_\t_\n\
1\tI\tI\tPRON\tPRP\t_\t2\tnsubj\t2:nsubj\t_\n\
2\tdo\tdo\tAUX\tVBP\t_\t0\troot\t0:root\t_\n\
2.1\tx\tx\tX\tX\t_\t_\t_\t2:dep\t_\n\
3\tn't\tnot\tPART\tRB\t_\t2\tadvmod\t2:advmod\tSpaceAfter=No\n\
4\t.\t.\tPUNCT\t.\t_\t2\tpunct\t2:punct\t_\n\n\
1\tHi\thi\tINTJ\tUH\t_\t0\troot\t0:root\t_\n";

    #[test]
    fn reads_words_keeps_multiword_tokens_and_drops_empty_nodes() {
        let s = read(TWO).expect("valid");
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].words.len(), 4);
        assert_eq!(s[0].multiword, vec![(1, 2, "don't".to_string())]);
        assert_eq!(s[0].words[2].form, "n't");
        assert_eq!(s[0].words[2].head, 2);
        assert_eq!(s[0].comments, vec!["text = I don't.".to_string()]);
        assert_eq!(s[1].words[0].deprel, "root");
    }

    #[test]
    fn writing_what_was_read_gives_the_same_basic_tree() {
        let s = read(TWO).expect("valid");
        let again = read(&write(&s)).expect("valid");
        assert_eq!(again, s);
    }

    #[test]
    fn malformed_lines_name_their_line() {
        assert_eq!(read("1\tHi\n").unwrap_err().line, 1);
        let e = read("1\ta\ta\tX\tX\t_\t5\tdep\t_\t_\n").unwrap_err();
        assert!(e.message.contains("outside"), "{e}");
        let e = read("2\ta\ta\tX\tX\t_\t0\troot\t_\t_\n").unwrap_err();
        assert!(e.message.contains("out of order"), "{e}");
        assert!(read("").expect("empty is fine").is_empty());
    }
}
