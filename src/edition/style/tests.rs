//! Tests of style loading: defaults, inheritance, units and the errors with their places.

use super::*;

fn user(text: &str) -> Result<Style, Vec<Diagnostic>> {
    resolve_text(
        text,
        "custom",
        Some(PathBuf::from("/e/styles/custom.toml")),
        Path::new("e/styles/custom.toml"),
    )
}

fn close(a: f32, b: f32) -> bool {
    (a - b).abs() < 0.01
}

#[test]
fn magazine_is_complete_and_as_designed() {
    let s = builtin("magazine").expect("the built-in style resolves");
    assert_eq!(s.name, "magazine");
    assert_eq!(s.source, None);
    assert!(close(s.page.width, 210.0 * PT_PER_MM));
    assert!(close(s.page.height, 297.0 * PT_PER_MM));
    assert!(close(s.page.margin_top, 18.0 * PT_PER_MM));
    assert!(close(s.page.margin_inner, 15.0 * PT_PER_MM));
    assert_eq!(s.page.columns, 3);
    assert!(close(s.page.gutter, 5.0 * PT_PER_MM));
    assert_eq!(s.fonts.body, "Libertinus Serif");
    assert_eq!(s.sizes.body, 9.5);
    assert_eq!(s.sizes.leading, 11.5);
    assert_eq!(s.indent_em, 1.0);
    assert_eq!(
        (
            s.hyphenation.min_word,
            s.hyphenation.min_before,
            s.hyphenation.min_after,
            s.hyphenation.max_consecutive
        ),
        (5, 2, 3, 2)
    );
    assert_eq!(s.justification.word_space_max, 1.6);
    assert_eq!(s.justification.glyph_expansion, 0.01);
    assert!(s.justification.hanging_punctuation);
    assert_eq!(s.article_start, ArticleStart::Auto);
    assert_eq!(s.notes, crate::model::NotePlace::Column);
    assert_eq!(s.cover_lines, 4);
    assert!((s.imposition.creep - 0.1 * crate::model::PT_PER_MM).abs() < 1e-5);
    assert_eq!(s.colours.accent.hex(), "#a3262a");
}

#[test]
fn empty_style_equals_magazine() {
    let s = user("").unwrap();
    let m = builtin("magazine").unwrap();
    assert_eq!(s.page, m.page);
    assert_eq!(s.sizes, m.sizes);
    assert_eq!(s.fonts, m.fonts);
    assert_eq!(s.name, "custom");
    assert_eq!(s.source, Some(PathBuf::from("/e/styles/custom.toml")));
}

#[test]
fn overrides_only_what_is_given() {
    let s = user("[page]\nsize = \"A5\"\ncolumns = 2\n[sizes]\nbody = 10\n").unwrap();
    let m = builtin("magazine").unwrap();
    assert!(close(s.page.width, 148.0 * PT_PER_MM));
    assert_eq!(s.page.columns, 2);
    assert_eq!(s.page.gutter, m.page.gutter);
    assert_eq!(s.page.margin_top, m.page.margin_top);
    assert_eq!(s.sizes.body, 10.0);
    assert_eq!(s.sizes.leading, m.sizes.leading);
    assert_eq!(s.hyphenation, m.hyphenation);
}

#[test]
fn custom_page_size_in_mm() {
    let s = user("[page]\nsize = { width_mm = 230, height_mm = 300.5 }\n").unwrap();
    assert!(close(s.page.width, 230.0 * PT_PER_MM));
    assert!(close(s.page.height, 300.5 * PT_PER_MM));
    let e = user("[page]\nsize = { width_mm = 230, hieght_mm = 300 }\n").unwrap_err();
    assert!(e[0].message.contains("hieght_mm"), "{}", e[0]);
    assert_eq!(e[0].hint.as_deref(), Some("did you mean `height_mm`?"));
}

