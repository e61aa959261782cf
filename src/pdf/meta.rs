//! The archive's bibliographic metadata, written as an incremental update after krilla.
//!
//! krilla (0.8) writes one date for both creation and modification, folds all authors into
//! one `dc:creator` entry for PDF 1.7, and has no place for a publisher, an ISSN or an
//! issue. This step appends, after krilla's `%%EOF`, a new version of two objects, the
//! document information dictionary and the XMP metadata stream, with a cross-reference
//! section and a trailer pointing back to krilla's (`/Prev`). krilla's bytes stay as they
//! are; PDF readers (and PDF/A, which allows incremental updates) take the newer objects.
//!
//! What changes:
//! - `dc:creator` is a sequence with one entry per author; `/Author` is left out of the
//!   information dictionary, because PDF/A wants it equal to a single-entry
//!   `dc:creator` (the XMP is the normative copy).
//! - `/ModDate` and `xmp:ModifyDate` are the reissue date ([`DocMeta::modified`]);
//!   `/CreationDate` and `xmp:CreateDate` stay the edition's date.
//! - `dc:publisher`, `dc:rights`, `prism:issn`, `prism:volume` (when the edition names
//!   one), `prism:number` (the issue),
//!   `prism:coverDate` and `prism:versionIdentifier` (the revision) are added, with the
//!   PRISM properties described in the PDF/A extension schema block.
//! - `xmpMM:InstanceID` and the trailer's second `/ID` become a name-based UUID of the
//!   previous instance, the modification date and the revision: a reissue is a new
//!   instance of the same document (the `DocumentID` and the first `/ID` stay).

use crate::layout::frame::DocMeta;

/// Applies the update to `pdf` (krilla's output), appending to it in place: a copy of
/// the whole PDF, doubled as it grew, was the peak of a long article's build. An error
/// names what was not found.
pub(crate) fn update(owned: Vec<u8>, meta: &DocMeta) -> Result<Vec<u8>, String> {
    let pdf: &[u8] = &owned;
    let fail = |what: &str| format!("metadata update: {what} not found in the PDF");
    let trailer_at = rfind(pdf, b"trailer").ok_or_else(|| fail("the trailer"))?;
    let startxref_at = rfind(pdf, b"startxref").ok_or_else(|| fail("startxref"))?;
    let trailer = &pdf[trailer_at..startxref_at];
    let prev: usize = number_after(pdf, startxref_at + b"startxref".len())
        .ok_or_else(|| fail("the cross-reference offset"))?;
    let size = reference(trailer, b"/Size").ok_or_else(|| fail("/Size"))?;
    let root = reference(trailer, b"/Root").ok_or_else(|| fail("/Root"))?;
    let info = reference(trailer, b"/Info").ok_or_else(|| fail("/Info"))?;
    let ids = ids(trailer).ok_or_else(|| fail("/ID"))?;

    let catalog = object(pdf, root).ok_or_else(|| fail("the catalog"))?;
    let metadata = reference(catalog, b"/Metadata").ok_or_else(|| fail("/Metadata"))?;
    let xmp_object = object(pdf, metadata).ok_or_else(|| fail("the XMP stream"))?;
    let xmp = stream_data(xmp_object).ok_or_else(|| fail("the XMP packet"))?;
    let xmp = std::str::from_utf8(xmp).map_err(|_| fail("UTF-8 XMP"))?;
    let info_object = object(pdf, info).ok_or_else(|| fail("the information dictionary"))?;

    let modified = meta
        .modified
        .unwrap_or((meta.date.0, meta.date.1, meta.date.2, 0, 0, 0));
    let old_instance = between(xmp, "<xmpMM:InstanceID>", "</xmpMM:InstanceID>")
        .ok_or_else(|| fail("xmpMM:InstanceID"))?;
    let instance = uuid::Uuid::new_v5(
        &uuid::Uuid::NAMESPACE_OID,
        format!("{old_instance}|{}|{}", pdf_date(modified), meta.revision).as_bytes(),
    );
    let new_xmp = rewrite_xmp(xmp, meta, modified, &instance.to_string())?;
    let new_info = rewrite_info(info_object, modified)?;

    // Room for exactly what is appended (a kilobyte covers the cross-reference section
    // and the trailer), so the PDF is not copied to a buffer of twice its size.
    let extra = new_info.len() + new_xmp.len() + 1024;
    let mut out = owned;
    out.reserve_exact(extra);
    if !out.ends_with(b"\n") {
        out.push(b'\n');
    }
    let mut offsets = Vec::new();
    offsets.push((info, out.len()));
    out.extend_from_slice(format!("{info} 0 obj\n").as_bytes());
    out.extend_from_slice(&new_info);
    out.extend_from_slice(b"\nendobj\n");
    offsets.push((metadata, out.len()));
    out.extend_from_slice(
        format!(
            "{metadata} 0 obj\n<</Length {}/Type/Metadata/Subtype/XML>>\nstream\n",
            new_xmp.len()
        )
        .as_bytes(),
    );
    out.extend_from_slice(new_xmp.as_bytes());
    out.extend_from_slice(b"\nendstream\nendobj\n");
    offsets.sort_unstable();
    let xref = out.len();
    out.extend_from_slice(b"xref\n");
    for (number, offset) in &offsets {
        out.extend_from_slice(format!("{number} 1\n{offset:010} 00000 n\r\n").as_bytes());
    }
    let second: String = instance
        .as_bytes()
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect();
    out.extend_from_slice(
        format!(
            "trailer\n<</Size {size}/Root {root} 0 R/Info {info} 0 R/ID[{}<{second}>]/Prev {prev}>>\nstartxref\n{xref}\n%%EOF\n",
            ids.0
        )
        .as_bytes(),
    );
    Ok(out)
}

