//! The words the tagger knows: months, weekdays, numbers, calendar units, seasons,
//! parts of the day, and the function words its grammar turns on. Every word of the
//! text is classified once, case-insensitively, into a [`Lex`]; the grammar never
//! looks at raw text again except for capitalization.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A calendar unit, as in "three *years*", "last *week*", "the next *day*".
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum Unit {
    Second,
    Minute,
    Hour,
    Day,
    Weekend,
    Week,
    Month,
    Quarter,
    Half,
    Year,
    Decade,
    Century,
}

impl Unit {
    /// The TIMEX3 duration letter; time units go after a `T`.
    pub(crate) fn letter(self) -> (&'static str, bool) {
        match self {
            Unit::Second => ("S", true),
            Unit::Minute => ("M", true),
            Unit::Hour => ("H", true),
            Unit::Day => ("D", false),
            Unit::Weekend => ("WE", false),
            Unit::Week => ("W", false),
            Unit::Month => ("M", false),
            Unit::Quarter => ("Q", false),
            Unit::Half => ("H", false),
            Unit::Year => ("Y", false),
            Unit::Decade => ("DE", false),
            Unit::Century => ("CE", false),
        }
    }
}

/// A season, written as TIMEX3 writes it (`2002-SU`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum Season {
    Spring,
    Summer,
    Fall,
    Winter,
}

impl Season {
    pub(crate) fn code(self) -> &'static str {
        match self {
            Season::Spring => "SP",
            Season::Summer => "SU",
            Season::Fall => "FA",
            Season::Winter => "WI",
        }
    }
    /// The months a season covers in the northern hemisphere (winter starts in December).
    pub(crate) fn months(self) -> (u32, u32) {
        match self {
            Season::Spring => (3, 5),
            Season::Summer => (6, 8),
            Season::Fall => (9, 11),
            Season::Winter => (12, 2),
        }
    }
}

/// A part of the day, written as TIMEX3 writes it (`2002-05-10TMO`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum DayPart {
    Morning,
    Midday,
    Afternoon,
    Evening,
    Night,
}

impl DayPart {
    pub(crate) fn code(self) -> &'static str {
        match self {
            DayPart::Morning => "MO",
            DayPart::Midday => "MI",
            DayPart::Afternoon => "AF",
            DayPart::Evening => "EV",
            DayPart::Night => "NI",
        }
    }
}

/// Function words the grammar turns on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kw {
    The,
    A,
    Last,
    Next,
    This,
    That,
    Past,
    Coming,
    Following,
    Previous,
    Prior,
    Same,
    Ago,
    Earlier,
    Later,
    Early,
    Late,
    Mid,
    Middle,
    End,
    Beginning,
    Start,
    Of,
    In,
    On,
    For,
    From,
    To,
    Through,
    Until,
    Between,
    And,
    Or,
    Before,
    After,
    Every,
    Each,
    Per,
    Yesterday,
    Today,
    Tomorrow,
    Tonight,
    Now,
    Currently,
    Current,
    Recently,
    Recent,
    Future,
    Formerly,
    Previously,
    Soon,
    Daily,
    Weekly,
    Monthly,
    Annually,
    Yearly,
    Hourly,
    Quarterly,
    Fiscal,
    Latest,
    Several,
    Few,
    Couple,
    SomeWord,
    Nearly,
    About,
    Almost,
    Around,
    Over,
    Within,
    More,
    Less,
    Than,
    At,
    Least,
    Up,
    Old,
    Noon,
    Midnight,
    Overnight,
    Am,
    Pm,
    Zone,
    Christmas,
    Thanksgiving,
    Easter,
    Eve,
    New,
    Day,
    Independence,
    Election,
    Full,
    Period,
    Term,
    Near,
    Short,
    Long,
    These,
    Time,
    Its,
    Hundred,
    Thousand,
    Comparable,
    Corresponding,
    /// The "Q" of "Q3".
    QuarterLetter,
    /// The "FY" of "FY2013".
    FiscalYear,
    Since,
    By,
    During,
    Right,
    Twice,
    Once,
    Times,
    Other,
}

