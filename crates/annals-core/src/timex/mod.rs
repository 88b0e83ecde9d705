//! The temporal tagger: finds date and time expressions in English news text and
//! normalizes them as TIMEX3 values. (Being written; see issue 3.)
