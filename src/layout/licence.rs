//! Font licences as the font declares them: the `fsType` field of its OS/2 table, read
//! once here for every output that embeds a face (the print preflight's findings about
//! the PDF, the EPUB's choice of faces).

use rustybuzz::ttf_parser::{RawFace, Tag};

/// What a font's licence bits allow a document (a PDF, an EPUB) to do with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Embedding {
    /// Installable or editable embedding: anything goes (fsType 0, or bit 3).
    Allowed,
    /// Preview and print embedding (bit 2): the document may be printed and viewed, not
    /// edited.
    PreviewAndPrint,
    /// Restricted licence embedding (bit 1 alone): the font must not be embedded.
    Restricted,
    /// Bitmap embedding only (bit 9): the outlines must not be embedded.
    BitmapOnly,
}

impl Embedding {
    /// Whether the face's outlines may go into a document at all: installable, editable
    /// or preview-and-print embedding, not restricted or bitmap-only.
    pub fn allows_outlines(self) -> bool {
        matches!(self, Embedding::Allowed | Embedding::PreviewAndPrint)
    }
}

/// The embedding a font's `fsType` allows, and whether it forbids subsetting (bit 8;
/// quire always embeds subsets). When several of bits 1 to 3 are set, the least
/// restrictive one applies, as the OpenType specification says.
pub fn embedding(fs_type: u16) -> (Embedding, bool) {
    let no_subsetting = fs_type & 0x0100 != 0;
    let kind = if fs_type & 0x0200 != 0 {
        Embedding::BitmapOnly
    } else if fs_type & 0x0008 != 0 {
        Embedding::Allowed
    } else if fs_type & 0x0004 != 0 {
        Embedding::PreviewAndPrint
    } else if fs_type & 0x0002 != 0 {
        Embedding::Restricted
    } else {
        Embedding::Allowed
    };
    (kind, no_subsetting)
}

/// The `fsType` of face `index` of the font file `data`; `None` when the file has no OS/2
/// table (or it is too short to hold the field).
pub fn fs_type(data: &[u8], index: u32) -> Option<u16> {
    let face = RawFace::parse(data, index).ok()?;
    let os2 = face.table(Tag::from_bytes(b"OS/2"))?;
    // version (2), xAvgCharWidth (2), usWeightClass (2), usWidthClass (2), then fsType.
    let bytes = os2.get(8..10)?;
    Some(u16::from_be_bytes([bytes[0], bytes[1]]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fs_type_bits() {
        assert_eq!(embedding(0x0000), (Embedding::Allowed, false));
        assert_eq!(embedding(0x0002), (Embedding::Restricted, false));
        assert_eq!(embedding(0x0004), (Embedding::PreviewAndPrint, false));
        assert_eq!(embedding(0x0008), (Embedding::Allowed, false));
        // The least restrictive of bits 1 to 3 applies.
        assert_eq!(embedding(0x0006), (Embedding::PreviewAndPrint, false));
        assert_eq!(embedding(0x000A), (Embedding::Allowed, false));
        assert_eq!(embedding(0x0102), (Embedding::Restricted, true));
        assert_eq!(embedding(0x0308), (Embedding::BitmapOnly, true));
        let outlines = |bits| embedding(bits).0.allows_outlines();
        assert!(outlines(0x0000) && outlines(0x0004) && outlines(0x0008) && outlines(0x0104));
        assert!(!outlines(0x0002) && !outlines(0x0200) && !outlines(0x0208));
    }

    /// A minimal sfnt with one table, OS/2, holding `fs_type`.
    fn font_with_fs_type(fs_type: u16) -> Vec<u8> {
        let mut os2 = vec![0u8; 78];
        os2[8..10].copy_from_slice(&fs_type.to_be_bytes());
        let mut f = Vec::new();
        f.extend(0x0001_0000u32.to_be_bytes()); // sfnt version
        f.extend(1u16.to_be_bytes()); // numTables
        f.extend([0, 16, 0, 0, 0, 0]); // searchRange, entrySelector, rangeShift
        f.extend(b"OS/2");
        f.extend(0u32.to_be_bytes()); // checksum
        f.extend(28u32.to_be_bytes()); // offset: 12 + 16
        f.extend((os2.len() as u32).to_be_bytes());
        f.extend(os2);
        f
    }

    #[test]
    fn reads_fs_type_from_the_os2_table() {
        assert_eq!(fs_type(&font_with_fs_type(0x0002), 0), Some(0x0002));
        assert_eq!(fs_type(&font_with_fs_type(0x0104), 0), Some(0x0104));
        assert_eq!(fs_type(b"not a font", 0), None);
        // The embedded Libertinus Serif may be embedded.
        let book =
            crate::layout::font::FontBook::load(&crate::model::Style::test_default(), &[]).unwrap();
        for face in book.faces() {
            let bits = fs_type(face.bytes(), face.index).unwrap_or(0);
            assert_eq!(embedding(bits).0, Embedding::Allowed, "{}", face.family);
        }
    }
}
