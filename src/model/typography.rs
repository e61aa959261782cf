//! What each kind of text looks like: the per-role table both outputs set type from.
//!
//! [`Style::role_look`] resolves a [`Role`] to its size, leading, family, weight, slant,
//! colour, capitals, letter-spacing, hyphenation and figures. The PDF sets its lines with
//! these values; the EPUB stylesheet writes the same values as CSS, relative to the body
//! size.

use super::{Rgb, Style};

/// What a piece of text is; decides family, weight, size, leading, colour and features.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// Body text.
    Body,
    /// An article title.
    Title,
    /// The label above a title.
    Kicker,
    /// The introduction under a title.
    Standfirst,
    /// The author line.
    Byline,
    /// A subhead inside an article.
    Subhead,
    /// A pull quote set in display type.
    PullQuote,
    /// A figure caption.
    Caption,
    /// A footnote.
    Footnote,
    /// The running head at the top of a page.
    RunningHead,
    /// The page number.
    Folio,
    /// A table cell.
    TableCell,
    /// A table header cell.
    TableHeader,
    /// Code.
    Code,
    /// An entry of the contents page.
    ContentsEntry,
    /// The magazine title on the cover.
    CoverTitle,
}

impl Role {
    /// Every role, for tables and tests.
    pub const ALL: [Role; 16] = [
        Role::Body,
        Role::Title,
        Role::Kicker,
        Role::Standfirst,
        Role::Byline,
        Role::Subhead,
        Role::PullQuote,
        Role::Caption,
        Role::Footnote,
        Role::RunningHead,
        Role::Folio,
        Role::TableCell,
        Role::TableHeader,
        Role::Code,
        Role::ContentsEntry,
        Role::CoverTitle,
    ];
}

/// Which of the style's families a role uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Family {
    /// The style's body family.
    Body,
    /// The style's display family.
    Display,
    /// A monospaced family (the first of the style's that is one, in the PDF).
    Mono,
}

/// Font weights the roles ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Weight {
    /// 400.
    Regular,
    /// 600.
    Semibold,
    /// 700.
    Bold,
}

impl Weight {
    /// The CSS / OpenType weight class.
    pub fn number(self) -> u16 {
        match self {
            Weight::Regular => 400,
            Weight::Semibold => 600,
            Weight::Bold => 700,
        }
    }
}

/// Small capitals a role asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Caps {
    /// No small capitals.
    None,
    /// Lower case letters as small capitals (`smcp`): "Ann Writer".
    Lower,
    /// Every letter as a small capital (`c2sc` + `smcp`); upper case if the font has none.
    All,
}

/// The typographic setup of a role.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RoleLook {
    /// Font size, in points.
    pub size: f32,
    /// Baseline-to-baseline distance, in points.
    pub leading: f32,
    /// Which of the style's families.
    pub family: Family,
    /// The weight.
    pub weight: Weight,
    /// Italic or upright.
    pub italic: bool,
    /// The colour.
    pub colour: Rgb,
    /// Small capitals.
    pub caps: Caps,
    /// Letter-spacing, in em.
    pub tracking: f32,
    /// Display type: no hyphenation unless a word cannot fit.
    pub display: bool,
    /// Tabular lining figures (tables).
    pub tabular: bool,
}