/// What one word of the text is, for the grammar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Lex {
    Other,
    /// Digits: value (saturating) and digit count.
    Num(u32, u8),
    /// January = 1; `abbr` for "Jan", "Sept".
    Month(u8, bool),
    /// Monday = 1 .. Sunday = 7; plural for "Tuesdays".
    Weekday(u8, bool),
    /// one .. ninety, "a dozen".
    NumWord(u32),
    /// first .. thirty-first.
    Ordinal(u32),
    /// A unit and whether it is plural ("years").
    Unit(Unit, bool),
    Season(Season),
    DayPart(DayPart),
    /// "1990s", "nineties": a decade's first year.
    Decades(u32),
    Kw(Kw),
    /// will, would, 'll, plans, expected: a future reading of a bare date.
    Future,
    /// said, was, were, had, -ed: a past reading.
    PastTense,
    /// An ordinal suffix after digits: st, nd, rd, th.
    OrdSuffix,
    /// One ASCII punctuation character.
    Punct(u8),
}

/// Classifies one word (ASCII letters only; anything else is `Other`).
pub(crate) fn classify(word: &[u8]) -> Lex {
    let mut buf = [0u8; 16];
    if word.len() > buf.len() {
        return if word.ends_with(b"ed") && !word[0].is_ascii_uppercase() {
            Lex::PastTense
        } else {
            Lex::Other
        };
    }
    let lower = &mut buf[..word.len()];
    for (d, s) in lower.iter_mut().zip(word) {
        *d = s.to_ascii_lowercase();
    }
    let lower: &[u8] = lower;
    use Kw::*;
    use Lex::Kw as K;
    match lower {
        b"january" => Lex::Month(1, false),
        b"february" => Lex::Month(2, false),
        b"march" => Lex::Month(3, false),
        b"april" => Lex::Month(4, false),
        b"may" => Lex::Month(5, false),
        b"june" => Lex::Month(6, false),
        b"july" => Lex::Month(7, false),
        b"august" => Lex::Month(8, false),
        b"september" => Lex::Month(9, false),
        b"october" => Lex::Month(10, false),
        b"november" => Lex::Month(11, false),
        b"december" => Lex::Month(12, false),
        b"jan" => Lex::Month(1, true),
        b"feb" => Lex::Month(2, true),
        b"mar" => Lex::Month(3, true),
        b"apr" => Lex::Month(4, true),
        b"jun" => Lex::Month(6, true),
        b"jul" => Lex::Month(7, true),
        b"aug" => Lex::Month(8, true),
        b"sep" | b"sept" => Lex::Month(9, true),
        b"oct" => Lex::Month(10, true),
        b"nov" => Lex::Month(11, true),
        b"dec" => Lex::Month(12, true),
        b"monday" => Lex::Weekday(1, false),
        b"tuesday" => Lex::Weekday(2, false),
        b"wednesday" => Lex::Weekday(3, false),
        b"thursday" => Lex::Weekday(4, false),
        b"friday" => Lex::Weekday(5, false),
        b"saturday" => Lex::Weekday(6, false),
        b"sunday" => Lex::Weekday(7, false),
        b"mondays" => Lex::Weekday(1, true),
        b"tuesdays" => Lex::Weekday(2, true),
        b"wednesdays" => Lex::Weekday(3, true),
        b"thursdays" => Lex::Weekday(4, true),
        b"fridays" => Lex::Weekday(5, true),
        b"saturdays" => Lex::Weekday(6, true),
        b"sundays" => Lex::Weekday(7, true),
        b"one" => Lex::NumWord(1),
        b"two" => Lex::NumWord(2),
        b"three" => Lex::NumWord(3),
        b"four" => Lex::NumWord(4),
        b"five" => Lex::NumWord(5),
        b"six" => Lex::NumWord(6),
        b"seven" => Lex::NumWord(7),
        b"eight" => Lex::NumWord(8),
        b"nine" => Lex::NumWord(9),
        b"ten" => Lex::NumWord(10),
        b"eleven" => Lex::NumWord(11),
        b"twelve" => Lex::NumWord(12),
        b"thirteen" => Lex::NumWord(13),
        b"fourteen" => Lex::NumWord(14),
        b"fifteen" => Lex::NumWord(15),
        b"sixteen" => Lex::NumWord(16),
        b"seventeen" => Lex::NumWord(17),
        b"eighteen" => Lex::NumWord(18),
        b"nineteen" => Lex::NumWord(19),
        b"twenty" => Lex::NumWord(20),
        b"thirty" => Lex::NumWord(30),
        b"forty" => Lex::NumWord(40),
        b"fifty" => Lex::NumWord(50),
        b"sixty" => Lex::NumWord(60),
        b"seventy" => Lex::NumWord(70),
        b"eighty" => Lex::NumWord(80),
        b"ninety" => Lex::NumWord(90),
        b"dozen" => Lex::NumWord(12),
        b"hundred" => K(Hundred),
        b"thousand" => K(Thousand),
        b"first" => Lex::Ordinal(1),
        b"second" => Lex::Ordinal(2),
        b"third" => Lex::Ordinal(3),
        b"fourth" => Lex::Ordinal(4),
        b"fifth" => Lex::Ordinal(5),
        b"sixth" => Lex::Ordinal(6),
        b"seventh" => Lex::Ordinal(7),
        b"eighth" => Lex::Ordinal(8),
        b"ninth" => Lex::Ordinal(9),
        b"tenth" => Lex::Ordinal(10),
        b"eleventh" => Lex::Ordinal(11),
        b"twelfth" => Lex::Ordinal(12),
        b"thirteenth" => Lex::Ordinal(13),
        b"fourteenth" => Lex::Ordinal(14),
        b"fifteenth" => Lex::Ordinal(15),
        b"sixteenth" => Lex::Ordinal(16),
        b"seventeenth" => Lex::Ordinal(17),
        b"eighteenth" => Lex::Ordinal(18),
        b"nineteenth" => Lex::Ordinal(19),
        b"twentieth" => Lex::Ordinal(20),
        b"thirtieth" => Lex::Ordinal(30),
        b"st" | b"nd" | b"rd" | b"th" => Lex::OrdSuffix,
        // Not "SEC", the agency.
        b"sec" | b"secs" if word[0].is_ascii_lowercase() => Lex::Unit(Unit::Second, true),
        b"seconds" => Lex::Unit(Unit::Second, true),
        b"minute" => Lex::Unit(Unit::Minute, false),
        b"minutes" | b"mins" => Lex::Unit(Unit::Minute, true),
        b"hour" => Lex::Unit(Unit::Hour, false),
        b"hours" | b"hrs" => Lex::Unit(Unit::Hour, true),
        b"day" => Lex::Unit(Unit::Day, false),
        b"days" => Lex::Unit(Unit::Day, true),
        b"weekend" => Lex::Unit(Unit::Weekend, false),
        b"weekends" => Lex::Unit(Unit::Weekend, true),
        b"week" => Lex::Unit(Unit::Week, false),
        b"weeks" => Lex::Unit(Unit::Week, true),
        b"fortnight" => Lex::Unit(Unit::Week, false),
        b"month" => Lex::Unit(Unit::Month, false),
        b"months" => Lex::Unit(Unit::Month, true),
        b"quarter" => Lex::Unit(Unit::Quarter, false),
        b"quarters" => Lex::Unit(Unit::Quarter, true),
        b"half" => Lex::Unit(Unit::Half, false),
        b"year" => Lex::Unit(Unit::Year, false),
        b"years" | b"yrs" => Lex::Unit(Unit::Year, true),
        b"decade" => Lex::Unit(Unit::Decade, false),
        b"decades" => Lex::Unit(Unit::Decade, true),
        b"century" => Lex::Unit(Unit::Century, false),
        b"centuries" => Lex::Unit(Unit::Century, true),
        b"spring" => Lex::Season(Season::Spring),
        b"summer" => Lex::Season(Season::Summer),
        b"fall" | b"autumn" => Lex::Season(Season::Fall),
        b"winter" => Lex::Season(Season::Winter),
        b"morning" => Lex::DayPart(DayPart::Morning),
        b"afternoon" => Lex::DayPart(DayPart::Afternoon),
        b"evening" => Lex::DayPart(DayPart::Evening),
        b"night" => Lex::DayPart(DayPart::Night),
        b"midday" => Lex::DayPart(DayPart::Midday),
        b"twenties" => Lex::Decades(20),
        b"thirties" => Lex::Decades(30),
        b"forties" => Lex::Decades(40),
        b"fifties" => Lex::Decades(50),
        b"sixties" => Lex::Decades(60),
        b"seventies" => Lex::Decades(70),
        b"eighties" => Lex::Decades(80),
        b"nineties" => Lex::Decades(90),
        b"the" => K(The),
        b"a" | b"an" => K(A),
        b"last" => K(Last),
        b"next" => K(Next),
        b"this" => K(This),
        b"that" => K(That),
        b"these" => K(These),
        b"past" => K(Past),
        b"coming" => K(Coming),
        b"following" => K(Following),
        b"previous" => K(Previous),
        b"prior" => K(Prior),
        b"same" => K(Same),
        b"ago" => K(Ago),
        b"earlier" => K(Earlier),
        b"later" => K(Later),
        b"early" => K(Early),
        b"late" => K(Late),
        b"mid" => K(Mid),
        b"middle" => K(Middle),
        b"end" => K(End),
        b"beginning" => K(Beginning),
        b"start" => K(Start),
        b"of" => K(Of),
        b"in" => K(In),
        b"on" => K(On),
        b"for" => K(For),
        b"from" => K(From),
        b"to" => K(To),
        b"through" | b"thru" => K(Through),
        b"until" | b"till" => K(Until),
        b"between" => K(Between),
        b"and" => K(And),
        b"or" => K(Or),
        b"before" => K(Before),
        b"after" => K(After),
        b"every" => K(Every),
        b"each" => K(Each),
        b"per" => K(Per),
        b"yesterday" => K(Yesterday),
        b"today" => K(Today),
        b"tomorrow" => K(Tomorrow),
        b"tonight" => K(Tonight),
        b"now" => K(Now),
        b"currently" => K(Currently),
        b"current" => K(Current),
        b"recently" => K(Recently),
        b"recent" => K(Recent),
        b"future" => K(Future),
        b"formerly" => K(Formerly),
        b"previously" => K(Previously),
        b"soon" => K(Soon),
        b"daily" => K(Daily),
        b"weekly" => K(Weekly),
        b"monthly" => K(Monthly),
        b"annually" => K(Annually),
        b"yearly" => K(Yearly),
        b"hourly" => K(Hourly),
        b"quarterly" => K(Quarterly),
        b"fiscal" => K(Fiscal),
        b"latest" => K(Latest),
        b"several" => K(Several),
        b"few" => K(Few),
        b"couple" => K(Couple),
        b"some" => K(SomeWord),
        b"nearly" => K(Nearly),
        b"about" => K(About),
        b"almost" => K(Almost),
        b"around" | b"approximately" | b"roughly" => K(Around),
        b"over" => K(Over),
        b"within" => K(Within),
        b"more" => K(More),
        b"less" | b"fewer" => K(Less),
        b"than" => K(Than),
        b"at" => K(At),
        b"least" => K(Least),
        b"up" => K(Up),
        b"old" => K(Old),
        b"noon" => K(Noon),
        b"midnight" => K(Midnight),
        b"overnight" => K(Overnight),
        b"am" => K(Am),
        b"pm" => K(Pm),
        b"edt" | b"est" | b"cdt" | b"cst" | b"mdt" | b"mst" | b"pdt" | b"pst" | b"gmt" | b"utc"
        | b"bst" | b"cet" | b"jst" | b"et" | b"pt" => K(Zone),
        b"christmas" => K(Christmas),
        b"thanksgiving" => K(Thanksgiving),
        b"easter" => K(Easter),
        b"eve" => K(Eve),
        b"new" => K(New),
        b"independence" => K(Independence),
        b"election" => K(Election),
        b"full" => K(Full),
        b"period" => K(Period),
        b"term" => K(Term),
        b"near" => K(Near),
        b"short" => K(Short),
        b"long" => K(Long),
        b"time" => K(Time),
        b"its" => K(Its),
        b"comparable" => K(Comparable),
        b"since" => K(Since),
        b"by" => K(By),
        b"during" => K(During),
        b"right" => K(Right),
        b"twice" => K(Twice),
        b"once" => K(Once),
        b"times" => K(Times),
        b"other" => K(Other),
        b"corresponding" => K(Corresponding),
        b"q" => K(QuarterLetter),
        b"fy" => K(FiscalYear),
        b"will" | b"would" | b"shall" | b"ll" | b"wo" | b"plans" | b"plan" | b"planned"
        | b"expects" | b"expected" | b"scheduled" | b"due" | b"going" | b"intends"
        | b"promised" | b"hopes" | b"aims" | b"planning" | b"slated" | b"upcoming" | b"expect"
        | b"expecting" | b"payable" => Lex::Future,
        b"was" | b"were" | b"had" | b"did" | b"met" | b"came" | b"went" | b"took" | b"made"
        | b"left" | b"began" | b"fell" | b"rose" | b"won" | b"lost" | b"held" | b"sent"
        | b"got" | b"gave" | b"found" | b"became" | b"said" | b"told" | b"saw" | b"spent"
        | b"paid" | b"sold" | b"bought" | b"brought" | b"thought" | b"kept" | b"led" | b"fled"
        | b"wrote" | b"spoke" | b"broke" | b"chose" | b"drove" | b"flew" | b"grew" | b"knew"
        | b"shot" | b"stood" | b"struck" | b"swore" | b"threw" | b"meant" | b"sought"
        | b"caught" | b"fought" | b"felt" | b"heard" | b"ran" | b"sat" | b"stole" | b"tore"
        | b"woke" | b"been" => Lex::PastTense,
        // "-ed" marks a past verb, but not in a name ("United States"), nor in
        // "succeed", "proceed", "indeed", "speed" or "sacred".
        b"indeed" | b"speed" | b"breed" | b"bleed" | b"greed" | b"sacred" | b"naked"
        | b"wicked" | b"hatred" | b"kindred" | b"shred" => Lex::Other,
        _ if lower.len() > 4
            && lower.ends_with(b"ed")
            && !lower.ends_with(b"ceed")
            && !word[0].is_ascii_uppercase() =>
        {
            Lex::PastTense
        }
        _ => Lex::Other,
    }
}

