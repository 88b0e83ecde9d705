//! One predicate read as an event: its kind, title, place, mission and parties
//! from the predicate's own words, made into a proposal with its source.

use super::*;

/// What one sentence offers every event read in it.
pub(super) struct Context<'a, F: Fn(usize) -> usize> {
    pub(super) text: &'a str,
    pub(super) sentence: &'a Sentence,
    pub(super) places: &'a [&'a Mention],
    pub(super) missions: &'a [&'a MissionRef],
    /// Character offset in the text to byte offset.
    pub(super) byte: &'a F,
}

/// One predicate read as an event.
pub(super) struct Reading<'a, 'w> {
    pub(super) tree: &'a Tree<'w>,
    pub(super) pred: usize,
    /// The child of the predicate that holds its date: no place is read there.
    pub(super) skip: Option<usize>,
    pub(super) timex: (usize, &'a Timex),
    /// For a date carried over from the discourse: whether from the paragraph.
    pub(super) carried: Option<bool>,
    pub(super) planned: bool,
    pub(super) hidden: &'a [bool],
    pub(super) antecedent: Option<(&'a str, bool)>,
    pub(super) paragraph_mission: Option<&'a MissionRef>,
    /// The mission named last in the article before this sentence.
    pub(super) recent_mission: Option<&'a MissionRef>,
    /// The kind and mission of the act told before in the sentence.
    pub(super) before: Option<(EventKind, &'a Option<MissionRef>)>,
}

/// Nouns for a mission's premises, which "the ..." makes the one in question.
const SITE_NOUNS: &[&str] = &[
    "embassy",
    "consulate",
    "legation",
    "chancery",
    "residence",
    "mission",
    "bureau",
    "compound",
    "building",
    "premises",
];

/// The premises noun among the predicate's own subject, object and obliques
/// when it is definite and bare ("the embassy", "the compound"; not "the
/// French embassy", not "a building"), outside the phrase holding the date.
fn definite_site(tree: &Tree, pred: usize, skip: Option<usize>) -> Option<&'static str> {
    tree.children(pred)
        .iter()
        .copied()
        .filter(|&c| Some(c) != skip)
        .filter(|&c| {
            matches!(
                tree.base(c),
                "nsubj" | "obj" | "obl" | "nsubj:pass" | "iobj"
            )
        })
        .find_map(|c| {
            let lemma = tree.lemma(c).to_lowercase();
            let noun = SITE_NOUNS.iter().copied().find(|&n| n == lemma)?;
            let kids = tree.children(c);
            let definite = kids
                .iter()
                .any(|&k| tree.base(k) == "det" && tree.lemma(k).eq_ignore_ascii_case("the"));
            let bare = !kids
                .iter()
                .any(|&k| matches!(tree.base(k), "amod" | "compound" | "nmod" | "nummod"));
            (definite && bare).then_some(noun)
        })
}

/// Whether "the `noun`" can be a mission of this kind: "the consulate" is no
/// embassy; "the building" is any.
fn site_fits(noun: &str, kind: MissionKind) -> bool {
    match noun {
        "embassy" | "legation" | "chancery" => kind == MissionKind::Embassy,
        "consulate" => matches!(kind, MissionKind::Consulate | MissionKind::ConsulateGeneral),
        _ => true,
    }
}

/// Nouns for people who entered a mission to ask for asylum.
const SEEKERS: &[&str] = &["seeker", "asylum-seeker", "refugee", "defector"];

impl<F: Fn(usize) -> usize> Context<'_, F> {
    /// People seeking asylum at missions the sentence names ("asylum-seekers at
    /// the U.S. and German embassies"): each noun with each mission in the
    /// phrase it heads.
    pub(super) fn seekers(&self, tree: &Tree) -> Vec<(usize, MissionRef)> {
        let s = self.sentence;
        let words = tree.words;
        let mut out: Vec<(usize, MissionRef)> = Vec::new();
        for n in 0..tree.len() {
            if words[n].upos != "NOUN" || !SEEKERS.contains(&tree.lemma(n).as_str()) {
                continue;
            }
            let phrase = tree.subtree(n);
            let (Some(&first), Some(&last)) = (phrase.first(), phrase.last()) else {
                continue;
            };
            let a = (self.byte)(s.start + words[first].start);
            let b = (self.byte)(s.start + words[last].end);
            for m in self.missions.iter().filter(|m| m.start >= a && m.start < b) {
                if !out.iter().any(|(_, o)| o.same(m)) {
                    out.push((n, (*m).clone()));
                }
            }
        }
        out
    }

    /// The proposal for a reading: kind, title, place and parties from the
    /// predicate's own words.
    pub(super) fn proposal(&self, r: &Reading) -> Option<(Proposal, Extra)> {
        let s = self.sentence;
        let tree = r.tree;
        let words = tree.words;
        // The byte spans of the predicate's phrase, less the part that dates it.
        let mut role = vec![false; tree.len()];
        for i in tree.subtree(r.pred) {
            role[i] = true;
        }
        // And the words right after it up to the next comma, which the tree may
        // have hung elsewhere: an English verb's object and place follow it.
        if !matches!(words[r.pred].upos, "NOUN" | "PROPN") {
            for i in r.pred + 1..tree.len() {
                if words[i].upos == "PUNCT" && words[i].form != "-" || words[i].upos == "VERB" {
                    break;
                }
                role[i] = true;
            }
        }
        if let Some(skip) = r.skip {
            for i in tree.subtree(skip) {
                role[i] = false;
            }
        }
        // The parties: every country the predicate's phrase names, its other
        // clauses included ("urging Beijing not to repatriate North Koreans").
        let party_role = role.clone();
        // Another clause is another event: "fled Iran and was admitted to a New
        // York hospital" did not flee in New York, and what "said" reports did
        // not happen where it was said. But "climbed a wall and entered the
        // consulate" is one act told in two verbs: a coordinated verb counts
        // when the predicate's own words name no place.
        let speech = kind::SPEECH.contains(&tree.lemma(r.pred).as_str());
        let mut conjoined = Vec::new();
        for &c in tree.children(r.pred) {
            let clause = matches!(words[c].upos, "VERB" | "AUX")
                && match tree.base(c) {
                    "conj" | "advcl" | "parataxis" => true,
                    "ccomp" => speech,
                    _ => false,
                };
            if clause {
                for i in tree.subtree(c) {
                    if role[i] && tree.base(c) == "conj" {
                        conjoined.push(i);
                    }
                    role[i] = false;
                }
            }
        }
        let names_a_place = |role: &[bool]| {
            let spans: Vec<(usize, usize)> = (0..tree.len())
                .filter(|&i| role[i])
                .map(|i| {
                    (
                        (self.byte)(s.start + words[i].start),
                        (self.byte)(s.start + words[i].end),
                    )
                })
                .collect();
            let within = |a: usize, b: usize| spans.iter().any(|&(x, y)| a < y && x < b);
            self.places.iter().any(|m| within(m.start, m.end))
                || self.missions.iter().any(|m| within(m.start, m.end))
        };
        // (Where, not who: "two North Koreans" names a country, not a place.)
        let mut where_words = role.clone();
        if let Some(subject) = tree.subject(r.pred) {
            for i in tree.subtree(subject) {
                where_words[i] = false;
            }
        }
        if !conjoined.is_empty() && !names_a_place(&where_words) {
            for i in conjoined {
                role[i] = true;
            }
        }
        let spans_of = |role: &[bool]| -> Vec<(usize, usize)> {
            (0..tree.len())
                .filter(|&i| role[i])
                .map(|i| {
                    (
                        (self.byte)(s.start + words[i].start),
                        (self.byte)(s.start + words[i].end),
                    )
                })
                .collect()
        };
        let spans = spans_of(&role);
        let within = |a: usize, b: usize| spans.iter().any(|&(x, y)| a < y && x < b);
        let role_places: Vec<&Mention> = self
            .places
            .iter()
            .copied()
            .filter(|m| within(m.start, m.end))
            .collect();
        let party_spans = spans_of(&party_role);
        let party_places: Vec<&Mention> = self
            .places
            .iter()
            .copied()
            .filter(|m| party_spans.iter().any(|&(x, y)| m.start < y && x < m.end))
            .collect();
        let own_mission = self
            .missions
            .iter()
            .find(|m| within(m.start, m.end))
            .map(|m| (*m).clone());
        let mut kind = kind::kind_of(
            tree,
            r.pred,
            own_mission.is_some() || !role_places.is_empty(),
        );
        // "with a third man following suit the next day": the act told before it
        // in the sentence, at its mission.
        let follows = tree.lemma(r.pred) == "follow"
            && words
                .get(r.pred + 1)
                .is_some_and(|w| w.form.eq_ignore_ascii_case("suit"));
        let mut own_mission = own_mission;
        if let Some((k, m)) = r.before.filter(|_| follows) {
            kind = k;
            own_mission = own_mission.or_else(|| m.clone());
        }
        let generic = kind == EventKind::Other
            && matches!(words[r.pred].upos, "NOUN" | "PROPN")
            && kind::is_generic_event(&tree.lemma(r.pred));
        // A sentence naming no mission of its own goes on about its paragraph's,
        // for the acts that happen at missions.
        let mission = own_mission
            .or_else(|| {
                matches!(
                    kind,
                    EventKind::Entry | EventKind::Removal | EventKind::Arrest
                )
                .then(|| r.paragraph_mission.cloned())
                .flatten()
            })
            // "stormed the building", "the embassy was seized": a definite
            // noun for a mission's premises names the one the article spoke of.
            .or_else(|| {
                let noun = definite_site(tree, r.pred, r.skip)?;
                r.recent_mission
                    .filter(|m| site_fits(noun, m.kind))
                    .cloned()
            });
        let countries = involved(&party_places, mission.as_ref());
        let (city, country) = place_of(&role_places, mission.as_ref());
        let (k, t) = r.timex;
        // The phrase that holds the date ("on the same day as the incident at
        // the consulate") tells when, not what: the title leaves it out.
        let mut hidden = r.hidden.to_vec();
        if let Some(skip) = r
            .skip
            .filter(|&k| matches!(tree.base(k), "obl" | "nmod" | "advmod"))
        {
            for i in tree.subtree(skip) {
                hidden[i] = true;
            }
        }
        let (title, content, well_formed) =
            title::Title::build_checked(tree, r.pred, &hidden, r.antecedent);
        // A reading whose title is a fragment is a reading the tree does not
        // support: no headline, no proposal. ("Wednesday's incident" shows no
        // title: it only lends its sentence to the act it points at.)
        if !well_formed && !generic {
            return None;
        }
        // A saying whose tree hides what was said ("said by phone Friday that
        // ...", which the parser may hang on the date): the words after it, as
        // far as a title may go.
        // A saying that still says nothing ("He added", "Baker told
        // reporters", what was said told before it) is no headline.
        let title = if kind == EventKind::Statement && !content {
            let room = title::MAX_CHARS.saturating_sub(title.chars().count() + 1);
            match said_after(tree, r.pred, r.hidden, room) {
                Some(rest) => format!("{title} {rest}"),
                None if kind::SPEECH.contains(&tree.lemma(r.pred).as_str()) => {
                    // What was said told first ("Ministries were informed
                    // shortly before, Baker told reporters today"): its own
                    // headline after the speaker's.
                    let said = said_before(tree, r.pred)?;
                    // Only a speaker the tree is sure of (a name or a noun,
                    // not "26 pct" left over from a broken parse), and what
                    // was said opening on its own subject.
                    let speaker = tree.subject(r.pred)?;
                    let sure = matches!(words[speaker].upos, "PROPN" | "NOUN")
                        && !tree
                            .subtree(speaker)
                            .iter()
                            .any(|&i| words[i].upos == "NUM");
                    let opens = tree.subject(said).is_some_and(|s| {
                        tree.subtree(s).first().copied() == first_shown(tree, said)
                    });
                    let (what, _, whole) =
                        title::Title::build_checked(tree, said, &hidden, r.antecedent);
                    // The speaker's words open the title ("Possibly as early
                    // Pentagon officials said" does not), and what was said
                    // does not open on a verb ("Were 4.4 pct").
                    let first = |t: &str| t.split_whitespace().next().unwrap_or("").to_lowercase();
                    let speaker_first = tree
                        .subtree(speaker)
                        .into_iter()
                        .find(|&i| words[i].upos != "PUNCT")
                        .map(|i| words[i].form.to_lowercase());
                    let on_speaker = speaker_first.is_some_and(|f| f == first(&title));
                    let on_verb = matches!(
                        first(&what).as_str(),
                        "is" | "was" | "were" | "are" | "be" | "been" | "has" | "have" | "had"
                    ) || what.starts_with('\'');
                    let joined = format!("{title}: {what}");
                    if !(sure && opens && whole && on_speaker) || on_verb {
                        return None;
                    }
                    if joined.chars().count() > title::MAX_CHARS + 30 {
                        return None;
                    }
                    joined
                }
                None => title,
            }
        } else {
            title
        };
        let title = if title.split_whitespace().count() < 2 {
            // Never a bare word: the sentence's own start, cut to size.
            shorten(self.sentence.text(self.text))
        } else {
            title
        };
        let date = t
            .date
            .unwrap_or_else(|| unreachable!("only dated expressions date events"));
        let evidence = Evidence {
            stated: r.carried.is_none(),
            carried_near: r.carried == Some(true),
            mission: mission.is_some(),
            speech: matches!(kind, EventKind::Statement | EventKind::Protest),
            absolute: t.anchor == Anchor::Absolute,
            planned: r.planned,
            derived: false,
            retold: 0,
            verb: words[r.pred].upos == "VERB",
            past: mood::past(tree, r.pred),
            perfect: confidence::is_perfect(tree, r.pred),
            coarse: confidence::is_coarse(&date),
            deictic: confidence::is_deictic(t),
            long: words.len() > confidence::LONG_SENTENCE,
        };
        let trigger = TextSpan {
            start: (s.start + words[r.pred].start) as u32,
            end: (s.start + words[r.pred].end) as u32,
        };
        let sent = s.text(self.text);
        let mut source = source(s, sent, k, t, r.carried.is_some());
        source.trigger = Some(trigger);
        Some((
            Proposal {
                title,
                kind,
                date,
                countries,
                mission,
                city,
                country,
                confidence: confidence::confidence(&evidence),
                evidence,
                background: false,
                planned: r.planned,
                sources: vec![source],
            },
            Extra {
                far: r.carried == Some(false),
                generic,
                speaker: tree.subject(r.pred).map(|s| tree.lemma(s)),
            },
        ))
    }
}

/// The act of an earlier proposal of the sentence happening again on a date
/// counted from its own: the clause that holds the date (from the last comma
/// before it) is the title, its verb the trigger.
pub(super) fn repeated(
    first: &(Proposal, Extra),
    tree: &Tree,
    hidden: &[bool],
    sent: &str,
    (k, t): (usize, &Timex),
    s: &Sentence,
    at: usize,
) -> (Proposal, Extra) {
    let words = tree.words;
    let clause_start = (0..words.len())
        .rev()
        .find(|&i| words[i].end <= at && words[i].form == ",")
        .map_or(0, |i| i + 1);
    let clause: Vec<usize> = (clause_start..words.len())
        .filter(|&i| words[i].start < at && !hidden[i] && words[i].upos != "PUNCT")
        .skip_while(|&i| matches!(words[i].upos, "ADP" | "SCONJ" | "CCONJ"))
        .collect();
    let title = {
        let text = tree.text_of(&clause);
        let mut chars = text.chars();
        match chars.next() {
            Some(c) => c.to_uppercase().chain(chars).collect::<String>(),
            None => first.0.title.clone(),
        }
    };
    let trigger = clause
        .iter()
        .find(|&&i| words[i].upos == "VERB")
        .map(|&i| TextSpan {
            start: (s.start + words[i].start) as u32,
            end: (s.start + words[i].end) as u32,
        });
    let mut source = source(s, sent, k, t, false);
    source.trigger = trigger;
    let mut p = first.0.clone();
    p.title = title;
    p.date = t.date.unwrap_or(p.date);
    p.evidence.derived = true;
    p.evidence.coarse = confidence::is_coarse(&p.date);
    p.evidence.deictic = confidence::is_deictic(t);
    p.confidence = confidence::confidence(&p.evidence);
    p.sources = vec![source];
    (p, first.1.clone())
}

/// The words after a speech verb, from its "that" or first content word to the
/// next comma or the end, without the date phrase, in at most `room`
/// characters; `None` when fewer than two words.
/// The first word of a clause's own words, past its punctuation and
/// conjunctions ("But", "and").
fn first_shown(tree: &Tree, pred: usize) -> Option<usize> {
    tree.subtree(pred)
        .into_iter()
        .find(|&i| !matches!(tree.words[i].upos, "PUNCT" | "CCONJ" | "SCONJ"))
}

/// The predicate of what a saying reports when it is told before the saying:
/// the clause the tree gives it as a complement before it, or the clause the
/// saying is set beside ("..., Baker told reporters").
fn said_before(tree: &Tree, pred: usize) -> Option<usize> {
    let before = tree
        .children(pred)
        .iter()
        .copied()
        .find(|&c| c < pred && matches!(tree.base(c), "ccomp" | "parataxis"));
    // (The parser may call such a saying an adverbial clause; one without a
    // subordinator is none.)
    let beside = tree.base(pred) == "parataxis"
        || (tree.base(pred) == "advcl" && tree.child(pred, &["mark"]).is_none());
    before.or_else(|| {
        tree.head(pred)
            .filter(|&h| h < pred && beside)
            .filter(|&h| tree.words[h].upos == "VERB")
    })
}

fn said_after(tree: &Tree, pred: usize, hidden: &[bool], room: usize) -> Option<String> {
    let words = tree.words;
    let mut ids = Vec::new();
    let mut used = 0;
    for (i, w) in words.iter().enumerate().skip(pred + 1) {
        if matches!(w.form.as_str(), "," | ";" | ".") {
            if ids.is_empty() {
                continue;
            }
            break;
        }
        if hidden.get(i).copied().unwrap_or(false) || w.upos == "PUNCT" {
            continue;
        }
        // The date's preposition and the audience before what was said.
        if ids.is_empty()
            && matches!(w.upos, "ADP" | "NOUN" | "PRON")
            && !w.form.eq_ignore_ascii_case("that")
        {
            continue;
        }
        used += w.form.chars().count() + 1;
        if used > room + 1 {
            break;
        }
        ids.push(i);
    }
    // Never end on a word that leads on.
    while ids.last().is_some_and(|&i| {
        matches!(
            words[i].upos,
            "ADP" | "DET" | "CCONJ" | "SCONJ" | "AUX" | "PART"
        )
    }) {
        ids.pop();
    }
    (ids.len() >= 2).then(|| tree.text_of(&ids))
}

/// The first words of a sentence, at most [`title::MAX_CHARS`] characters, cut
/// at a word.
fn shorten(sentence: &str) -> String {
    let mut out = String::new();
    for w in sentence.split_whitespace() {
        if out.chars().count() + w.chars().count() + 1 > title::MAX_CHARS {
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    if out.is_empty() {
        out = sentence.chars().take(title::MAX_CHARS).collect();
    }
    out.trim_end_matches([',', '.', ';', ':']).to_string()
}

/// Countries the sentence names, and the mission's sender and host.
fn involved(places: &[&Mention], mission: Option<&MissionRef>) -> Vec<String> {
    let mut v: Vec<String> = places.iter().map(|m| m.country.to_string()).collect();
    if let Some(m) = mission {
        v.extend(m.country.map(String::from));
        v.extend(m.host.map(String::from));
    }
    sorted(v)
}

/// Where it happened: the mission's city, else the first city the sentence names.
fn place_of(places: &[&Mention], mission: Option<&MissionRef>) -> (Option<String>, Option<String>) {
    if let Some(m) = mission {
        if m.host.is_some() {
            return (m.city.map(String::from), m.host.map(String::from));
        }
    }
    match places
        .iter()
        .find(|m| matches!(m.kind, PlaceKind::City { .. }))
    {
        Some(c) => (c.city.map(String::from), Some(c.country.to_string())),
        None => (None, None),
    }
}
