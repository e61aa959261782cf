//! The words the outputs print themselves ("Contents", "Issue 42", "A, B and C"), and
//! the lines built from the metadata (document title, issue and date, contributors).
//!
//! Both outputs take these from here, so the PDF and the EPUB of an edition name things
//! alike. Everything is plain text: escaping and layout belong to the outputs.

use super::{Edition, Language, Metadata};

/// Words added to the reader's text, for one language.
#[derive(Debug, PartialEq, Eq)]
pub struct Labels {
    /// Heading of the contents (PDF contents page and bookmark, EPUB navigation).
    pub contents: &'static str,
    /// Heading of the list of articles on the EPUB masthead.
    pub in_this_issue: &'static str,
    /// Starts a byline that opens an article in running text ("By A and B").
    pub by: &'static str,
    /// Joins the last two names of a list.
    pub and: &'static str,
    /// Introduces the editors.
    pub edited_by: &'static str,
    /// Precedes an issue label made only of digits ("Issue 42").
    pub issue: &'static str,
    /// Precedes a volume number ("Volume 5"), in the metadata.
    pub volume: &'static str,
    /// Names an article's notes (for screen readers).
    pub notes: &'static str,
    /// Names the link from a note back to its reference.
    pub back_to_text: &'static str,
    /// Names the cover.
    pub cover: &'static str,
    /// Precedes the page an article goes on to ("Continued on page 12").
    pub continued_on: &'static str,
    /// Precedes the page an article comes from ("Continued from page 4").
    pub continued_from: &'static str,
}

const EN: Labels = Labels {
    contents: "Contents",
    in_this_issue: "In this issue",
    by: "By",
    and: "and",
    edited_by: "Edited by",
    issue: "Issue",
    volume: "Volume",
    notes: "Notes",
    back_to_text: "Back to the text",
    cover: "Cover",
    continued_on: "Continued on page",
    continued_from: "Continued from page",
};

const DE: Labels = Labels {
    contents: "Inhalt",
    in_this_issue: "In dieser Ausgabe",
    by: "Von",
    and: "und",
    edited_by: "Herausgegeben von",
    issue: "Ausgabe",
    volume: "Jahrgang",
    notes: "Anmerkungen",
    back_to_text: "Zurück zum Text",
    cover: "Titelseite",
    continued_on: "Fortsetzung auf Seite",
    continued_from: "Fortsetzung von Seite",
};

const FR: Labels = Labels {
    contents: "Sommaire",
    in_this_issue: "Dans ce numéro",
    by: "Par",
    and: "et",
    edited_by: "Sous la direction de",
    issue: "Numéro",
    volume: "Volume",
    notes: "Notes",
    back_to_text: "Retour au texte",
    cover: "Couverture",
    continued_on: "Suite page",
    continued_from: "Suite de la page",
};

/// "Sumario" rather than "Índice": the word Spanish magazines use for their contents.
const ES: Labels = Labels {
    contents: "Sumario",
    in_this_issue: "En este número",
    by: "Por",
    and: "y",
    edited_by: "Edición de",
    issue: "Número",
    volume: "Volumen",
    notes: "Notas",
    back_to_text: "Volver al texto",
    cover: "Portada",
    continued_on: "Continúa en la página",
    continued_from: "Viene de la página",
};

/// "Sommario" rather than "Indice": the word Italian magazines use for their contents.
const IT: Labels = Labels {
    contents: "Sommario",
    in_this_issue: "In questo numero",
    by: "Di",
    and: "e",
    edited_by: "A cura di",
    issue: "Numero",
    volume: "Anno",
    notes: "Note",
    back_to_text: "Torna al testo",
    cover: "Copertina",
    continued_on: "Continua a pagina",
    continued_from: "Segue da pagina",
};

const NL: Labels = Labels {
    contents: "Inhoud",
    in_this_issue: "In dit nummer",
    by: "Door",
    and: "en",
    edited_by: "Redactie",
    issue: "Nummer",
    volume: "Jaargang",
    notes: "Noten",
    back_to_text: "Terug naar de tekst",
    cover: "Omslag",
    continued_on: "Vervolg op pagina",
    continued_from: "Vervolg van pagina",
};

const PT: Labels = Labels {
    contents: "Sumário",
    in_this_issue: "Nesta edição",
    by: "Por",
    and: "e",
    edited_by: "Edição de",
    issue: "Número",
    volume: "Volume",
    notes: "Notas",
    back_to_text: "Voltar ao texto",
    cover: "Capa",
    continued_on: "Continua na página",
    continued_from: "Continuação da página",
};

