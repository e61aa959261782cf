//! The archive PDF as a tagged, verifiable PDF/A-2a and PDF/UA-1 file, checked beside
//! krilla's own validator (which refuses to write a file that breaks the standards it
//! claims): the catalog, the structure tree, the XMP metadata and the dates a reissue
//! changes, read back from the written file with `qpdf --json`.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

/// Builds the sample's PDF into `out` with `vars` in the environment.
fn build(edition: &Path, out: &Path, vars: &[(&str, &str)]) -> PathBuf {
    let result = common::quire_with_env(
        &[
            "build",
            edition.to_str().unwrap(),
            "--format",
            "pdf",
            "--out",
            out.to_str().unwrap(),
        ],
        vars,
    );
    assert!(
        result.status.success(),
        "quire build failed:\n{}",
        String::from_utf8_lossy(&result.stderr)
    );
    let slug = edition.file_name().unwrap().to_str().unwrap();
    out.join(format!("{slug}.pdf"))
}

/// The file's objects as qpdf reads them (the newest version of each), by reference.
struct Pdf {
    objects: BTreeMap<String, Value>,
    trailer: Value,
}

impl Pdf {
    fn read(path: &Path) -> Option<Pdf> {
        let qpdf = common::tool("qpdf")?;
        let out = Command::new(qpdf)
            .args([
                "--json=2",
                "--json-key=qpdf",
                "--decode-level=all",
                "--json-stream-data=inline",
            ])
            .arg(path)
            .output()
            .expect("qpdf runs");
        assert!(out.status.success(), "qpdf --json failed");
        let json: Value = serde_json::from_slice(&out.stdout).expect("qpdf writes JSON");
        let mut objects = BTreeMap::new();
        let mut trailer = Value::Null;
        for (key, value) in json["qpdf"][1].as_object().expect("qpdf objects") {
            if key == "trailer" {
                trailer = value["value"].clone();
            } else if let Some(r) = key.strip_prefix("obj:") {
                objects.insert(r.to_string(), value.clone());
            }
        }
        Some(Pdf { objects, trailer })
    }

    /// A reference (`"12 0 R"`) resolved to its value; other values as they are.
    fn get<'a>(&'a self, v: &'a Value) -> &'a Value {
        match v.as_str() {
            Some(r) if r.ends_with(" R") => self.objects.get(r).map_or(&Value::Null, |o| {
                if o.get("stream").is_some() {
                    &o["stream"]["dict"]
                } else {
                    &o["value"]
                }
            }),
            _ => v,
        }
    }

    fn catalog(&self) -> &Value {
        self.get(&self.trailer["/Root"])
    }

    /// The XMP packet, decoded.
    fn xmp(&self) -> String {
        let r = self.catalog()["/Metadata"].as_str().expect("/Metadata");
        let data = self.objects[r]["stream"]["data"]
            .as_str()
            .expect("stream data");
        String::from_utf8(decode_base64(data)).expect("UTF-8 XMP")
    }
}

/// A structure element: its type, attributes and children, its marked content counted.
#[derive(Debug)]
struct Element {
    kind: String,
    lang: Option<String>,
    alt: Option<String>,
    title: Option<String>,
    marked: usize,
    children: Vec<Element>,
}

impl Element {
    fn read(pdf: &Pdf, v: &Value) -> Option<Element> {
        let d = pdf.get(v);
        let kind = d.get("/S")?.as_str()?.trim_start_matches('/').to_string();
        let text = |k: &str| d.get(k).and_then(Value::as_str).map(pdf_text);
        let kids: Vec<&Value> = match d.get("/K") {
            Some(Value::Array(a)) => a.iter().collect(),
            Some(k) => vec![k],
            None => Vec::new(),
        };
        let marked = kids
            .iter()
            .filter(|k| k.is_number() || k.get("/MCID").is_some())
            .count();
        let children = kids.iter().filter_map(|k| Element::read(pdf, k)).collect();
        Some(Element {
            kind,
            lang: text("/Lang"),
            alt: text("/Alt"),
            title: text("/T"),
            marked,
            children,
        })
    }

