//! The only user of pulldown-cmark: Markdown text to model blocks and footnotes.
//!
//! `convert` walks pulldown's events with one explicit stack (no recursion, nesting
//! capped), `footnotes` numbers notes by first reference, `pullquote` recognises
//! `> [!PULLQUOTE]`, `smart` sets image captions with typographic punctuation and
//! `lines` turns byte offsets into the file's line and column.

mod convert;
mod footnotes;
mod lines;
mod pullquote;
mod quotes;
mod smart;
#[cfg(test)]
mod tests;

use std::path::Path;

pub(crate) use quotes::localise as localise_quotes;

use crate::diag::Diagnostic;
use crate::model::{Block, Footnote, Image};

/// Front-matter text (titles, kickers, standfirsts) with the same typographic
/// punctuation as the body, and quotation marks for the language `primary`.
pub(crate) fn smarten_plain(text: &str, primary: &str) -> String {
    let text = smart::smarten(text);
    if quotes::low_high(primary) {
        quotes::localise_text(&text)
    } else {
        text
    }
}

/// An article body turned into model blocks.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Parsed {
    pub blocks: Vec<Block>,
    /// Numbered 1.. in order of first reference.
    pub footnotes: Vec<Footnote>,
}

/// A request to the loader for the image `src` written at `line`:`column` of `file`.
/// The loader checks the path and decodes the file; the alt text is filled in here.
pub type ImageResolver<'a> = dyn FnMut(&str, usize, usize) -> Result<Image, Diagnostic> + 'a;

/// Parses the Markdown `body` of `file`. `first_line` is the 1-based line of the file at
/// which `body` starts (after the front matter), so diagnostics name the right line.
/// All problems found are returned together.
pub fn parse(
    body: &str,
    file: &Path,
    first_line: usize,
    images: &mut ImageResolver<'_>,
) -> Result<Parsed, Vec<Diagnostic>> {
    convert::convert(body, file, first_line, images)
}