/// Swedish writes "nr" without a full stop.
const SV: Labels = Labels {
    contents: "Innehåll",
    in_this_issue: "I detta nummer",
    by: "Av",
    and: "och",
    edited_by: "Redigerad av",
    issue: "Nr",
    volume: "Årgång",
    notes: "Noter",
    back_to_text: "Tillbaka till texten",
    cover: "Omslag",
    continued_on: "Fortsätter på sidan",
    continued_from: "Fortsättning från sidan",
};

const DA: Labels = Labels {
    contents: "Indhold",
    in_this_issue: "I dette nummer",
    by: "Af",
    and: "og",
    edited_by: "Redigeret af",
    issue: "Nr.",
    volume: "Årgang",
    notes: "Noter",
    back_to_text: "Tilbage til teksten",
    cover: "Forside",
    continued_on: "Fortsættes på side",
    continued_from: "Fortsat fra side",
};

/// Norwegian Bokmål (`nb`, and `no` without a written standard).
const NB: Labels = Labels {
    contents: "Innhold",
    in_this_issue: "I dette nummeret",
    by: "Av",
    and: "og",
    edited_by: "Redigert av",
    issue: "Nr.",
    volume: "Årgang",
    notes: "Noter",
    back_to_text: "Tilbake til teksten",
    cover: "Omslag",
    continued_on: "Fortsetter på side",
    continued_from: "Fortsatt fra side",
};

/// Norwegian Nynorsk.
const NN: Labels = Labels {
    contents: "Innhald",
    in_this_issue: "I dette nummeret",
    by: "Av",
    and: "og",
    edited_by: "Redigert av",
    issue: "Nr.",
    volume: "Årgang",
    notes: "Notar",
    back_to_text: "Tilbake til teksten",
    cover: "Omslag",
    continued_on: "Held fram på side",
    continued_from: "Framhald frå side",
};

impl Labels {
    /// The labels for `language`'s primary subtag; English for languages without a table.
    pub fn for_language(language: &Language) -> &'static Labels {
        match language.primary().as_str() {
            "de" => &DE,
            "fr" => &FR,
            "es" => &ES,
            "it" => &IT,
            "nl" => &NL,
            "pt" => &PT,
            "sv" => &SV,
            "da" => &DA,
            "nb" | "no" => &NB,
            "nn" => &NN,
            _ => &EN,
        }
    }

    /// The issue as printed: "Issue 42" for a label made only of digits, the label as
    /// written otherwise ("No. 7", "Spring 2026").
    pub fn issue_label(&self, issue: &str) -> String {
        let issue = issue.trim();
        if !issue.is_empty() && issue.chars().all(|c| c.is_ascii_digit()) {
            format!("{} {issue}", self.issue)
        } else {
            issue.to_string()
        }
    }

    /// Names joined as running text writes them: "A", "A and B", "A, B and C", with
    /// this language's "and". For bylines in the EPUB, the editors, and anything read
    /// aloud or as prose.
    pub fn names_in_text(&self, names: &[String]) -> String {
        join(names, self.and)
    }

    /// "Continued on page 12".
    pub fn continued_on(&self, page: &str) -> String {
        format!("{} {page}", self.continued_on)
    }

    /// "Continued from page 4".
    pub fn continued_from(&self, page: &str) -> String {
        format!("{} {page}", self.continued_from)
    }
}

/// Names joined for a byline set in display type in print: "A", "A & B", "A, B & C".
///
/// The ampersand is a deliberate typographic choice of the printed page: it reads the
/// same in every language, keeps short bylines short in narrow columns and cover lines,
/// and sits well in the small capitals bylines are set in. Text that is read as prose
/// (the EPUB, metadata, screen readers) uses [`Labels::names_in_text`].
pub fn names_in_print_byline(names: &[String]) -> String {
    join(names, PRINT_BYLINE_AND)
}

/// The word that joins the last two names of a print byline.
pub const PRINT_BYLINE_AND: &str = "&";

/// What goes before name `index` of `count` in a list joined with `and`: nothing before
/// the first, `" and "` before the last, `", "` between the others. Layout uses it to
/// set a byline name by name, each with its own source span.
pub fn name_separator(index: usize, count: usize, and: &str) -> String {
    match index {
        0 => String::new(),
        i if i + 1 == count => format!(" {and} "),
        _ => ", ".to_string(),
    }
}

fn join(names: &[String], and: &str) -> String {
    let mut out = String::new();
    for (i, name) in names.iter().enumerate() {
        out.push_str(&name_separator(i, names.len(), and));
        out.push_str(name);
    }
    out
}

/// Separates the parts of an issue line ("Issue 42 · July 2026").
pub const SEPARATOR: &str = " \u{b7} ";

impl Language {
    /// The words the outputs print for this language.
    pub fn labels(&self) -> &'static Labels {
        Labels::for_language(self)
    }
}

