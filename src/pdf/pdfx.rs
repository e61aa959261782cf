//! PDF/X-4 identification, added to the bytes krilla wrote as an incremental update.
//!
//! krilla 0.8 writes an output intent only for PDF/A (always sRGB, subtype `GTS_PDFA1`)
//! and knows nothing of PDF/X. This step appends, after krilla's `%%EOF`, new versions of
//! three objects and two new ones, with their own cross-reference section whose trailer
//! points back (`/Prev`) at krilla's:
//!
//! - the catalog, with `/OutputIntents` [one `/GTS_PDFX` intent];
//! - the document information, with `/GTS_PDFXVersion (PDF/X-4)` and `/Trapped /False`;
//! - the XMP metadata, with `pdfxid:GTS_PDFXVersion`, `pdf:Trapped`, `xmpMM:VersionID`
//!   and `xmpMM:RenditionClass` `default`;
//! - the output intent and its `DestOutputProfile` (the ICC profile, compressed).
//!
//! It reads only what krilla writes (a classic cross-reference table, objects not in
//! object streams, the XMP uncompressed) and refuses anything else with an error rather
//! than guess. The result is deterministic: the same input gives the same bytes.

use std::io::Write;

/// The printing condition the print PDF is made for.
#[derive(Debug, Clone, Copy)]
pub struct OutputIntent<'a> {
    /// The registered characterisation (`FOGRA39`).
    pub identifier: &'a str,
    /// Where it is registered (`http://www.color.org`).
    pub registry: &'a str,
    /// A human-readable description of the printing condition.
    pub condition: &'a str,
    /// The embedded profile's description.
    pub info: &'a str,
    /// The ICC profile of the printing condition (CMYK output profile).
    pub profile: &'a [u8],
}

/// Appends the PDF/X-4 identification to `pdf` (see the module's documentation).
pub fn add_pdfx4(pdf: &[u8], intent: &OutputIntent) -> Result<Vec<u8>, String> {
    let xref_at = last_startxref(pdf)?;
    let table = Xref::read(pdf, xref_at)?;
    let trailer = table.trailer.as_str();
    let root = reference(trailer, "/Root").ok_or("the trailer names no /Root")?;
    let info = reference(trailer, "/Info").ok_or("the trailer names no /Info")?;
    let size = number_after(trailer, "/Size").ok_or("the trailer has no /Size")?;
    let id = trailer
        .find("/ID")
        .map(|i| {
            let rest = &trailer[i..];
            rest[..rest.find(']').map_or(rest.len(), |e| e + 1)].to_string()
        })
        .ok_or("the trailer has no /ID")?;

    let catalog = dictionary(pdf, &table, root)?;
    if catalog.contains("/OutputIntents") {
        return Err("the catalog already has output intents".into());
    }
    let metadata = reference(&catalog, "/Metadata").ok_or("the catalog names no /Metadata")?;
    let info_dict = dictionary(pdf, &table, info)?;
    let xmp = xmp_packet(pdf, &table, metadata)?;

    let (oi, icc) = (size, size + 1);
    let mut out = pdf.to_vec();
    if !out.ends_with(b"\n") {
        out.push(b'\n');
    }
    let mut offsets: Vec<(u32, usize)> = Vec::new();

    // The new catalog and document information: the old dictionaries with the keys added.
    let catalog = insert_before_end(&catalog, &format!("/OutputIntents[{oi} 0 R]"))?;
    let info_dict = insert_before_end(&info_dict, "/GTS_PDFXVersion(PDF/X-4)/Trapped/False")?;
    for (num, dict) in [(root, catalog), (info, info_dict)] {
        offsets.push((num, out.len()));
        write!(out, "{num} 0 obj\n{dict}\nendobj\n").map_err(|e| e.to_string())?;
    }

    let xmp = pdfx_xmp(&xmp)?;
    offsets.push((metadata, out.len()));
    write!(
        out,
        "{metadata} 0 obj\n<</Length {}/Type/Metadata/Subtype/XML>>\nstream\n",
        xmp.len()
    )
    .map_err(|e| e.to_string())?;
    out.extend_from_slice(xmp.as_bytes());
    out.extend_from_slice(b"\nendstream\nendobj\n");

    offsets.push((oi, out.len()));
    write!(
        out,
        "{oi} 0 obj\n<</Type/OutputIntent/S/GTS_PDFX/OutputConditionIdentifier{}/RegistryName{}/OutputCondition{}/Info{}/DestOutputProfile {icc} 0 R>>\nendobj\n",
        literal(intent.identifier),
        literal(intent.registry),
        literal(intent.condition),
        literal(intent.info),
    )
    .map_err(|e| e.to_string())?;

    let compressed = deflate(intent.profile)?;
    offsets.push((icc, out.len()));
    write!(
        out,
        "{icc} 0 obj\n<</N 4/Length {}/Filter/FlateDecode>>\nstream\n",
        compressed.len()
    )
    .map_err(|e| e.to_string())?;
    out.extend_from_slice(&compressed);
    out.extend_from_slice(b"\nendstream\nendobj\n");

    let xref = out.len();
    out.extend_from_slice(xref_section(&offsets).as_bytes());
    write!(
        out,
        "trailer\n<</Size {}/Root {root} 0 R/Info {info} 0 R{id}/Prev {xref_at}>>\nstartxref\n{xref}\n%%EOF\n",
        icc + 1
    )
    .map_err(|e| e.to_string())?;
    Ok(out)
}

