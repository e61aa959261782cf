//! The few words the EPUB prints itself ("Contents", "By", "and"), in the languages we know.

use crate::model::Language;

/// Words that the backend adds to the reader's text, for one language.
#[derive(Debug, PartialEq, Eq)]
pub struct Labels {
    /// Title of the navigation document.
    pub contents: &'static str,
    /// Title of the masthead page, which lists the articles.
    pub in_this_issue: &'static str,
    /// Starts a byline at the top of an article.
    pub by: &'static str,
    /// Joins the last two names of a list.
    pub and: &'static str,
    /// Introduces the editors on the masthead.
    pub edited_by: &'static str,
    /// Precedes a purely numeric issue label ("Issue 42").
    pub issue: &'static str,
    /// Names the footnote area of an article (for screen readers).
    pub notes: &'static str,
    /// Names the link from a note back to its reference.
    pub back_to_text: &'static str,
    /// Names the cover image.
    pub cover: &'static str,
}

const EN: Labels = Labels {
    contents: "Contents",
    in_this_issue: "In this issue",
    by: "By",
    and: "and",
    edited_by: "Edited by",
    issue: "Issue",
    notes: "Notes",
    back_to_text: "Back to the text",
    cover: "Cover",
};

const DE: Labels = Labels {
    contents: "Inhalt",
    in_this_issue: "In dieser Ausgabe",
    by: "Von",
    and: "und",
    edited_by: "Herausgegeben von",
    issue: "Ausgabe",
    notes: "Anmerkungen",
    back_to_text: "Zurück zum Text",
    cover: "Titelseite",
};

const FR: Labels = Labels {
    contents: "Sommaire",
    in_this_issue: "Dans ce numéro",
    by: "Par",
    and: "et",
    edited_by: "Sous la direction de",
    issue: "Numéro",
    notes: "Notes",
    back_to_text: "Retour au texte",
    cover: "Couverture",
};

const ES: Labels = Labels {
    contents: "Índice",
    in_this_issue: "En este número",
    by: "Por",
    and: "y",
    edited_by: "Edición de",
    issue: "Número",
    notes: "Notas",
    back_to_text: "Volver al texto",
    cover: "Portada",
};

const IT: Labels = Labels {
    contents: "Indice",
    in_this_issue: "In questo numero",
    by: "Di",
    and: "e",
    edited_by: "A cura di",
    issue: "Numero",
    notes: "Note",
    back_to_text: "Torna al testo",
    cover: "Copertina",
};

const NL: Labels = Labels {
    contents: "Inhoud",
    in_this_issue: "In dit nummer",
    by: "Door",
    and: "en",
    edited_by: "Redactie",
    issue: "Nummer",
    notes: "Noten",
    back_to_text: "Terug naar de tekst",
    cover: "Omslag",
};

/// The labels for `language`; English for languages without a table.
pub fn labels(language: &Language) -> &'static Labels {
    match language.primary().as_str() {
        "de" => &DE,
        "fr" => &FR,
        "es" => &ES,
        "it" => &IT,
        "nl" => &NL,
        _ => &EN,
    }
}

/// Joins names as a person would write them: "A", "A and B", "A, B and C".
pub fn join_names(names: &[String], and: &str) -> String {
    match names {
        [] => String::new(),
        [one] => one.clone(),
        [head @ .., last] => format!("{} {and} {last}", head.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn joins_names_naturally() {
        assert_eq!(join_names(&names(&[]), "and"), "");
        assert_eq!(join_names(&names(&["A"]), "and"), "A");
        assert_eq!(join_names(&names(&["A", "B"]), "and"), "A and B");
        assert_eq!(join_names(&names(&["A", "B", "C"]), "und"), "A, B und C");
    }

    #[test]
    fn picks_labels_by_primary_language() {
        assert_eq!(labels(&Language("de-AT".into())).and, "und");
        assert_eq!(labels(&Language("en-GB".into())).by, "By");
        assert_eq!(labels(&Language("fi".into())), &EN);
    }
}