/// The XMP with one `dc:creator` entry per author, the reissue date, the new instance and
/// the added properties.
fn rewrite_xmp(
    xmp: &str,
    meta: &DocMeta,
    modified: (u16, u8, u8, u8, u8, u8),
    instance: &str,
) -> Result<String, String> {
    let mut x = xmp.to_string();
    let creators: String = meta
        .authors
        .iter()
        .map(|a| format!("<rdf:li>{}</rdf:li>", escape(a)))
        .collect();
    replace_between(
        &mut x,
        "<dc:creator><rdf:Seq>",
        "</rdf:Seq></dc:creator>",
        &creators,
    );
    replace_between(
        &mut x,
        "<xmp:ModifyDate>",
        "</xmp:ModifyDate>",
        &xmp_date(modified),
    );
    replace_between(
        &mut x,
        "<xmpMM:InstanceID>",
        "</xmpMM:InstanceID>",
        instance,
    );

    let mut added = String::new();
    if let Some(p) = &meta.publisher {
        added += &format!(
            "<dc:publisher><rdf:Bag><rdf:li>{}</rdf:li></rdf:Bag></dc:publisher>",
            escape(p)
        );
    }
    if let Some(r) = &meta.rights {
        added += &format!(
            "<dc:rights><rdf:Alt><rdf:li xml:lang=\"x-default\">{}</rdf:li></rdf:Alt></dc:rights>",
            escape(r)
        );
    }
    if let Some(issn) = &meta.issn {
        added += &format!("<prism:issn>{}</prism:issn>", escape(issn));
    }
    if let Some(volume) = meta.volume {
        added += &format!("<prism:volume>{volume}</prism:volume>");
    }
    if !meta.issue.is_empty() {
        added += &format!("<prism:number>{}</prism:number>", escape(&meta.issue));
    }
    let (y, m, d) = meta.date;
    added += &format!("<prism:coverDate>{y:04}-{m:02}-{d:02}</prism:coverDate>");
    added += &format!(
        "<prism:versionIdentifier>{}</prism:versionIdentifier>",
        meta.revision
    );
    let end = "</rdf:Description>";
    let at = x
        .rfind(end)
        .ok_or("metadata update: no rdf:Description in the XMP")?;
    x.insert_str(at, &added);

    let ns = "xmlns:dc=\"http://purl.org/dc/elements/1.1/\"";
    let at = x
        .find(ns)
        .ok_or("metadata update: no Dublin Core namespace in the XMP")?;
    x.insert_str(at, &format!("xmlns:prism=\"{PRISM}\" "));

    // A file that claims PDF/A describes the properties it adds; one without no claim
    // has no extension block and needs none.
    let schemas = "<pdfaExtension:schemas><rdf:Bag>";
    if let Some(at) = x.find(schemas) {
        x.insert_str(at + schemas.len(), &prism_schema());
    }
    Ok(x)
}