/// The cross-reference section for `offsets` (object number, byte offset): one
/// subsection per run of consecutive numbers, entries of exactly 20 bytes.
fn xref_section(offsets: &[(u32, usize)]) -> String {
    let mut sorted = offsets.to_vec();
    sorted.sort();
    let mut out = String::from("xref\n");
    let mut i = 0;
    while i < sorted.len() {
        let mut j = i + 1;
        while j < sorted.len() && sorted[j].0 == sorted[j - 1].0 + 1 {
            j += 1;
        }
        out.push_str(&format!("{} {}\n", sorted[i].0, j - i));
        for (_, offset) in &sorted[i..j] {
            out.push_str(&format!("{offset:010} 00000 n\r\n"));
        }
        i = j;
    }
    out
}

/// The XMP packet with the PDF/X keys: a second description of the same resource for the
/// new properties, and the rendition class PDF/X asks for.
fn pdfx_xmp(xmp: &str) -> Result<String, String> {
    let end = xmp.rfind("</rdf:RDF>").ok_or("the XMP has no rdf:RDF")?;
    let added = concat!(
        r#"<rdf:Description rdf:about="" xmlns:pdfxid="http://www.npes.org/pdfx/ns/id/""#,
        r#" xmlns:pdf="http://ns.adobe.com/pdf/1.3/" xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/">"#,
        "<pdfxid:GTS_PDFXVersion>PDF/X-4</pdfxid:GTS_PDFXVersion>",
        "<pdf:Trapped>False</pdf:Trapped>",
        "<xmpMM:VersionID>1</xmpMM:VersionID>",
        "</rdf:Description>"
    );
    let mut out = String::with_capacity(xmp.len() + added.len());
    out.push_str(&xmp[..end]);
    out.push_str(added);
    out.push_str(&xmp[end..]);
    Ok(out.replace(
        "<xmpMM:RenditionClass>proof</xmpMM:RenditionClass>",
        "<xmpMM:RenditionClass>default</xmpMM:RenditionClass>",
    ))
}

/// A PDF literal string, with the characters that need it escaped.
fn literal(s: &str) -> String {
    let mut out = String::from("(");
    for c in s.chars() {
        match c {
            '(' | ')' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_ascii() && !c.is_ascii_control() => out.push(c),
            _ => out.push('?'),
        }
    }
    out.push(')');
    out
}

fn deflate(data: &[u8]) -> Result<Vec<u8>, String> {
    let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::new(6));
    encoder.write_all(data).map_err(|e| e.to_string())?;
    encoder.finish().map_err(|e| e.to_string())
}

/// The offset in the last `startxref`.
fn last_startxref(pdf: &[u8]) -> Result<usize, String> {
    let at = rfind(pdf, b"startxref").ok_or("no startxref")?;
    let rest = std::str::from_utf8(&pdf[at + 9..]).map_err(|_| "startxref is not text")?;
    rest.split_whitespace()
        .next()
        .and_then(|n| n.parse().ok())
        .ok_or_else(|| "startxref has no offset".into())
}

/// A classic cross-reference table: object offsets and the trailer dictionary.
struct Xref {
    offsets: Vec<Option<usize>>,
    trailer: String,
}

