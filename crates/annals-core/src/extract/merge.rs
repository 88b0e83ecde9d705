//! One proposal per incident: the same act told in several sentences (or by
//! several reports) becomes one event with every sentence as a source.

use std::collections::HashMap;

use crate::event::EventKind;

use super::{sorted, Extra, Proposal, ProposalSource};

/// Kinds that are someone saying something: each speaker's is its own event.
fn is_speech(kind: EventKind) -> bool {
    matches!(kind, EventKind::Statement | EventKind::Protest)
}

/// One proposal per incident: same kind, date and mission (or both none), and
/// overlapping countries (and, when either date is carried over from another
/// paragraph, a mission, and not two things said); every source kept, the title
/// of the first reading that states the date kept. Each proposal comes with
/// whether its date was carried over from another paragraph.
pub(super) fn merge(proposals: Vec<(Proposal, Extra)>) -> Vec<Proposal> {
    let mut out: Vec<(Proposal, Extra)> = Vec::new();
    let mut generic: Vec<Proposal> = Vec::new();
    // Proposals of one kind and span, in order: only they can merge (a long
    // article has thousands of proposals; comparing each with all is quadratic).
    let mut by_key: HashMap<(&'static str, i64, i64), Vec<usize>> = HashMap::new();
    for (p, extra) in proposals {
        if extra.generic {
            generic.push(p);
            continue;
        }
        let p_far = extra.far;
        let p_speaker = extra.speaker;
        let key = (p.kind.as_str(), p.date.lo(), p.date.hi());
        let bucket = by_key.entry(key).or_default();
        let same = bucket.iter().copied().find(|&i| {
            let (q, qx) = &out[i];
            let q_far = &qx.far;
            q.kind == p.kind
                && q.date == p.date
                && q.background == p.background
                // One act of the day told with its mission and without ("police
                // dragged the two men away") is one act.
                && match (&q.mission, &p.mission) {
                    (Some(a), Some(b)) => a.same(b),
                    (None, None) => true,
                    _ => !(*q_far || p_far) || !is_speech(p.kind),
                }
                // Two people saying things are two statements.
                && (!is_speech(p.kind)
                    || qx.speaker.is_none()
                    || p_speaker.is_none()
                    || qx.speaker == p_speaker)
                && (q.countries.is_empty()
                    || p.countries.is_empty()
                    || q.countries.iter().any(|c| p.countries.contains(c)))
                // A date carried over from another paragraph is an assumption,
                // not evidence that two reports are one incident: then the
                // mission must say so, and two things said are two things said.
                && (!(*q_far || p_far) || (!is_speech(p.kind) && q.mission.is_some()))
        });
        match same {
            Some(i) => {
                let (q, qx) = &mut out[i];
                qx.far &= p_far;
                if q.mission.is_none() {
                    q.mission = p.mission.clone();
                    q.city = p.city.clone();
                    q.country = p.country.clone();
                }
                // One reading's title and evidence; each retelling counts as
                // evidence of its own.
                let retold = q.evidence.retold.saturating_add(p.evidence.retold + 1);
                // The title of a reading whose sentence states the date beats
                // one that carried it over; between equals, the first told (a
                // report tells its news first). Not the surer by confidence:
                // then refitting the confidence would change what is proposed,
                // and the weights would choose part of what they are fitted on.
                let better = p.evidence.stated && !q.evidence.stated;
                if better {
                    q.title = p.title.clone();
                    q.evidence = p.evidence;
                }
                q.evidence.retold = retold;
                q.confidence = super::confidence::confidence(&q.evidence);
                q.countries = sorted(q.countries.iter().chain(&p.countries).cloned().collect());
                add_sources(q, p.sources);
            }
            None => {
                bucket.push(out.len());
                out.push((
                    p,
                    Extra {
                        far: p_far,
                        generic: false,
                        speaker: p_speaker,
                    },
                ));
            }
        }
    }
    let mut out: Vec<Proposal> = out.into_iter().map(|(p, _)| p).collect();
    // The first source is the sentence that states the date, where one does.
    for p in &mut out {
        p.sources.sort_by_key(|s| s.carried);
    }
    // "Wednesday's incident at the consulate": a source of the act told of the
    // same day at the same mission, if there is one; else an event of its own.
    for g in generic {
        let act = out.iter().position(|q| {
            q.date == g.date
                && !q.background
                && matches!((&q.mission, &g.mission), (Some(a), Some(b)) if a.same(b))
        });
        match act {
            Some(i) => add_sources(&mut out[i], g.sources),
            None => out.push(g),
        }
    }
    out
}

/// Adds the sources `p` does not have yet (same sentence and date expression).
fn add_sources(p: &mut Proposal, sources: Vec<ProposalSource>) {
    for s in sources {
        if !p
            .sources
            .iter()
            .any(|o| o.sentence_start == s.sentence_start && o.timex == s.timex)
        {
            p.sources.push(s);
        }
    }
}