/// The value of a spelled number made of one or two number words
/// ("twenty", "twenty four"); the caller joins hyphenated pairs.
pub(crate) fn join_tens(tens: u32, unit: u32) -> Option<u32> {
    if tens >= 20 && tens.is_multiple_of(10) && (1..=9).contains(&unit) {
        Some(tens + unit)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_classified_case_insensitively() {
        assert_eq!(classify(b"MAY"), Lex::Month(5, false));
        assert_eq!(classify(b"Sept"), Lex::Month(9, true));
        assert_eq!(classify(b"wednesday"), Lex::Weekday(3, false));
        assert_eq!(classify(b"Years"), Lex::Unit(Unit::Year, true));
        assert_eq!(classify(b"ago"), Lex::Kw(Kw::Ago));
        assert_eq!(classify(b"occurred"), Lex::PastTense);
        assert_eq!(classify(b"will"), Lex::Future);
        assert_eq!(classify(b"zebra"), Lex::Other);
    }

    #[test]
    fn long_and_non_ascii_words_are_other() {
        assert_eq!(classify("décembre".as_bytes()), Lex::Other);
        assert_eq!(classify(b"supercalifragilistic"), Lex::Other);
    }

    #[test]
    fn tens_join_only_with_units() {
        assert_eq!(join_tens(20, 4), Some(24));
        assert_eq!(join_tens(20, 0), None);
        assert_eq!(join_tens(7, 4), None);
    }
}