    fn all<'a>(&'a self, out: &mut Vec<&'a Element>) {
        out.push(self);
        for c in &self.children {
            c.all(out);
        }
    }

    fn count(&self, kind: &str) -> usize {
        let mut all = Vec::new();
        self.all(&mut all);
        all.iter().filter(|e| e.kind == kind).count()
    }
}

/// qpdf writes text strings as `u:…` (and bytes as `b:…`).
fn pdf_text(s: &str) -> String {
    s.strip_prefix("u:").unwrap_or(s).to_string()
}

fn decode_base64(s: &str) -> Vec<u8> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    };
    let mut out = Vec::new();
    let (mut acc, mut bits) = (0u32, 0);
    for v in s.bytes().filter_map(value) {
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    out
}

/// The contents of every `<name>…</name>` in `xml`, XML escapes undone.
fn elements(xml: &str, name: &str) -> Vec<String> {
    let (open, close) = (format!("<{name}>"), format!("</{name}>"));
    let mut out = Vec::new();
    let mut rest = xml;
    while let Some(a) = rest.find(&open) {
        let after = &rest[a + open.len()..];
        let Some(b) = after.find(&close) else { break };
        out.push(
            after[..b]
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"")
                .replace("&amp;", "&"),
        );
        rest = &after[b + close.len()..];
    }
    out
}

fn sample() -> PathBuf {
    common::root().join("editions/sample")
}

#[test]
fn the_catalog_declares_a_tagged_document_in_the_editions_language() {
    let dir = common::temp_dir();
    let Some(pdf) = Pdf::read(&build(&sample(), dir.path(), &[])) else {
        return;
    };
    let catalog = pdf.catalog();
    assert_eq!(catalog["/MarkInfo"]["/Marked"], Value::Bool(true));
    assert!(catalog["/StructTreeRoot"].is_string(), "no structure tree");
    assert_eq!(pdf_text(catalog["/Lang"].as_str().unwrap()), "en-GB");
    assert_eq!(
        catalog["/ViewerPreferences"]["/DisplayDocTitle"],
        Value::Bool(true)
    );
    assert!(catalog["/OutputIntents"].is_array() || catalog["/OutputIntents"].is_string());
    assert!(
        pdf.trailer.get("/Encrypt").is_none(),
        "the file is encrypted"
    );
    assert!(pdf.trailer["/ID"].is_array(), "no file identifier");
}

#[test]
fn the_structure_tree_has_one_article_per_article_with_its_language() {
    let dir = common::temp_dir();
    let Some(pdf) = Pdf::read(&build(&sample(), dir.path(), &[])) else {
        return;
    };
    let root = pdf.get(&pdf.catalog()["/StructTreeRoot"]);
    let top = match &root["/K"] {
        Value::Array(a) => &a[0],
        k => k,
    };
    let document = Element::read(&pdf, top).expect("a Document element");
    assert_eq!(document.kind, "Document");
    assert_eq!(document.lang.as_deref(), Some("en-GB"));

    let edition = quire::edition::load(&sample()).expect("the sample loads");
    let parts = &document.children;
    // The cover and the contents, then the articles in reading order.
    assert_eq!(parts[0].kind, "Sect", "the cover");
    assert_eq!(parts[1].kind, "Sect", "the contents");
    let articles: Vec<&Element> = parts.iter().filter(|p| p.kind == "Art").collect();
    assert_eq!(articles.len(), edition.articles().count());
    for ((_, article), art) in edition.articles().zip(&articles) {
        let lang = article.language.as_str();
        let want = (lang != edition.meta.language.as_str()).then(|| lang.to_string());
        assert_eq!(art.lang, want, "{}: /Lang", article.title);
        let h1: Vec<&Element> = art.children.iter().filter(|e| e.kind == "H1").collect();
        assert_eq!(h1.len(), 1, "{}: one H1", article.title);
        assert_eq!(h1[0].title.as_deref(), Some(article.title.as_str()));
        assert!(h1[0].marked > 0, "{}: the H1 has no content", article.title);
        assert!(art.count("P") > 0, "{}: no paragraphs", article.title);
    }
    assert!(
        articles.iter().any(|a| a.lang.as_deref() == Some("de")),
        "the German article has no language of its own"
    );

    let mut all = Vec::new();
    document.all(&mut all);
    let count = |k: &str| all.iter().filter(|e| e.kind == k).count();
    for kind in [
        "H2",
        "L",
        "LI",
        "Lbl",
        "LBody",
        "Table",
        "TR",
        "TH",
        "TD",
        "Figure",
        "Caption",
        "Note",
        "BlockQuote",
        "Link",
    ] {
        assert!(count(kind) > 0, "no {kind} element in the sample");
    }
    for e in &all {
        match e.kind.as_str() {
            "Figure" => assert!(
                e.alt.as_deref().is_some_and(|a| !a.trim().is_empty()),
                "a Figure without /Alt"
            ),
            k if k.starts_with('H') && k[1..].parse::<u8>().is_ok() => {
                assert!(e.title.is_some(), "{k} without a title")
            }
            "LI" => {
                let kinds: Vec<&str> = e.children.iter().map(|c| c.kind.as_str()).collect();
                assert_eq!(kinds, ["Lbl", "LBody"], "list item");
            }
            "TR" => assert!(
                e.children.iter().all(|c| c.kind == "TH" || c.kind == "TD"),
                "a row holds cells only"
            ),
            _ => {}
        }
    }
}

