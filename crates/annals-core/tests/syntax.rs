//! The syntax layer with the shipped model: trees a reader would draw for news
//! sentences, the scores the model was released with on UD English EWT, CoNLL-U in
//! and out, and properties that hold for any input (no panic, spans in order on
//! character boundaries, every word attached, one root a sentence).

use annals_core::syntax::{self, conllu, train, Word};
use proptest::prelude::*;

fn parse(text: &str) -> Vec<Word> {
    syntax::model()
        .expect("the shipped model loads")
        .parse_sentence(text)
}

/// The word with this form, and its head's form.
fn arc<'w>(words: &'w [Word], form: &str) -> (&'w Word, &'w str) {
    let w = words
        .iter()
        .find(|w| w.form == form)
        .unwrap_or_else(|| panic!("no word {form:?} in {words:?}"));
    let head = if w.head == 0 {
        "ROOT"
    } else {
        words[w.head - 1].form.as_str()
    };
    (w, head)
}

#[test]
fn a_news_sentence_gets_its_subject_predicate_and_dates() {
    let w = parse("Five North Koreans entered the Japanese Consulate in Shenyang on Wednesday.");
    let (entered, head) = arc(&w, "entered");
    assert_eq!(
        (entered.upos, entered.xpos, entered.lemma.as_str(), head),
        ("VERB", "VBD", "enter", "ROOT")
    );
    let (koreans, head) = arc(&w, "Koreans");
    assert_eq!((koreans.deprel, head), ("nsubj", "entered"));
    let (consulate, head) = arc(&w, "Consulate");
    assert_eq!((consulate.deprel, head), ("obj", "entered"));
    let (_, head) = arc(&w, "Wednesday");
    assert_eq!(head, "entered");
    let (_, head) = arc(&w, "Shenyang");
    assert_eq!(head, "Consulate");
}

#[test]
fn reported_speech_hangs_the_reported_event_under_the_saying() {
    let w = parse("Officials said the police dragged two women out of the consulate on Friday.");
    let (said, head) = arc(&w, "said");
    assert_eq!(head, "ROOT");
    assert_eq!(said.lemma, "say");
    let (dragged, head) = arc(&w, "dragged");
    assert_eq!((dragged.deprel, head), ("ccomp", "said"));
    let (_, head) = arc(&w, "Friday");
    assert_eq!(head, "dragged");
    let (police, head) = arc(&w, "police");
    assert_eq!((police.deprel, head), ("nsubj", "dragged"));
}

#[test]
fn passives_and_planned_events_are_marked_by_their_auxiliaries() {
    let w = parse("The asylum seekers were taken away by Chinese police.");
    let (seekers, head) = arc(&w, "seekers");
    assert_eq!((seekers.deprel, head), ("nsubj:pass", "taken"));
    let (were, _) = arc(&w, "were");
    assert_eq!(were.deprel, "aux:pass");
    let w = parse("The envoy will arrive in Beijing on Monday.");
    let (will, head) = arc(&w, "will");
    assert_eq!((will.deprel, will.xpos, head), ("aux", "MD", "arrive"));
}

#[test]
fn offsets_point_at_the_words_in_the_text() {
    let text = "Ça va? Kim’s envoy didn't leave Seoul—yet.";
    let model = syntax::model().expect("loads");
    let chars: Vec<char> = text.chars().collect();
    for p in model.parse_text(text) {
        for w in &p.words {
            let span: String = chars[w.start..w.end].iter().collect();
            assert_eq!(span, w.form);
        }
    }
}

#[test]
fn conllu_in_keeps_words_and_predicts_the_rest() {
    let input = "# text = I didn't go.\n1\tI\t_\t_\t_\t_\t_\t_\t_\t_\n2-3\tdidn't\t_\t_\t_\t_\t_\t_\t_\t_\n\
2\tdid\t_\t_\t_\t_\t_\t_\t_\t_\n3\tn't\t_\t_\t_\t_\t_\t_\t_\t_\n4\tgo\t_\t_\t_\t_\t_\t_\t_\t_\n\
5\t.\t_\t_\t_\t_\t_\t_\t_\t_\n";
    let s = conllu::read(input).expect("valid");
    let forms: Vec<&str> = s[0].words.iter().map(|w| w.form.as_str()).collect();
    let a = syntax::model().expect("loads").analyze(&forms);
    assert_eq!(a.len(), 5);
    assert_eq!((a[3].upos, a[3].head, a[3].deprel), ("VERB", 0, "root"));
    assert_eq!((a[2].lemma.as_str(), a[2].upos), ("not", "PART"));
}

/// The model in `data/parser.model` scores what `data/README.md` says it does on
/// the EWT test set (gold words): a guard against shipping a worse one.
#[test]
fn the_shipped_model_keeps_its_released_scores_on_ewt_test() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/corpora/ud-english-ewt/en_ewt-ud-test.conllu"
    );
    let text = std::fs::read_to_string(path)
        .expect("UD English EWT beside the repository (../shared/corpora)");
    let gold = conllu::read(&text).expect("valid CoNLL-U");
    let scores = train::evaluate(syntax::model().expect("loads"), &gold);
    assert_eq!(scores.words, 25094);
    assert!(
        scores.upos >= 95.0 && scores.las >= 80.5 && scores.las_universal >= 80.7,
        "{scores}"
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn any_text_parses_into_trees_over_its_own_words(text in "\\PC{0,200}") {
        let model = syntax::model().expect("loads");
        let chars = text.chars().count();
        let mut last = 0;
        for p in model.parse_text(&text) {
            let n = p.words.len();
            let mut roots = 0;
            for (i, w) in p.words.iter().enumerate() {
                prop_assert!(w.start >= last && w.start < w.end && w.end <= chars);
                last = w.end;
                prop_assert!(w.head <= n && w.head != i + 1);
                roots += usize::from(w.head == 0);
                // Every head chain ends at the root.
                let (mut x, mut steps) = (i + 1, 0);
                while x != 0 && steps <= n {
                    x = p.words[x - 1].head;
                    steps += 1;
                }
                prop_assert_eq!(x, 0);
            }
            prop_assert_eq!(roots, usize::from(n > 0));
        }
    }

    #[test]
    fn word_like_text_parses_the_same_twice(words in proptest::collection::vec("[A-Za-z]{1,8}|[0-9]{1,4}|[.,;'\"()-]", 0..60)) {
        let text = words.join(" ");
        let model = syntax::model().expect("loads");
        prop_assert_eq!(model.parse_text(&text), model.parse_text(&text));
    }
}