impl Xref {
    fn read(pdf: &[u8], at: usize) -> Result<Xref, String> {
        let text = pdf.get(at..).ok_or("startxref points past the end")?;
        if !text.starts_with(b"xref") {
            return Err("not a classic cross-reference table (krilla writes one)".into());
        }
        let end = find(text, b"trailer").ok_or("no trailer")?;
        let table = std::str::from_utf8(&text[4..end]).map_err(|_| "the table is not text")?;
        let mut offsets: Vec<Option<usize>> = Vec::new();
        let mut lines = table.lines().map(str::trim).filter(|l| !l.is_empty());
        while let Some(head) = lines.next() {
            let mut parts = head.split_whitespace();
            let (Some(first), Some(count)) = (parts.next(), parts.next()) else {
                return Err(format!("bad subsection `{head}`"));
            };
            let first: usize = first
                .parse()
                .map_err(|_| format!("bad subsection `{head}`"))?;
            let count: usize = count
                .parse()
                .map_err(|_| format!("bad subsection `{head}`"))?;
            for n in first..first + count {
                let entry = lines.next().ok_or("the table ends early")?;
                let mut f = entry.split_whitespace();
                let offset: usize = f.next().and_then(|o| o.parse().ok()).ok_or("bad entry")?;
                let used = f.nth(1) == Some("n");
                if offsets.len() <= n {
                    offsets.resize(n + 1, None);
                }
                offsets[n] = used.then_some(offset);
            }
        }
        let rest = &text[end..];
        let close = find(rest, b"startxref").ok_or("no startxref after the trailer")?;
        let trailer = String::from_utf8_lossy(&rest[7..close]).trim().to_string();
        Ok(Xref { offsets, trailer })
    }

    /// The bytes of object `num` from its `obj` keyword to its `endobj`.
    fn body<'a>(&self, pdf: &'a [u8], num: u32) -> Result<&'a [u8], String> {
        let at = self
            .offsets
            .get(num as usize)
            .copied()
            .flatten()
            .ok_or_else(|| format!("object {num} is not in the table"))?;
        let text = pdf.get(at..).ok_or("an offset points past the end")?;
        let head = format!("{num} 0 obj");
        if !text.starts_with(head.as_bytes()) {
            return Err(format!("object {num} is not where the table says"));
        }
        let end = find(text, b"endobj").ok_or("no endobj")?;
        Ok(&text[head.len()..end])
    }
}

/// The dictionary that object `num` is (`<<…>>`), as text.
fn dictionary(pdf: &[u8], table: &Xref, num: u32) -> Result<String, String> {
    let body = table.body(pdf, num)?;
    let text = std::str::from_utf8(body).map_err(|_| format!("object {num} is not text"))?;
    let text = text.trim();
    if !(text.starts_with("<<") && text.ends_with(">>")) {
        return Err(format!("object {num} is not a plain dictionary"));
    }
    Ok(text.to_string())
}

/// The XMP packet of the uncompressed metadata stream `num`.
fn xmp_packet(pdf: &[u8], table: &Xref, num: u32) -> Result<String, String> {
    let body = table.body(pdf, num)?;
    let start = find(body, b"stream").ok_or("the metadata is not a stream")? + 6;
    let head = String::from_utf8_lossy(&body[..start]);
    if head.contains("/Filter") {
        return Err("the metadata stream is compressed".into());
    }
    let length = number_after(&head, "/Length").ok_or("the metadata has no /Length")? as usize;
    let data = &body[start..];
    let data = data
        .strip_prefix(b"\r\n")
        .or_else(|| data.strip_prefix(b"\n"))
        .unwrap_or(data);
    let packet = data
        .get(..length)
        .ok_or("the metadata is shorter than its /Length")?;
    String::from_utf8(packet.to_vec()).map_err(|_| "the metadata is not UTF-8".into())
}

/// `dict` (`<<…>>`) with `entries` added before its closing `>>`.
fn insert_before_end(dict: &str, entries: &str) -> Result<String, String> {
    let body = dict.strip_suffix(">>").ok_or("not a dictionary")?;
    Ok(format!("{body}{entries}>>"))
}

/// The object number of `key N 0 R` in `dict`.
fn reference(dict: &str, key: &str) -> Option<u32> {
    let mut parts = dict[dict.find(key)? + key.len()..].split_whitespace();
    let num = parts.next()?.parse().ok()?;
    (parts.next()? == "0" && parts.next()?.starts_with('R')).then_some(num)
}

