//! Hostile text of our own: markup that would run or restyle the page if it were
//! ever set as HTML, links that would leave it, characters that reorder or hide
//! text, one very long word. Every element a payload would make carries an id
//! starting `pwn` (or the class `pwn`), and every script it would run sets
//! `window.__pwned`, so the page can be searched for any trace of one.
//!
//! None has leading or trailing white space (titles are trimmed, which is not
//! what these tests are about) and none contains NUL (intake rejects it as
//! binary, which `intake`'s own tests cover).

/// The length of the long word (a title takes at most 300 characters, an import
/// cuts it, the form refuses it).
pub const LONG_WORD: usize = 100_000;

pub fn payloads() -> Vec<String> {
    let mut p: Vec<String> = [
        // Scripts and event handlers.
        "<script>window.__pwned=1</script>",
        "<script id=pwn2 src=/assets/x.js></script>",
        "<img id=pwn3 src=x onerror=\"window.__pwned=3\">",
        "<img src=x onerror=alert(4) class=pwn>",
        "\"><img id=pwn5 src=x onerror=window.__pwned=5>",
        "'><svg/onload=window.__pwned=6 id=pwn6>",
        "<body onload=window.__pwned=7 id=pwn7>",
        "<details open ontoggle=window.__pwned=8 id=pwn8>x</details>",
        "<input autofocus onfocus=window.__pwned=9 id=pwn9>",
        "<video id=pwn10><source onerror=window.__pwned=10></video>",
        "</span></div><b id=pwn11>broke out of the row</b><div><span>",
        "<noscript><p title=\"</noscript><img id=pwn12 src=x onerror=window.__pwned=12>\">",
        "<math><mtext><table><mglyph><style><img id=pwn13 src=x onerror=window.__pwned=13>",
        "<template id=pwn14><img src=x onerror=window.__pwned=14></template>",
        "<xmp><b id=pwn15>xmp</b></xmp>",
        "<plaintext id=pwn16>everything after is text",
        "<!-- a comment --><i id=pwn17>after a comment</i>",
        "<![CDATA[<b id=pwn18>cdata</b>]]>",
        "<marquee id=pwn19>moving</marquee>",
        // SVG.
        "<svg id=pwn20 onload=\"window.__pwned=20\"><circle r=9/></svg>",
        "<svg><script id=pwn21>window.__pwned=21</script></svg>",
        "<svg><a id=pwn22 href=\"javascript:window.__pwned=22\"><text>x</text></a></svg>",
        "<svg><animate id=pwn23 onbegin=window.__pwned=23 attributeName=x dur=1s>",
        // javascript: and other URLs.
        "javascript:window.__pwned=24",
        "JaVaScRiPt:alert(25)",
        " javascript:alert(26)".trim_start(),
        "<a id=pwn27 href=\"javascript:window.__pwned=27\">click me</a>",
        "<a id=pwn28 href=\"https://example.com/\" target=_blank>leave</a>",
        "data:text/html,<script>window.__pwned=29</script>",
        "<iframe id=pwn30 src=\"javascript:window.top.__pwned=30\"></iframe>",
        "<iframe id=pwn31 srcdoc=\"<script>parent.__pwned=31</script>\"></iframe>",
        "<object id=pwn32 data=\"javascript:window.__pwned=32\"></object>",
        "<embed id=pwn33 src=\"data:text/html,<script>alert(33)</script>\">",
        "<form id=pwn34 action=\"https://example.com/\"><button>go</button></form>",
        "<meta id=pwn35 http-equiv=refresh content=\"0;url=https://example.com/\">",
        "<base id=pwn36 href=\"https://example.com/\">",
        "<link id=pwn37 rel=stylesheet href=\"https://example.com/x.css\">",
        // CSS.
        "<style id=pwn38>body{display:none}</style>",
        "</style><style class=pwn>*{color:red!important}</style>",
        "<div id=pwn40 style=\"position:fixed;inset:0;background:red\">cover</div>",
        "x{background:url(javascript:alert(41))} expression(alert(41))",
        // Entities and encodings.
        "&lt;b id=pwn42&gt;escaped once&lt;/b&gt;",
        "&amp;lt;script&amp;gt;window.__pwned=43&amp;lt;/script&amp;gt;",
        "&#60;img id=pwn44 src=x onerror=alert(44)&#62;",
        "&#x3C;svg id=pwn45 onload=alert(45)&#x3E; &nbsp; &copy; &bogus;",
        "%3Cscript%3Ewindow.__pwned=46%3C/script%3E",
        "\\u003cimg id=pwn47 src=x onerror=alert(47)\\u003e",
        // Template-looking text.
        "{{x}} {{constructor.constructor('window.__pwned=48')()}}",
        "${x} ${alert(49)} `${document.cookie}`",
        "{@html '<b id=pwn50>svelte</b>'} {#if true}x{/if}",
        "<%= 7*7 %> #{7*7} [[x]] {% raw %}",
        // Bidi overrides, invisible and control characters.
        "\u{202E}gnp.exe\u{202C} invoice \u{202D}forced left\u{202C}",
        "\u{2066}isolated\u{2069} \u{2067}rtl\u{2069} \u{200F}mark\u{200E}",
        "zero\u{200B}width\u{200C}non\u{200D}joiner\u{2060}word\u{FEFF}joiner",
        "bell\u{7} back\u{8}space esc\u{1b}[31mred\u{1b}[0m tab\tend",
        "c1\u{85}next\u{9b}31m csi \u{1}\u{1f}\u{7f} del",
        "line\u{2028}separator\u{2029}paragraph",
        "Z\u{351}\u{36b}\u{343}a\u{363}l\u{354}g\u{311}o stacked marks",
        "مرحبا <b id=pwn60>عالم</b> שלום",
        "astral 😀 \u{1F468}\u{200D}\u{1F469}\u{200D}\u{1F467} \u{1D54F} surrogates",
        // Quotes that would close an attribute or a string.
        "\"; window.__pwned=62; // ' onmouseover='window.__pwned=62",
        "</textarea><script>window.__pwned=63</script>",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    // One word of 100,000 characters, and one of markup-looking characters.
    p.push("W".repeat(LONG_WORD));
    p.push("<b>&".repeat(LONG_WORD / 4));
    p
}

#[test]
fn there_are_at_least_fifty_payloads_none_trimmable_and_none_with_nul() {
    let p = payloads();
    assert!(p.len() >= 50, "{}", p.len());
    for s in &p {
        assert_eq!(s.trim(), s, "{s:?}");
        assert!(!s.contains('\0'), "{s:?}");
    }
}