impl Style {
    /// Font size and leading of `role`, in points: the style's sizes, with fixed
    /// factors for the roles that have no leading of their own.
    pub fn size_and_leading(&self, role: Role) -> (f32, f32) {
        let s = &self.sizes;
        match role {
            Role::Body => (s.body, s.leading),
            Role::Title => (s.title, s.title_leading),
            Role::Kicker => (s.kicker, s.kicker * 1.3),
            Role::Standfirst => (s.standfirst, s.standfirst_leading),
            Role::Byline => (s.byline, s.byline * 1.3),
            Role::Subhead => (s.subhead, s.subhead * 1.25),
            Role::PullQuote => (s.pullquote, s.pullquote_leading),
            Role::Caption => (s.caption, s.caption * 1.25),
            Role::Footnote => (s.footnote, s.footnote_leading),
            Role::RunningHead => (s.running_head, s.running_head * 1.2),
            Role::Folio => (s.folio, s.folio * 1.2),
            Role::TableCell | Role::TableHeader => (s.body - 1.0, s.leading - 1.0),
            Role::Code => (s.body - 1.0, s.leading),
            Role::ContentsEntry => (s.standfirst - 1.0, s.standfirst_leading - 1.0),
            Role::CoverTitle => (s.title * 2.0, s.title * 2.1),
        }
    }

    /// The typographic setup of `role`.
    pub fn role_look(&self, role: Role) -> RoleLook {
        let c = &self.colours;
        let (size, leading) = self.size_and_leading(role);
        let base = RoleLook {
            size,
            leading,
            family: Family::Body,
            weight: Weight::Regular,
            italic: false,
            colour: c.text,
            caps: Caps::None,
            tracking: 0.0,
            display: false,
            tabular: false,
        };
        let display = RoleLook {
            family: Family::Display,
            display: true,
            ..base
        };
        match role {
            Role::Body | Role::Footnote => base,
            Role::Caption => RoleLook {
                colour: c.muted,
                ..base
            },
            Role::Title => RoleLook {
                weight: Weight::Semibold,
                ..display
            },
            Role::CoverTitle => RoleLook {
                weight: Weight::Bold,
                ..display
            },
            Role::Kicker => RoleLook {
                caps: Caps::All,
                tracking: 0.06,
                colour: c.accent,
                ..display
            },
            Role::Standfirst => RoleLook {
                italic: true,
                ..display
            },
            Role::Byline => RoleLook {
                family: Family::Body,
                caps: Caps::Lower,
                tracking: 0.03,
                ..display
            },
            Role::Subhead => RoleLook {
                weight: Weight::Semibold,
                ..display
            },
            Role::PullQuote => RoleLook {
                italic: true,
                colour: c.accent,
                ..display
            },
            Role::RunningHead => RoleLook {
                family: Family::Body,
                caps: Caps::Lower,
                tracking: 0.04,
                colour: c.muted,
                ..display
            },
            Role::Folio => RoleLook {
                family: Family::Body,
                colour: c.muted,
                ..display
            },
            Role::TableCell => RoleLook {
                tabular: true,
                ..base
            },
            Role::TableHeader => RoleLook {
                weight: Weight::Semibold,
                tabular: true,
                ..base
            },
            Role::Code => RoleLook {
                family: Family::Mono,
                ..display
            },
            Role::ContentsEntry => display,
        }
    }
}

