//! English verbs whose past forms no ending rule reaches ("fled", "sought",
//! "struck"): the lemmatizer learns edits from the treebank's endings, so a
//! strong verb it never saw in the past tense would lose letters ("fled" became
//! "fl"). This is the language's own list, not learned; only unambiguous past
//! forms are listed ("lay" and "found" are also present forms of other verbs
//! and are left to the treebank).

/// (past or participle, base), sorted by the form for a binary search.
const PAST: &[(&str, &str)] = &[
    ("arisen", "arise"),
    ("arose", "arise"),
    ("ate", "eat"),
    ("awoke", "awake"),
    ("beaten", "beat"),
    ("became", "become"),
    ("been", "be"),
    ("began", "begin"),
    ("begun", "begin"),
    ("bent", "bend"),
    ("bitten", "bite"),
    ("bled", "bleed"),
    ("blew", "blow"),
    ("blown", "blow"),
    ("bore", "bear"),
    ("born", "bear"),
    ("borne", "bear"),
    ("bought", "buy"),
    ("bound", "bind"),
    ("bred", "breed"),
    ("broke", "break"),
    ("broken", "break"),
    ("brought", "bring"),
    ("built", "build"),
    ("burnt", "burn"),
    ("came", "come"),
    ("caught", "catch"),
    ("chose", "choose"),
    ("chosen", "choose"),
    ("clung", "cling"),
    ("crept", "creep"),
    ("dealt", "deal"),
    ("did", "do"),
    ("done", "do"),
    ("drank", "drink"),
    ("drawn", "draw"),
    ("drew", "draw"),
    ("driven", "drive"),
    ("drove", "drive"),
    ("drunk", "drink"),
    ("dug", "dig"),
    ("dwelt", "dwell"),
    ("eaten", "eat"),
    ("fallen", "fall"),
    ("fed", "feed"),
    ("fell", "fall"),
    ("felt", "feel"),
    ("fled", "flee"),
    ("flew", "fly"),
    ("flown", "fly"),
    ("flung", "fling"),
    ("forbade", "forbid"),
    ("forbidden", "forbid"),
    ("forgave", "forgive"),
    ("forgiven", "forgive"),
    ("forgot", "forget"),
    ("forgotten", "forget"),
    ("fought", "fight"),
    ("froze", "freeze"),
    ("frozen", "freeze"),
    ("gave", "give"),
    ("given", "give"),
    ("gone", "go"),
    ("got", "get"),
    ("gotten", "get"),
    ("grew", "grow"),
    ("grown", "grow"),
    ("had", "have"),
    ("heard", "hear"),
    ("held", "hold"),
    ("hid", "hide"),
    ("hidden", "hide"),
    ("hung", "hang"),
    ("kept", "keep"),
    ("knelt", "kneel"),
    ("knew", "know"),
    ("known", "know"),
    ("laid", "lay"),
    ("leapt", "leap"),
    ("led", "lead"),
    ("left", "leave"),
    ("lent", "lend"),
    ("lost", "lose"),
    ("made", "make"),
    ("meant", "mean"),
    ("met", "meet"),
    ("mistook", "mistake"),
    ("overcame", "overcome"),
    ("overran", "overrun"),
    ("overtaken", "overtake"),
    ("overthrew", "overthrow"),
    ("overthrown", "overthrow"),
    ("overtook", "overtake"),
    ("paid", "pay"),
    ("ran", "run"),
    ("rang", "ring"),
    ("ridden", "ride"),
    ("risen", "rise"),
    ("rode", "ride"),
    ("rose", "rise"),
    ("rung", "ring"),
    ("said", "say"),
    ("sang", "sing"),
    ("sank", "sink"),
    ("sat", "sit"),
    ("saw", "see"),
    ("seen", "see"),
    ("sent", "send"),
    ("shaken", "shake"),
    ("shone", "shine"),
    ("shook", "shake"),
    ("shot", "shoot"),
    ("shown", "show"),
    ("shrank", "shrink"),
    ("slept", "sleep"),
    ("slid", "slide"),
    ("sold", "sell"),
    ("sought", "seek"),
    ("spent", "spend"),
    ("spoke", "speak"),
    ("spoken", "speak"),
    ("sprang", "spring"),
    ("stole", "steal"),
    ("stolen", "steal"),
    ("stood", "stand"),
    ("stricken", "strike"),
    ("strove", "strive"),
    ("struck", "strike"),
    ("stung", "sting"),
    ("swam", "swim"),
    ("swept", "sweep"),
    ("swore", "swear"),
    ("sworn", "swear"),
    ("swung", "swing"),
    ("taken", "take"),
    ("taught", "teach"),
    ("thought", "think"),
    ("threw", "throw"),
    ("thrown", "throw"),
    ("told", "tell"),
    ("took", "take"),
    ("tore", "tear"),
    ("torn", "tear"),
    ("undergone", "undergo"),
    ("understood", "understand"),
    ("undertaken", "undertake"),
    ("undertook", "undertake"),
    ("underwent", "undergo"),
    ("upheld", "uphold"),
    ("was", "be"),
    ("went", "go"),
    ("were", "be"),
    ("withdrawn", "withdraw"),
    ("withdrew", "withdraw"),
    ("woke", "wake"),
    ("woken", "wake"),
    ("won", "win"),
    ("wore", "wear"),
    ("worn", "wear"),
    ("written", "write"),
    ("wrote", "write"),
];

/// The base of an irregular past form of a verb (tagged VBD or VBN), if it is one.
pub(crate) fn past(form: &str, xpos: &str) -> Option<&'static str> {
    if !matches!(xpos, "VBD" | "VBN") {
        return None;
    }
    let lower = form.to_lowercase();
    PAST.binary_search_by(|(f, _)| f.cmp(&lower.as_str()))
        .ok()
        .and_then(|i| PAST.get(i))
        .map(|(_, base)| *base)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_is_sorted_and_has_no_form_twice() {
        assert!(
            PAST.windows(2).all(|w| w[0].0 < w[1].0),
            "sort PAST by form"
        );
    }

    #[test]
    fn strong_past_forms_of_verbs_have_their_base_and_nothing_else_changes() {
        assert_eq!(past("fled", "VBD"), Some("flee"));
        assert_eq!(past("Sought", "VBN"), Some("seek"));
        assert_eq!(past("left", "VBD"), Some("leave"));
        // Not a verb's past: "left" as an adjective, "fled" as a noun tag.
        assert_eq!(past("left", "JJ"), None);
        assert_eq!(past("entered", "VBD"), None);
    }
}