#[test]
fn the_xmp_names_every_author_and_the_issue() {
    let dir = common::temp_dir();
    let Some(pdf) = Pdf::read(&build(&sample(), dir.path(), &[])) else {
        return;
    };
    let xmp = pdf.xmp();
    let edition = quire::edition::load(&sample()).expect("the sample loads");
    let creators = elements(&elements(&xmp, "dc:creator")[0], "rdf:li");
    assert_eq!(
        creators,
        edition.contributors(),
        "one dc:creator per author"
    );
    assert!(creators.len() > 1);
    let m = &edition.meta;
    assert_eq!(elements(&xmp, "prism:issn"), [m.issn.clone().unwrap()]);
    assert_eq!(elements(&xmp, "prism:number"), [m.issue.as_str()]);
    assert_eq!(m.volume, Some(5), "the sample names its volume");
    assert_eq!(elements(&xmp, "prism:volume"), ["5"]);
    assert_eq!(elements(&xmp, "prism:coverDate"), [m.date.iso()]);
    assert_eq!(elements(&xmp, "prism:versionIdentifier"), ["1"]);
    let publisher = elements(&elements(&xmp, "dc:publisher")[0], "rdf:li");
    assert_eq!(publisher, [m.publisher.clone().unwrap()]);
    assert_eq!(
        elements(&elements(&xmp, "dc:language")[0], "rdf:li"),
        ["en-GB"]
    );
    assert!(elements(&xmp, "dc:title")[0].contains(&m.title));
    assert_eq!(elements(&xmp, "pdfaid:part"), ["2"]);
    assert_eq!(elements(&xmp, "pdfaid:conformance"), ["A"]);
    assert_eq!(elements(&xmp, "pdfuaid:part"), ["1"]);
    // Every PRISM property used is described for PDF/A.
    for name in ["issn", "volume", "number", "coverDate", "versionIdentifier"] {
        assert!(
            xmp.contains(&format!("<pdfaProperty:name>{name}</pdfaProperty:name>")),
            "prism:{name} is not described"
        );
    }
    // The information dictionary agrees with the XMP (and has no Author, which PDF/A
    // would want equal to a single dc:creator).
    let info = pdf.get(&pdf.trailer["/Info"]);
    assert!(info.get("/Author").is_none());
    assert_eq!(
        elements(&xmp, "xmp:ModifyDate"),
        ["2026-11-01T00:00:00Z"],
        "first revision, no SOURCE_DATE_EPOCH: the edition's date"
    );
    assert_eq!(
        pdf_text(info["/ModDate"].as_str().unwrap()),
        "D:20261101000000Z"
    );
    assert_eq!(
        pdf_text(info["/CreationDate"].as_str().unwrap()),
        "D:20261101000000Z"
    );
}