impl Metadata {
    /// The issue as printed, in the edition's language: "Issue 42", "No. 7".
    pub fn issue_label(&self) -> String {
        self.language.labels().issue_label(&self.issue)
    }

    /// Issue and date joined by `sep` ("Issue 42 · July 2026"); an empty part is left out.
    /// Print and screen use [`SEPARATOR`]; `", "` suits text read aloud (cover alt text).
    pub fn issue_and_date(&self, sep: &str) -> String {
        let parts = [self.issue_label(), self.date_label.trim().to_string()];
        joined(&parts, sep)
    }

    /// Magazine, issue and date ("The Review · Issue 42 · July 2026"): the line over the
    /// contents and in the running heads.
    pub fn title_issue_and_date(&self) -> String {
        let parts = [
            self.title.trim().to_string(),
            self.issue_label(),
            self.date_label.trim().to_string(),
        ];
        joined(&parts, SEPARATOR)
    }

    /// The publication's title for document metadata (PDF Info and XMP, EPUB `dc:title`
    /// and NCX): "The Review — Issue 42", the magazine alone when the issue is empty.
    ///
    /// The dash keeps the magazine and the issue apart whatever the label ("The Review —
    /// Spring 2026", where "The Review Spring 2026" would run together), and the issue is
    /// the localised label the pages print, so a library lists what the cover shows.
    pub fn document_title(&self) -> String {
        let title = clean(&self.title);
        let issue = clean(&self.issue_label());
        if issue.is_empty() {
            title
        } else {
            format!("{title} \u{2014} {issue}")
        }
    }
}

impl Edition {
    /// Every article author once, in reading order, for document metadata. Names are
    /// compared as printed: soft hyphens dropped, runs of spaces folded, empty names left
    /// out.
    pub fn contributors(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for (_, article) in self.articles() {
            for name in &article.authors {
                let name = clean(name);
                if !name.is_empty() && !out.contains(&name) {
                    out.push(name);
                }
            }
        }
        out
    }
}

/// The non-empty parts, joined by `sep`.
fn joined(parts: &[String], sep: &str) -> String {
    parts
        .iter()
        .filter(|p| !p.is_empty())
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join(sep)
}

