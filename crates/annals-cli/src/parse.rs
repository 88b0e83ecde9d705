//! `annals parse [--conllu-in] FILE|-`: the words of a text with their lemmas,
//! part-of-speech tags and dependency trees, as CoNLL-U, so anyone can check what
//! extraction reads.
//!
//! Plain text is split into sentences and words as import splits it; each word's
//! MISC column says where it is (`TokenRange=START:END`, Unicode characters of the
//! text) and `SpaceAfter=No` where no space follows. With `--conllu-in` the input is
//! CoNLL-U and its words are kept: only LEMMA, UPOS, XPOS, HEAD and DEPREL are
//! predicted (FEATS and DEPS are left empty), so the output can be scored against
//! the input with any CoNLL-U scorer.

use std::io::Write;

use annals_core::syntax::{self, conllu};

use crate::extract::read_input;
use crate::Failure;

pub fn run(conllu_in: bool, file: &str) -> Result<(), Failure> {
    let text = read_input(file).map_err(|message| Failure { message, code: 2 })?;
    let model = syntax::model().map_err(|e| Failure {
        message: e.to_string(),
        code: 1,
    })?;
    let mut out = String::with_capacity(text.len() * 4);
    if conllu_in {
        let sentences = conllu::read(&text).map_err(|e| Failure {
            message: format!("{file}: not CoNLL-U: {e}"),
            code: 2,
        })?;
        for mut s in sentences {
            let forms: Vec<&str> = s.words.iter().map(|w| w.form.as_str()).collect();
            let analyses = model.analyze(&forms);
            for (w, a) in s.words.iter_mut().zip(analyses) {
                w.lemma = a.lemma;
                w.upos = a.upos.to_string();
                w.xpos = a.xpos.to_string();
                w.feats = String::new();
                w.head = a.head;
                w.deprel = a.deprel.to_string();
            }
            conllu::write_sentence(&s, &mut out);
        }
    } else {
        for (n, parsed) in model.parse_text(&text).into_iter().enumerate() {
            let sentence = parsed.sentence.text(&text);
            let s = conllu::Sentence {
                comments: vec![
                    format!("sent_id = {}", n + 1),
                    format!(
                        "text = {}",
                        sentence.split_whitespace().collect::<Vec<_>>().join(" ")
                    ),
                ],
                words: parsed
                    .words
                    .into_iter()
                    .map(|w| conllu::Row {
                        misc: if w.space_after {
                            format!("TokenRange={}:{}", w.start, w.end)
                        } else {
                            format!("SpaceAfter=No|TokenRange={}:{}", w.start, w.end)
                        },
                        form: w.form,
                        lemma: w.lemma,
                        upos: w.upos.to_string(),
                        xpos: w.xpos.to_string(),
                        feats: String::new(),
                        head: w.head,
                        deprel: w.deprel.to_string(),
                    })
                    .collect(),
                multiword: Vec::new(),
            };
            conllu::write_sentence(&s, &mut out);
        }
    }
    let mut stdout = crate::output::stdout();
    match stdout
        .write_all(out.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Ok(()) => Ok(()),
        // `annals parse … | head` is fine.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(Failure {
            message: format!("cannot write the output: {e}"),
            code: 1,
        }),
    }
}