#[test]
fn a_reissue_changes_its_modification_date_and_instance_only() {
    let dir = common::temp_dir();
    let first = build(&sample(), &dir.path().join("a"), &[]);
    let again = build(&sample(), &dir.path().join("b"), &[]);
    let first_bytes = std::fs::read(&first).unwrap();
    assert!(
        first_bytes == std::fs::read(&again).unwrap(),
        "builds differ"
    );

    // SOURCE_DATE_EPOCH: 2027-01-15 08:00:00 UTC.
    let dated = build(
        &sample(),
        &dir.path().join("c"),
        &[("SOURCE_DATE_EPOCH", "1800000000")],
    );
    let dated_again = build(
        &sample(),
        &dir.path().join("d"),
        &[("SOURCE_DATE_EPOCH", "1800000000")],
    );
    let dated_bytes = std::fs::read(&dated).unwrap();
    assert!(dated_bytes == std::fs::read(&dated_again).unwrap());
    assert!(dated_bytes != first_bytes);

    // A revision in edition.toml.
    let edition = dir.path().join("sample");
    common::copy_dir(&sample(), &edition);
    let toml = edition.join("edition.toml");
    let text = std::fs::read_to_string(&toml).unwrap();
    std::fs::write(
        &toml,
        text.replacen("\n[[section]]", "\nrevision = 3\n\n[[section]]", 1),
    )
    .unwrap();
    let revised = build(&edition, &dir.path().join("e"), &[]);

    let (Some(a), Some(c), Some(e)) = (Pdf::read(&first), Pdf::read(&dated), Pdf::read(&revised))
    else {
        return;
    };
    let modify = |p: &Pdf| elements(&p.xmp(), "xmp:ModifyDate")[0].clone();
    let create = |p: &Pdf| elements(&p.xmp(), "xmp:CreateDate")[0].clone();
    let instance = |p: &Pdf| elements(&p.xmp(), "xmpMM:InstanceID")[0].clone();
    let document = |p: &Pdf| elements(&p.xmp(), "xmpMM:DocumentID")[0].clone();
    assert_eq!(modify(&c), "2027-01-15T08:00:00Z");
    assert_eq!(modify(&e), "2026-11-01T00:00:02Z");
    assert_eq!(elements(&e.xmp(), "prism:versionIdentifier"), ["3"]);
    for p in [&c, &e] {
        assert_eq!(create(p), create(&a), "the creation date stays");
        assert_eq!(document(p), document(&a), "the document stays");
        assert_ne!(instance(p), instance(&a), "a reissue is a new instance");
        assert_eq!(p.trailer["/ID"][0], a.trailer["/ID"][0]);
        assert_ne!(p.trailer["/ID"][1], a.trailer["/ID"][1]);
    }
}

#[test]
fn a_bad_revision_is_refused_with_its_line() {
    let dir = common::temp_dir();
    let edition = dir.path().join("sample");
    common::copy_dir(&sample(), &edition);
    let toml = edition.join("edition.toml");
    let text = std::fs::read_to_string(&toml).unwrap();
    std::fs::write(
        &toml,
        text.replacen("\n[[section]]", "\nrevision = 0\n\n[[section]]", 1),
    )
    .unwrap();
    let line = std::fs::read_to_string(&toml)
        .unwrap()
        .lines()
        .position(|l| l.starts_with("revision"))
        .unwrap()
        + 1;
    let out = common::quire(&["check", edition.to_str().unwrap(), "--json"]);
    assert!(!out.status.success());
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("`revision` must be a whole number from 1"),
        "{stdout}"
    );
    assert!(stdout.contains("edition.toml"), "{stdout}");
    assert!(stdout.contains(&format!("\"line\":{line}")), "{stdout}");
}