/// The opening run-in written in capitals: the byte length of the leading words of
/// `paragraph`'s first text that are written in capitals ("AUTHORITIES IN Kazakhstan"
/// gives the length of "AUTHORITIES IN"), when there are two or more of them; 0
/// otherwise. A word is text between spaces with a letter and no lower-case letter; only
/// words followed by a space in the same text count (a word running on into emphasis or a
/// link is left alone). Both outputs set these words in small capitals made from the
/// capitals, so the text reads as written.
pub fn run_in_caps(paragraph: &[crate::model::Inline]) -> usize {
    let Some(crate::model::InlineKind::Text(text)) = paragraph.first().map(|i| &i.kind) else {
        return 0;
    };
    let (mut words, mut end, mut at) = (0, 0, 0);
    while let Some(len) = text[at..].find(char::is_whitespace) {
        let word = &text[at..at + len];
        let capital =
            word.chars().any(char::is_alphabetic) && !word.chars().any(char::is_lowercase);
        if !capital {
            break;
        }
        words += 1;
        end = at + len;
        at = end + text[end..].chars().next().map_or(1, char::len_utf8);
        at += text[at..].len() - text[at..].trim_start().len();
    }
    if words >= 2 { end } else { 0 }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_follow_the_style() {
        let style = Style::test_default();
        let s = &style.sizes;
        assert_eq!(style.size_and_leading(Role::Body), (9.5, 11.5));
        assert_eq!(style.size_and_leading(Role::Title), (26.0, 29.0));
        assert_eq!(style.size_and_leading(Role::Kicker), (8.5, 8.5 * 1.3));
        assert_eq!(style.size_and_leading(Role::Subhead), (10.5, 10.5 * 1.25));
        assert_eq!(style.size_and_leading(Role::TableCell), (8.5, 10.5));
        assert_eq!(style.size_and_leading(Role::Code), (8.5, 11.5));
        assert_eq!(style.size_and_leading(Role::ContentsEntry), (11.0, 14.0));
        assert_eq!(
            style.size_and_leading(Role::CoverTitle),
            (s.title * 2.0, s.title * 2.1)
        );
        for role in Role::ALL {
            let look = style.role_look(role);
            assert_eq!((look.size, look.leading), style.size_and_leading(role));
            assert!(
                look.size > 0.0 && look.leading >= look.size * 0.9,
                "{role:?}"
            );
        }
    }

    #[test]
    fn roles_look_as_the_page_sets_them() {
        let style = Style::test_default();
        let c = style.colours;
        let kicker = style.role_look(Role::Kicker);
        assert_eq!(
            (kicker.family, kicker.caps, kicker.tracking, kicker.colour),
            (Family::Display, Caps::All, 0.06, c.accent)
        );
        assert!(kicker.display);
        let byline = style.role_look(Role::Byline);
        assert_eq!(
            (byline.family, byline.caps, byline.tracking),
            (Family::Body, Caps::Lower, 0.03)
        );
        assert!(byline.display);
        assert!(style.role_look(Role::Standfirst).italic);
        assert!(style.role_look(Role::PullQuote).italic);
        assert_eq!(style.role_look(Role::PullQuote).colour, c.accent);
        assert_eq!(style.role_look(Role::Caption).colour, c.muted);
        assert_eq!(style.role_look(Role::Title).weight, Weight::Semibold);
        assert_eq!(style.role_look(Role::CoverTitle).weight, Weight::Bold);
        assert_eq!(style.role_look(Role::Code).family, Family::Mono);
        let body = style.role_look(Role::Body);
        assert!(!body.display && !body.tabular && body.colour == c.text);
        assert!(style.role_look(Role::TableHeader).tabular);
        assert_eq!(Weight::Semibold.number(), 600);
    }

    #[test]
    fn an_opening_run_in_is_two_or_more_words_in_capitals() {
        use crate::model::{Inline, InlineKind, Span};
        let run_in = |t: &str| run_in_caps(&[Inline::text(t, Span::new(0, 0))]);
        let cut = |t: &'static str| &t[..run_in(t)];
        assert_eq!(cut("AUTHORITIES IN Kazakhstan have"), "AUTHORITIES IN");
        assert_eq!(cut("EVERY FEW MINUTES, a truck"), "EVERY FEW MINUTES,");
        assert_eq!(cut("“ÉTÉ  ET hiver"), "“ÉTÉ  ET");
        assert_eq!(cut("I WAS there"), "I WAS");
        // One word in capitals, none, or capitals running on into other inlines: none.
        assert_eq!(run_in("NATO officials"), 0);
        assert_eq!(run_in("Authorities in Kazakhstan"), 0);
        assert_eq!(run_in("IN 2024 THE"), 0);
        assert_eq!(run_in("ALL CAPS"), 0);
        assert_eq!(run_in(""), 0);
        let emphasis = [Inline::new(
            InlineKind::Emphasis(vec![Inline::text("AB CD e", Span::new(0, 0))]),
            Span::new(0, 0),
        )];
        assert_eq!(run_in_caps(&emphasis), 0);
    }
}
