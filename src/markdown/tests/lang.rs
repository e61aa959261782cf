//! Phrases in another language: `[text]{lang=de}`.

use super::{blocks, errors, ok, t};
use crate::model::{BlockKind, Inline, InlineKind, Language, Span};

fn lang(tag: &str, content: Vec<Inline>) -> Inline {
    Inline::from(InlineKind::Lang {
        lang: Language(tag.into()),
        content,
    })
}

fn para(md: &str) -> Vec<Inline> {
    match blocks(md).into_iter().next().map(|b| b.kind) {
        Some(BlockKind::Paragraph(inlines)) => inlines,
        other => panic!("{md:?} gave {other:?}"),
    }
}

#[test]
fn a_bracketed_phrase_with_lang_is_a_phrase_in_that_language() {
    assert_eq!(
        para("a [Straße]{lang=de} b"),
        vec![t("a "), lang("de", vec![t("Straße")]), t(" b")]
    );
    assert_eq!(
        para("[*Weg*]{lang=\"de-AT\"}."),
        vec![
            lang(
                "de-AT",
                vec![Inline::from(InlineKind::Emphasis(vec![t("Weg")]))]
            ),
            t(".")
        ]
    );
}

#[test]
fn nested_brackets_links_and_line_breaks_inside() {
    assert_eq!(
        para("[und [x] dann]{lang=de}"),
        vec![lang("de", vec![t("und [x] dann")])]
    );
    assert_eq!(
        para("[[Rue](https://example.org) Nord]{lang=fr}"),
        vec![lang(
            "fr",
            vec![
                Inline::from(InlineKind::Link {
                    url: "https://example.org".into(),
                    content: vec![t("Rue")]
                }),
                t(" Nord")
            ]
        )]
    );
    assert_eq!(para("[a\nb]{lang=fr}"), vec![lang("fr", vec![t("a b")])]);
    // Phrases inside phrases.
    assert_eq!(
        para("[ein [mot]{lang=fr} hier]{lang=de}"),
        vec![lang(
            "de",
            vec![t("ein "), lang("fr", vec![t("mot")]), t(" hier")]
        )]
    );
}

#[test]
fn brackets_that_are_not_phrases_stay_text() {
    for (md, text) in [
        ("\\[x]{lang=de}", "[x]{lang=de}"),
        ("[x] {lang=de}", "[x] {lang=de}"),
        ("[x]{lang=de", "[x]{lang=de"),
        ("[x]{class=y}", "[x]{class=y}"),
        ("[x", "[x"),
        ("a ] b", "a ] b"),
        ("[a *b] c*", "[a "),
        ("\\\\[x]{lang=de}", "\\"),
    ] {
        let got = Inline::plain_text(&para(md));
        assert!(got.starts_with(text), "{md:?} gave {got:?}");
    }
    // An escaped backslash before the bracket leaves the bracket unescaped.
    assert_eq!(
        para("\\\\[x]{lang=de}"),
        vec![t("\\"), lang("de", vec![t("x")])]
    );
    // Emphasis that crosses the bracket: the brackets are text, the emphasis stays.
    let crossing = para("[a *b] c*");
    assert!(
        crossing
            .iter()
            .any(|i| matches!(i.kind, InlineKind::Emphasis(_))),
        "{crossing:?}"
    );
    assert_eq!(Inline::plain_text(&crossing), "[a b] c");
    // A link reference definition makes `[x]` a link; the attributes stay text.
    let linked = para("[x]: https://example.org\n\n[x]{lang=de}");
    assert!(
        matches!(linked[0].kind, InlineKind::Link { .. }),
        "{linked:?}"
    );
}

#[test]
fn a_phrase_keeps_its_span_and_a_bad_tag_is_an_error_at_its_place() {
    let parsed = ok("Say [Weltschmerz]{lang=de}.");
    let BlockKind::Paragraph(inlines) = &parsed.blocks[0].kind else {
        panic!()
    };
    assert_eq!(inlines[1].span, Span::new(4, 26));
    let InlineKind::Lang { content, .. } = &inlines[1].kind else {
        panic!("{inlines:?}")
    };
    assert_eq!(content[0].span, Span::new(5, 16));

    let e = errors("Line one.\n\nSay [Wort]{lang=de_DE} here.", 3);
    assert_eq!(e.len(), 1, "{e:?}");
    assert!(
        e[0].message.contains("`de_DE` is not a language tag"),
        "{e:?}"
    );
    let span = e[0].span.expect("placed");
    assert_eq!((span.line, span.column), (5, 11));
}
