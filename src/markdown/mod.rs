//! The only user of pulldown-cmark: Markdown text to model blocks and footnotes.
//!
//! `convert` walks pulldown's events with one explicit stack (no recursion, nesting
//! capped), `attrs` reads `{span=2 place=top}` after an image, `footnotes` numbers notes
//! by first reference, `pullquote` recognises
//! `> [!PULLQUOTE]`, `smart` sets image captions with typographic punctuation, `lines`
//! turns byte offsets into the file's line and column, and `origin` follows a node's
//! text back to its place in the source.

mod attrs;
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
use crate::model::{Block, Footnote, Image, RefusedLink};

/// Front-matter text (titles, kickers, standfirsts) with the same typographic
/// punctuation as the body, and quotation marks for the language `primary`.
pub(crate) fn smarten_plain(text: &str, primary: &str) -> String {
    let text = smart::smarten(text);
    if quotes::localised(primary) {
        quotes::localise_text(&text, primary)
    } else {
        text
    }
}

/// An article body turned into model blocks.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Parsed {
    pub blocks: Vec<Block>,
    /// Numbered 1.. in order of first reference.
    pub footnotes: Vec<Footnote>,
    /// Links set as plain text because their scheme is not kept, in file order.
    pub refused_links: Vec<RefusedLink>,
}

/// A request to the loader for the image `src` written at `line`:`column` of `file`.
/// The loader checks the path and decodes the file; the alt text is filled in here.
pub(crate) type ImageResolver<'a> = dyn FnMut(&str, usize, usize) -> Result<Image, Diagnostic> + 'a;

/// Parses the Markdown body of `file`: `text` is the whole file, and the body starts at
/// its byte `body_start` (after the front matter). Spans and diagnostics index `text`.
/// All problems found are returned together.
pub(crate) fn parse(
    text: &str,
    body_start: usize,
    file: &Path,
    url_bytes: usize,
    images: &mut ImageResolver<'_>,
) -> Result<Parsed, Vec<Diagnostic>> {
    convert::convert(text, body_start, file, url_bytes, images)
}