const PRISM: &str = "http://prismstandard.org/namespaces/basic/3.0/";

/// The PDF/A extension schema description of the PRISM properties used.
fn prism_schema() -> String {
    let property = |name: &str, kind: &str, what: &str| {
        format!(
            "<rdf:li rdf:parseType=\"Resource\"><pdfaProperty:category>external</pdfaProperty:category><pdfaProperty:description>{what}</pdfaProperty:description><pdfaProperty:name>{name}</pdfaProperty:name><pdfaProperty:valueType>{kind}</pdfaProperty:valueType></rdf:li>"
        )
    };
    format!(
        "<rdf:li rdf:parseType=\"Resource\"><pdfaSchema:schema>PRISM Basic Metadata</pdfaSchema:schema><pdfaSchema:namespaceURI>{PRISM}</pdfaSchema:namespaceURI><pdfaSchema:prefix>prism</pdfaSchema:prefix><pdfaSchema:property><rdf:Seq>{}{}{}{}{}</rdf:Seq></pdfaSchema:property></rdf:li>",
        property("issn", "Text", "ISSN of the serial"),
        property("volume", "Text", "Volume of the serial"),
        property("number", "Text", "Issue of the serial"),
        property("coverDate", "Date", "Date on the cover of the issue"),
        property("versionIdentifier", "Text", "Revision of the issue"),
    )
}

/// The information dictionary without `/Author` and with the reissue date as `/ModDate`.
fn rewrite_info(object: &[u8], modified: (u16, u8, u8, u8, u8, u8)) -> Result<Vec<u8>, String> {
    let start = find(object, b"<<").ok_or("metadata update: no information dictionary")?;
    let end = rfind(object, b">>").ok_or("metadata update: no information dictionary")?;
    let mut dict = object[start..end + 2].to_vec();
    for key in [b"/Author".as_slice(), b"/ModDate".as_slice()] {
        if let Some(k) = find(&dict, key) {
            let value_end = string_end(&dict, k + key.len())
                .ok_or("metadata update: an unreadable string in the information dictionary")?;
            dict.drain(k..value_end);
        }
    }
    let close = dict.len() - 2;
    dict.splice(
        close..close,
        format!("/ModDate({})", pdf_date(modified)).into_bytes(),
    );
    Ok(dict)
}

/// `D:YYYYMMDDHHmmSSZ`.
fn pdf_date((y, m, d, h, mi, s): (u16, u8, u8, u8, u8, u8)) -> String {
    format!("D:{y:04}{m:02}{d:02}{h:02}{mi:02}{s:02}Z")
}

/// `YYYY-MM-DDTHH:mm:SSZ`.
fn xmp_date((y, m, d, h, mi, s): (u16, u8, u8, u8, u8, u8)) -> String {
    format!("{y:04}-{m:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z")
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn between<'a>(s: &'a str, open: &str, close: &str) -> Option<&'a str> {
    let a = s.find(open)? + open.len();
    let b = a + s[a..].find(close)?;
    Some(&s[a..b])
}

