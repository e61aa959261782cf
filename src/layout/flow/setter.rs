//! What the flow needs from text setting: the [`Setter`] trait. [`TextContext`] is the
//! real setter; the flow's tests use a fixed-width fake so layouts can be checked
//! without fonts.

use crate::diag::Diagnostic;
use crate::layout::inline::{Line, Request, Role, TextContext};
use crate::model::Article;

/// Sets text into lines for the flow.
pub(crate) trait Setter {
    /// Sets a paragraph as `request` says (see [`TextContext::set`]).
    fn set(&mut self, request: &Request) -> Vec<Line>;
    /// Font size and leading of `role`.
    fn size_and_leading(&self, role: Role) -> (f32, f32);
    /// Drains the warnings raised so far.
    fn take_warnings(&mut self) -> Vec<Diagnostic>;
    /// Records a warning (once).
    fn warn(&mut self, warning: Diagnostic);
    /// Names the article whose text comes next (`None`: edition-level text), so that
    /// warnings can point at its file and line.
    fn set_source(&mut self, article: Option<&Article>);
    /// A fresh setter with the same fonts and style, for another thread.
    fn fork(&self) -> Self
    where
        Self: Sized;
}

impl Setter for TextContext<'_> {
    fn set(&mut self, request: &Request) -> Vec<Line> {
        TextContext::set(self, request)
    }

    fn size_and_leading(&self, role: Role) -> (f32, f32) {
        TextContext::size_and_leading(self, role)
    }

    fn take_warnings(&mut self) -> Vec<Diagnostic> {
        std::mem::take(&mut self.warnings)
    }

    fn warn(&mut self, warning: Diagnostic) {
        if !self.warnings.contains(&warning) {
            self.warnings.push(warning);
        }
    }

    fn set_source(&mut self, article: Option<&Article>) {
        TextContext::set_source(self, article.map(|a| (a.source.clone(), a.text.clone())));
    }

    fn fork(&self) -> Self {
        TextContext::fork(self)
    }
}
