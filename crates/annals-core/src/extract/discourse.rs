//! Sentences without a date of their own: the acts of known kinds they report,
//! and the date the discourse gives them (the last day stated in the paragraph,
//! the story's first date in the lede).

use super::*;

/// The acts a sentence without a date reports, each with its kind: the verbs
/// of its clauses (joined, complements, participles: "Church groups reported a
/// surge in the number of North Koreans being arrested") that report a kind of
/// event this tool knows and happened. The saying that reports them is no event
/// of its own; a sentence that only reports a saying is a statement.
pub(super) fn acts(tree: &Tree) -> Vec<(usize, EventKind)> {
    let Some(main) = predicate::main_predicate(tree.words) else {
        return Vec::new();
    };
    let mut out: Vec<(usize, EventKind)> = Vec::new();
    let mut statement = None;
    for p in 0..tree.len() {
        // A participle that describes people is no act ("North Koreans seeking
        // asylum"); a passive one is ("North Koreans being arrested").
        let clause = p == main
            || matches!(
                tree.base(p),
                "conj" | "xcomp" | "ccomp" | "advcl" | "parataxis"
            )
            || (tree.base(p) == "acl" && tree.words[p].xpos == "VBN");
        if !clause
            || tree.words[p].upos != "VERB"
            || mood(tree, p) != Some(Mood::Happened)
            || (!kind::SPEECH.contains(&tree.lemma(p).as_str()) && !newsworthy(tree, p, None))
        {
            continue;
        }
        match kind::kind_of(tree, p, false) {
            EventKind::Other => {}
            // Saying without a date of its own is no event ("She confirmed
            // ..."); sending a letter is.
            EventKind::Statement => {
                if p == main && !kind::SPEECH.contains(&tree.lemma(p).as_str()) {
                    statement = Some(p);
                }
            }
            k => {
                if !out.iter().any(|&(_, o)| o == k) {
                    out.push((p, k));
                }
            }
        }
    }
    if out.is_empty() {
        out.extend(statement.map(|p| (p, EventKind::Statement)));
    }
    out
}

/// Stems of the verbs and nouns that report acts of the kinds this tool knows
/// (not sayings: an undated saying is no event): a sentence without any is not
/// worth parsing for a carried date.
const ACT_STEMS: &[&str] = &[
    "enter",
    "climb",
    "storm",
    "scal",
    "drag",
    "pull",
    "haul",
    "remov",
    "evict",
    "eject",
    "arrest",
    "detain",
    "apprehend",
    "captur",
    "seiz",
    "rounded up",
    "round up",
    "repatriat",
    "deport",
    "extradit",
    "expel",
    "sent back",
    "send back",
    "sending back",
    "forced back",
    "handed over",
    "hand over",
    "handing over",
    "asylum",
    "refuge",
    "defect",
    "accus",
    "protest",
    "summon",
    "reprimand",
    "condemn",
    "denounc",
    "critici",
    "rebuk",
    "reject",
    "lodg",
    "blam",
    "meet",
    "met ",
    "visit",
    "talks",
    "negotiat",
    "seal",
    "cordon",
    "crack",
    "clamp",
    "tighten",
    "security",
    "barricad",
    "deploy",
    "patrol",
    "signed",
    "ratif",
    "attack",
    "bomb",
    "raid",
    "letter",
    "broke",
    "rush",
    "ran ",
    "walked",
    "made it",
    "fled",
    "flew",
    "fly",
    "left for",
    "allowed",
    "sought",
    "seek",
    "arriv",
    "invad",
];

/// Whether the sentence names an act of a known kind (see [`ACT_STEMS`]).
pub(super) fn names_an_act(sentence: &str) -> bool {
    static SET: std::sync::OnceLock<Option<aho_corasick::AhoCorasick>> = std::sync::OnceLock::new();
    SET.get_or_init(|| {
        aho_corasick::AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .build(ACT_STEMS)
            .ok()
    })
    .as_ref()
    .is_none_or(|a| a.is_match(sentence))
}

/// Sentence openers that say the sentence goes on at the time just told of.
const SAME_TIME: &[&str] = &["Meanwhile", "At the same time", "The same day", "That day"];

/// The date an undated sentence reporting a `kind` of event takes from the
/// discourse: the last day stated before it (`last`: timex index and paragraph)
/// when that is in the same paragraph ("Two men managed to get into the
/// building"), or when the sentence goes on in time ("then", "Meanwhile"), or when
/// it reports something other than a statement ("Wu Dawei, who was summoned to the
/// Foreign Ministry"): statements ("said") are so common in news that only their
/// own paragraph dates them. In the lede, with no date yet, an event that is not a
/// statement takes the story's first date (`lede`). Beyond its paragraph, only a
/// sentence that names a place, people or a mission (`placed`) is dated so: "AMR
/// climbed 1-3/8" is not an event of the story's day. Returns the timex index and
/// whether it came from the same paragraph.
pub(super) fn carry(
    kind: EventKind,
    sent: &str,
    paragraph: usize,
    last: Option<(usize, usize)>,
    lede: Option<usize>,
    placed: bool,
) -> Option<(usize, bool)> {
    let goes_on = sent.contains(" then ") || SAME_TIME.iter().any(|w| sent.starts_with(w));
    match last {
        Some((k, p)) if p == paragraph => Some((k, true)),
        _ if !placed => None,
        Some((k, _)) if goes_on || kind != EventKind::Statement => Some((k, false)),
        Some(_) => None,
        None if kind != EventKind::Statement => lede.map(|k| (k, false)),
        None => None,
    }
}