fn replace_between(s: &mut String, open: &str, close: &str, with: &str) {
    if let Some(a) = s.find(open).map(|a| a + open.len())
        && let Some(b) = s[a..].find(close).map(|b| a + b)
    {
        s.replace_range(a..b, with);
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn rfind(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).rposition(|w| w == needle)
}

/// The decimal number after `at`, leading white space skipped.
fn number_after(bytes: &[u8], at: usize) -> Option<usize> {
    let rest = &bytes[at..];
    let start = rest.iter().position(|b| !b.is_ascii_whitespace())?;
    let len = rest[start..]
        .iter()
        .position(|b| !b.is_ascii_digit())
        .unwrap_or(rest.len() - start);
    std::str::from_utf8(&rest[start..start + len])
        .ok()?
        .parse()
        .ok()
}

/// The object number after `key` (`/Root 465 0 R`, or the number of `/Size 466`).
fn reference(dict: &[u8], key: &[u8]) -> Option<usize> {
    let mut at = 0;
    while let Some(k) = find(&dict[at..], key) {
        let after = at + k + key.len();
        // A key, not the start of a longer one (`/Info` vs `/InfoX`).
        if dict
            .get(after)
            .is_some_and(|b| b.is_ascii_whitespace() || b.is_ascii_digit())
        {
            return number_after(dict, after);
        }
        at = after;
    }
    None
}

/// The trailer's `/ID` strings as written.
fn ids(trailer: &[u8]) -> Option<(String, String)> {
    let at = find(trailer, b"/ID")? + 3;
    let open = at + trailer[at..].iter().position(|&b| b == b'[')? + 1;
    let first_start = open
        + trailer[open..]
            .iter()
            .position(|b| !b.is_ascii_whitespace())?;
    let first_end = string_end(trailer, first_start)?;
    let second_start = first_end
        + trailer[first_end..]
            .iter()
            .position(|b| !b.is_ascii_whitespace())?;
    let second_end = string_end(trailer, second_start)?;
    Some((
        String::from_utf8_lossy(&trailer[first_start..first_end]).into_owned(),
        String::from_utf8_lossy(&trailer[second_start..second_end]).into_owned(),
    ))
}

/// Where the string starting at (or after white space from) `at` ends: a literal string
/// `( … )` with escapes and nested parentheses, or a hex string `< … >`.
fn string_end(bytes: &[u8], at: usize) -> Option<usize> {
    let start = at + bytes[at..].iter().position(|b| !b.is_ascii_whitespace())?;
    match bytes[start] {
        b'(' => {
            let mut depth = 0usize;
            let mut i = start;
            while i < bytes.len() {
                match bytes[i] {
                    b'\\' => i += 1,
                    b'(' => depth += 1,
                    b')' => {
                        depth -= 1;
                        if depth == 0 {
                            return Some(i + 1);
                        }
                    }
                    _ => {}
                }
                i += 1;
            }
            None
        }
        b'<' => Some(start + bytes[start..].iter().position(|&b| b == b'>')? + 1),
        _ => None,
    }
}

/// The text of object `number` (`N 0 obj` … `endobj`).
fn object(pdf: &[u8], number: usize) -> Option<&[u8]> {
    let head = format!("{number} 0 obj");
    let mut at = 0;
    while let Some(k) = find(&pdf[at..], head.as_bytes()) {
        let start = at + k;
        if start == 0 || pdf[start - 1].is_ascii_whitespace() {
            let end = start + find(&pdf[start..], b"endobj")?;
            return Some(&pdf[start..end]);
        }
        at = start + head.len();
    }
    None
}

/// A stream object's data (uncompressed: the XMP packet is written as is).
fn stream_data(object: &[u8]) -> Option<&[u8]> {
    let start = find(object, b"stream")? + b"stream".len();
    let start = start + usize::from(object.get(start) == Some(&b'\r')) + 1;
    let end = rfind(object, b"endstream")?;
    let end = if object[..end].ends_with(b"\r\n") {
        end - 2
    } else if object[..end].ends_with(b"\n") {
        end - 1
    } else {
        end
    };
    object.get(start..end)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_end_after_escapes_and_nesting() {
        let b = b"/Author(A \\) (b) c)/X";
        assert_eq!(string_end(b, 7), Some(19));
        assert_eq!(string_end(b"<FEFF00>/", 0), Some(8));
    }

    #[test]
    fn the_information_dictionary_loses_its_author_and_gets_the_reissue_date() {
        let info = b"3 0 obj\n<</Title(T)/Author(A, B)/ModDate(D:20261101000000Z)/CreationDate(D:20261101000000Z)>>\n";
        let new = rewrite_info(info, (2027, 2, 3, 4, 5, 6)).unwrap();
        let new = String::from_utf8(new).unwrap();
        assert_eq!(
            new,
            "<</Title(T)/CreationDate(D:20261101000000Z)/ModDate(D:20270203040506Z)>>"
        );
    }
}