#[test]
fn unknown_keys_name_the_nearest() {
    let e = user("[sizes]\nbdoy = 10\n").unwrap_err();
    assert_eq!(e[0].message, "unknown key `bdoy`");
    assert_eq!(e[0].hint.as_deref(), Some("did you mean `body`?"));
    assert_eq!(e[0].span.map(|s| s.line), Some(2));
    let e = user("[colors]\ntext = \"#000000\"\n").unwrap_err();
    assert_eq!(e[0].hint.as_deref(), Some("did you mean `colours`?"));
}

#[test]
fn ranges_are_checked_at_the_line_of_the_key() {
    let text =
        "[page]\ncolumns = 9\n\n[justification]\nword_space_min = 1.2\n\n[sizes]\nbody = -1\n";
    let e = user(text).unwrap_err();
    let lines: Vec<usize> = e.iter().filter_map(|d| d.span.map(|s| s.line)).collect();
    assert!(lines.contains(&2), "{e:?}");
    assert!(lines.contains(&5), "{e:?}");
    assert!(lines.contains(&8), "{e:?}");
    assert!(
        e.iter()
            .all(|d| d.file.as_deref() == Some(Path::new("e/styles/custom.toml")))
    );
}

#[test]
fn margins_must_leave_room() {
    let e = user("[page]\nsize = \"A5\"\ncolumns = 5\n").unwrap_err();
    assert!(
        e.iter().any(|d| d.message.contains("columns would be")),
        "{e:?}"
    );
    let e = user("[margins_mm]\ntop = 120\nbottom = 120\n").unwrap_err();
    assert!(e.iter().any(|d| d.message.contains("text area")), "{e:?}");
}

#[test]
fn bad_values() {
    let e = user("[colours]\naccent = \"red\"\n").unwrap_err();
    assert!(e[0].message.contains("not a colour"));
    assert_eq!(user("cover_lines = 0\n").unwrap().cover_lines, 0);
    let creep = user("[imposition]\ncreep_mm = 0\n")
        .unwrap()
        .imposition
        .creep;
    assert_eq!(creep, 0.0);
    let e = user("[imposition]\ncreep_mm = 2\n").unwrap_err();
    assert!(e[0].message.contains("imposition.creep_mm"), "{e:?}");
    let e = user("cover_lines = 40\n").unwrap_err();
    assert!(e[0].message.contains("`cover_lines` is 40"), "{e:?}");
    assert_eq!(e[0].span.as_ref().map(|s| s.line), Some(1), "{e:?}");
    let e = user("article_start = \"newpage\"\n").unwrap_err();
    assert_eq!(e[0].hint.as_deref(), Some("did you mean \"new-page\"?"));
    let e = user("notes = \"foot\"\n").unwrap_err();
    assert!(e[0].message.contains("\"column\", \"end\""), "{e:?}");
    assert_eq!(
        user("article_start = \"recto\"\nnotes = \"end\"\n")
            .map(|s| (s.article_start, s.notes))
            .unwrap(),
        (ArticleStart::Recto, crate::model::NotePlace::End)
    );
    let e = user("[fonts]\nbody_features = [\"oldstyle\"]\n").unwrap_err();
    assert!(e[0].message.contains("oldstyle"));
    let e = user("[hyphenation]\nmin_word = 3\n").unwrap_err();
    assert!(e[0].message.contains("min_word"));
    let e = user("[hyphenation]\npenalty = -5\n").unwrap_err();
    assert!(e[0].message.contains("hyphenation.penalty"));
    assert_eq!(
        user("[hyphenation]\npenalty = 300\n")
            .unwrap()
            .hyphenation
            .penalty,
        300.0
    );
    let e = user("[sizes]\nleading = 8\n").unwrap_err();
    assert!(e[0].message.contains("too tight"));
    let e = user("[page]\nsize = \"A6\"\n").unwrap_err();
    assert!(e[0].message.contains("A6"));
}

#[test]
fn hex_colours() {
    assert_eq!(parse_hex("#A3262a"), Some(Rgb(0xa3, 0x26, 0x2a)));
    assert_eq!(parse_hex("a3262a"), None);
    assert_eq!(parse_hex("#fff"), None);
}