/// Text for metadata: no soft hyphens, single spaces, no spaces at the ends.
fn clean(s: &str) -> String {
    s.split_whitespace()
        .map(|w| w.replace('\u{AD}', ""))
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Article, BylinePosition, Date, Section, Style};

    fn lang(tag: &str) -> Language {
        Language(tag.into())
    }

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    fn meta(issue: &str, language: &str) -> Metadata {
        Metadata {
            title: "The Review".into(),
            issue: issue.into(),
            issue_number: None,
            volume: None,
            date: Date {
                year: 2026,
                month: 7,
                day: 1,
            },
            date_label: "July 2026".into(),
            language: lang(language),
            subtitle: None,
            publisher: None,
            editors: vec![],
            issn: None,
            identifier: "urn:uuid:0".into(),
            description: None,
            subjects: vec![],
            rights: None,
            certified_by: None,
            revision: 1,
            source_date: None,
        }
    }

    #[test]
    fn picks_labels_by_primary_language() {
        assert_eq!(lang("de-AT").labels().and, "und");
        assert_eq!(lang("en-GB").labels().by, "By");
        assert_eq!(lang("fi").labels(), &EN);
        assert_eq!(lang("es").labels().contents, "Sumario");
        assert_eq!(lang("it").labels().contents, "Sommario");
        assert_eq!(lang("pt-BR").labels().contents, "Sumário");
        assert_eq!(lang("sv").labels().contents, "Innehåll");
        assert_eq!(lang("da").labels().contents, "Indhold");
        assert_eq!(lang("nb").labels().contents, "Innhold");
        assert_eq!(lang("no").labels().contents, "Innhold");
        assert_eq!(lang("nn").labels().contents, "Innhald");
    }

    #[test]
    fn every_table_is_complete() {
        for tag in [
            "en", "de", "fr", "es", "it", "nl", "pt", "sv", "da", "nb", "nn",
        ] {
            let l = lang(tag).labels();
            let words = [
                l.contents,
                l.in_this_issue,
                l.by,
                l.and,
                l.edited_by,
                l.issue,
                l.notes,
                l.back_to_text,
                l.cover,
                l.continued_on,
                l.continued_from,
            ];
            assert!(words.iter().all(|w| !w.trim().is_empty()), "{tag}");
        }
    }

    #[test]
    fn numeric_issues_get_the_word() {
        let en = lang("en").labels();
        assert_eq!(en.issue_label("42"), "Issue 42");
        assert_eq!(en.issue_label(" 42 "), "Issue 42");
        assert_eq!(en.issue_label("No. 7"), "No. 7");
        assert_eq!(en.issue_label("Spring 2026"), "Spring 2026");
        assert_eq!(en.issue_label(""), "");
        assert_eq!(lang("de").labels().issue_label("3"), "Ausgabe 3");
        assert_eq!(lang("sv").labels().issue_label("3"), "Nr 3");
        assert_eq!(lang("da").labels().issue_label("3"), "Nr. 3");
    }

    #[test]
    fn joins_names_in_text_and_in_print() {
        let en = lang("en").labels();
        assert_eq!(en.names_in_text(&names(&[])), "");
        assert_eq!(en.names_in_text(&names(&["A"])), "A");
        assert_eq!(en.names_in_text(&names(&["A", "B"])), "A and B");
        assert_eq!(
            lang("de").labels().names_in_text(&names(&["A", "B", "C"])),
            "A, B und C"
        );
        assert_eq!(names_in_print_byline(&names(&[])), "");
        assert_eq!(names_in_print_byline(&names(&["A"])), "A");
        assert_eq!(names_in_print_byline(&names(&["A", "B"])), "A & B");
        assert_eq!(names_in_print_byline(&names(&["A", "B", "C"])), "A, B & C");
    }

    #[test]
    fn continued_lines() {
        let en = lang("en").labels();
        assert_eq!(en.continued_on("12"), "Continued on page 12");
        assert_eq!(en.continued_from("4"), "Continued from page 4");
        assert_eq!(
            lang("de").labels().continued_on("7"),
            "Fortsetzung auf Seite 7"
        );
    }

    #[test]
    fn issue_lines_leave_out_empty_parts() {
        let mut m = meta("7", "en");
        assert_eq!(m.issue_and_date(SEPARATOR), "Issue 7 \u{b7} July 2026");
        assert_eq!(
            m.title_issue_and_date(),
            "The Review \u{b7} Issue 7 \u{b7} July 2026"
        );
        m.date_label = String::new();
        assert_eq!(m.issue_and_date(SEPARATOR), "Issue 7");
        m.issue = "Spring".into();
        m.date_label = "2026".into();
        assert_eq!(m.issue_and_date(", "), "Spring, 2026");
        m.issue = String::new();
        assert_eq!(m.issue_and_date(", "), "2026");
    }

    #[test]
    fn document_title_names_magazine_and_issue() {
        assert_eq!(
            meta("42", "en").document_title(),
            "The Review \u{2014} Issue 42"
        );
        assert_eq!(
            meta("3", "de").document_title(),
            "The Review \u{2014} Ausgabe 3"
        );
        assert_eq!(
            meta("Spring 2026", "en").document_title(),
            "The Review \u{2014} Spring 2026"
        );
        let mut m = meta("", "en");
        assert_eq!(m.document_title(), "The Review");
        m.title = "The  Re\u{AD}view".into();
        assert_eq!(m.document_title(), "The Review");
    }

    fn article(authors: &[&str]) -> Article {
        Article {
            id: "a".into(),
            source: "/ed/a.md".into(),
            text: "".into(),
            title: "A".into(),
            kicker: None,
            standfirst: None,
            authors: names(authors),
            byline: BylinePosition::Top,
            language: lang("en"),
            blocks: vec![],
            footnotes: vec![],
            refused_links: vec![],
            front: Default::default(),
        }
    }

    #[test]
    fn contributors_in_reading_order_once_each() {
        let edition = Edition {
            slug: "x".into(),
            root: "/ed".into(),
            meta: meta("1", "en"),
            style: Style::test_default(),
            cover: None,
            font_dirs: vec![],
            font_paths: vec![],
            system_fonts: false,
            limits: Default::default(),
            sections: vec![
                Section {
                    title: "One".into(),
                    articles: vec![article(&["B", "A"]), article(&["C", "B"])],
                    article_start: None,
                },
                Section {
                    title: "Two".into(),
                    articles: vec![article(&["A\u{AD}", " D  E ", ""])],
                    article_start: None,
                },
            ],
            cover_lines: vec![],
        };
        assert_eq!(edition.contributors(), names(&["B", "A", "C", "D E"]));
    }

    #[test]
    fn section_leads_are_the_first_of_each_section_up_to_a_limit() {
        let section = |n: usize| Section {
            title: "S".into(),
            articles: (0..n).map(|_| article(&["A"])).collect(),
            article_start: None,
        };
        let sections = [section(2), section(0), section(3), section(1), section(1)];
        assert_eq!(crate::model::section_leads(&sections, 10), vec![0, 2, 5, 6]);
        assert_eq!(crate::model::section_leads(&sections, 2), vec![0, 2]);
        assert!(crate::model::section_leads(&sections, 0).is_empty());
    }
}