/// The number after `key` in `dict`.
fn number_after(dict: &str, key: &str) -> Option<u32> {
    let rest = dict[dict.find(key)? + key.len()..].trim_start();
    let digits: String = rest.chars().take_while(|c| c.is_ascii_digit()).collect();
    digits.parse().ok()
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn rfind(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).rposition(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A minimal file as krilla lays one out: catalog, pages, info and XMP, a classic
    /// table and a one-line trailer.
    fn tiny() -> Vec<u8> {
        let xmp = r#"<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="" xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/"><xmpMM:RenditionClass>proof</xmpMM:RenditionClass></rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="r"?>"#;
        let objects = [
            "<</Type/Pages/Kids[2 0 R]/Count 1>>".to_string(),
            "<</Type/Page/Parent 1 0 R/MediaBox[0 0 10 10]>>".to_string(),
            "<</Title(T)/Producer(p)>>".to_string(),
            format!(
                "<</Length {}/Type/Metadata/Subtype/XML>>\nstream\n{xmp}\nendstream",
                xmp.len()
            ),
            "<</Type/Catalog/Pages 1 0 R/Metadata 4 0 R>>".to_string(),
        ];
        let mut out = b"%PDF-1.6\n%\x80\x80\x80\x80\n\n".to_vec();
        let mut offsets = Vec::new();
        for (i, o) in objects.iter().enumerate() {
            offsets.push(out.len());
            out.extend_from_slice(format!("{} 0 obj\n{o}\nendobj\n\n", i + 1).as_bytes());
        }
        let xref = out.len();
        out.extend_from_slice(b"xref\n0 6\n0000000000 65535 f\r\n");
        for o in offsets {
            out.extend_from_slice(format!("{o:010} 00000 n\r\n").as_bytes());
        }
        out.extend_from_slice(
            format!(
                "trailer\n<</Size 6/Root 5 0 R/Info 3 0 R/ID[(a)(b)]>>\nstartxref\n{xref}\n%%EOF"
            )
            .as_bytes(),
        );
        out
    }

    fn intent() -> OutputIntent<'static> {
        OutputIntent {
            identifier: "FOGRA39",
            registry: "http://www.color.org",
            condition: "Coated (paper type 1)",
            info: "Profile (test)",
            profile: b"not really a profile",
        }
    }

    #[test]
    fn the_update_adds_the_intent_the_version_and_a_second_table() {
        let before = tiny();
        let after = add_pdfx4(&before, &intent()).unwrap();
        assert!(
            after.starts_with(&before),
            "an incremental update keeps every byte"
        );
        let text = String::from_utf8_lossy(&after[before.len()..]);
        assert!(
            text.contains(
                "5 0 obj\n<</Type/Catalog/Pages 1 0 R/Metadata 4 0 R/OutputIntents[6 0 R]>>"
            ),
            "{text}"
        );
        assert!(text.contains("/GTS_PDFXVersion(PDF/X-4)/Trapped/False>>"));
        assert!(text.contains("/S/GTS_PDFX/OutputConditionIdentifier(FOGRA39)"));
        assert!(text.contains("/DestOutputProfile 7 0 R"));
        assert!(text.contains("<pdfxid:GTS_PDFXVersion>PDF/X-4</pdfxid:GTS_PDFXVersion>"));
        assert!(text.contains("<xmpMM:RenditionClass>default</xmpMM:RenditionClass>"));
        assert!(text.contains("/Size 8/Root 5 0 R/Info 3 0 R/ID[(a)(b)]/Prev "));

        // The new table finds every new object where it is.
        let table = Xref::read(&after, last_startxref(&after).unwrap()).unwrap();
        for num in [3, 4, 5, 6, 7] {
            let body = table.body(&after, num).unwrap();
            assert!(!body.is_empty(), "object {num}");
        }
        assert!(
            table.offsets[1].is_none(),
            "only changed objects are listed"
        );
        // The profile decompresses to what was given.
        let body = table.body(&after, 7).unwrap();
        let start = find(body, b"stream\n").unwrap() + 7;
        let end = rfind(body, b"\nendstream").unwrap();
        let mut inflated = Vec::new();
        use std::io::Read;
        flate2::read::ZlibDecoder::new(&body[start..end])
            .read_to_end(&mut inflated)
            .unwrap();
        assert_eq!(inflated, b"not really a profile");
        // Same input, same bytes.
        assert_eq!(after, add_pdfx4(&before, &intent()).unwrap());
    }

    #[test]
    fn subsections_follow_runs_of_numbers() {
        let s = xref_section(&[(7, 300), (3, 100), (5, 200), (6, 250)]);
        assert_eq!(
            s,
            "xref\n3 1\n0000000100 00000 n\r\n5 3\n0000000200 00000 n\r\n0000000250 00000 n\r\n0000000300 00000 n\r\n"
        );
    }

    #[test]
    fn files_it_does_not_understand_are_refused() {
        assert!(add_pdfx4(b"%PDF-1.6\nnothing", &intent()).is_err());
        let mut twice = add_pdfx4(&tiny(), &intent()).unwrap();
        assert!(
            add_pdfx4(&twice, &intent())
                .unwrap_err()
                .contains("already")
        );
        twice.truncate(20);
        assert!(add_pdfx4(&twice, &intent()).is_err());
    }

    #[test]
    fn literals_are_escaped() {
        assert_eq!(literal("a (b) \\ ü"), "(a \\(b\\) \\\\ ?)");
    }
}
