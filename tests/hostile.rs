//! The hostile-input suite: one table of cases, each a copy of the valid edition
//! `tests/cases/base/` broken in one way (or a bad command line), run through the real
//! binary. Every case asserts the exit status, the message (naming the file and, where
//! there is one, the line) and the state of `--out`: on failure the outputs already there
//! are kept byte for byte and no temporary is left; on success `--out` holds exactly the
//! edition's outputs beside what was there. Successful PDFs are checked with qpdf (required
//! with `QUIRE_REQUIRE_VALIDATORS=1`). Cases run in parallel, each under a time limit, so
//! a hang fails its case instead of stalling the suite.

mod common;

use std::fs;
use std::io::{Read, Write};
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// What `--out` (the folder `out/`, which starts with [`OLD_FILES`]) holds afterwards.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Out {
    /// Exactly the old files, byte for byte, and nothing else.
    Untouched,
    /// The edition's PDF and EPUB, new, and the old unrelated file; nothing else.
    Built,
}

/// Where stdout and stderr go.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Streams {
    Piped,
    /// stdout is `/dev/full`: every write fails.
    StdoutFull,
    /// stderr is `/dev/full`.
    StderrFull,
}

/// One hostile input. `setup` receives the case's folder, which holds the edition `ed/`
/// (a copy of the base edition) and `out/`; it runs with that folder as the working
/// directory, as quire does.
struct Case {
    name: &'static str,
    /// The class it belongs to (for the report).
    class: &'static str,
    setup: fn(&Path),
    /// The arguments; empty: `build ed --out out`.
    args: &'static [&'static str],
    exit: i32,
    /// Every one of these is on stderr.
    message_contains: &'static [&'static str],
    /// The file the message names, as shown (relative to the case's folder).
    file: Option<&'static str>,
    /// The line it names in `file` (`file:line:` is on stderr).
    line: Option<usize>,
    out_state: Out,
    streams: Streams,
    /// Over a second in a debug build: given a longer time limit.
    slow: bool,
    /// On success, also check the EPUB with EPUBCheck (Java, 10 s or more on a busy
    /// machine, so only where the EPUB holds something unusual).
    epubcheck: bool,
}

fn nothing(_: &Path) {}

/// A failure without a line, and outputs untouched: the most common shape of a case.
const FAIL: Case = Case {
    name: "",
    class: "",
    setup: nothing,
    args: &[],
    exit: 1,
    message_contains: &[],
    file: None,
    line: None,
    out_state: Out::Untouched,
    streams: Streams::Piped,
    slow: false,
    epubcheck: false,
};

/// What `out/` holds before each case.
const OLD_FILES: [(&str, &[u8]); 3] = [
    ("ed.pdf", b"%PDF- an older build"),
    ("ed.epub", b"PK an older build"),
    ("notes.txt", b"not quire's"),
];

// --- Setup helpers -------------------------------------------------------------------

fn ed(t: &Path, rel: &str) -> PathBuf {
    t.join("ed").join(rel)
}

fn write(t: &Path, rel: &str, bytes: &[u8]) {
    let path = ed(t, rel);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, bytes).unwrap();
}

/// Replaces the first `from` (which must occur) by `to` in the edition's file `rel`.
fn replace(t: &Path, rel: &str, from: &str, to: &str) {
    let path = ed(t, rel);
    let text = fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "`{from}` is not in {rel}");
    fs::write(path, text.replacen(from, to, 1)).unwrap();
}

/// Adds `lines` to edition.toml after its sixth line (before `[[section]]`), so the
/// first added line is line 7.
fn toml_lines(t: &Path, lines: &str) {
    replace(
        t,
        "edition.toml",
        "\n\n[[section]]",
        &format!("\n{lines}\n\n[[section]]"),
    );
}

/// Replaces the paragraph of `articles/one.md` (line 7) by `text`.
fn body(t: &Path, text: &str) {
    replace(
        t,
        "articles/one.md",
        "A short paragraph that stands in for a whole article.",
        text,
    );
}

/// Points the cover at `images/<name>` holding `bytes` (line 6 of edition.toml).
fn cover(t: &Path, name: &str, bytes: &[u8]) {
    write(t, &format!("images/{name}"), bytes);
    replace(
        t,
        "edition.toml",
        "images/pic.png",
        &format!("images/{name}"),
    );
}

fn mkfifo(path: &Path) {
    let _ = fs::remove_file(path);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    let ok = Command::new("mkfifo").arg(path).status().unwrap().success();
    assert!(ok, "mkfifo {}", path.display());
}

/// Replaces the edition's `rel` by a symbolic link to `target`.
fn link(t: &Path, rel: &str, target: &Path) {
    let path = ed(t, rel);
    let _ = fs::remove_file(&path);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    symlink(target, path).unwrap();
}

/// A file outside the edition, in the case's folder.
fn outside(t: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = t.join(name);
    fs::write(&path, bytes).unwrap();
    path
}

fn base_png() -> Vec<u8> {
    fs::read(common::root().join("tests/cases/base/images/pic.png")).unwrap()
}

fn cmyk_jpeg() -> Vec<u8> {
    fs::read(common::root().join("tests/cases/cmyk/images/bands-cmyk.jpg")).unwrap()
}

/// The CMYK JPEG with the shipped FOGRA39 profile embedded as APP2 `ICC_PROFILE`
/// segments after the start marker.
fn cmyk_jpeg_with_icc() -> Vec<u8> {
    let jpeg = cmyk_jpeg();
    let icc = fs::read(common::root().join("icc/coated-fogra39-quire.icc")).unwrap();
    let chunks: Vec<&[u8]> = icc.chunks(65_000).collect();
    let mut out = jpeg[..2].to_vec();
    for (i, chunk) in chunks.iter().enumerate() {
        let mut body = b"ICC_PROFILE\0".to_vec();
        body.extend([i as u8 + 1, chunks.len() as u8]);
        body.extend_from_slice(chunk);
        out.extend([0xFF, 0xE2]);
        out.extend(u16::try_from(body.len() + 2).unwrap().to_be_bytes());
        out.extend(body);
    }
    out.extend_from_slice(&jpeg[2..]);
    out
}

/// A PNG chunk: length, type, data, CRC.
fn png_chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut body = kind.to_vec();
    body.extend_from_slice(data);
    let mut crc = flate2::Crc::new();
    crc.update(&body);
    let mut out = (data.len() as u32).to_be_bytes().to_vec();
    out.extend(&body);
    out.extend(crc.sum().to_be_bytes());
    out
}

/// The base PNG with a colour profile chunk (iCCP) inserted after IHDR that inflates to
/// 64 MB of zeros (about 64 KB compressed).
fn iccp_bomb() -> Vec<u8> {
    let png = base_png();
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    let zeros = vec![0u8; 1 << 20];
    for _ in 0..64 {
        z.write_all(&zeros).unwrap();
    }
    let mut data = b"bomb\0\0".to_vec();
    data.extend(z.finish().unwrap());
    // Signature (8) and IHDR (4 + 4 + 13 + 4) come first.
    let at = 8 + 25;
    let mut out = png[..at].to_vec();
    out.extend(png_chunk(b"iCCP", &data));
    out.extend_from_slice(&png[at..]);
    out
}

/// A PNG header claiming `w` × `h` pixels, with no image data.
fn png_header_only(w: u32, h: u32) -> Vec<u8> {
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = w.to_be_bytes().to_vec();
    ihdr.extend(h.to_be_bytes());
    ihdr.extend([8, 6, 0, 0, 0]);
    out.extend(png_chunk(b"IHDR", &ihdr));
    out.extend(png_chunk(b"IEND", &[]));
    out
}

/// `n` bytes of a YAML comment line, to make an article large cheaply.
fn big_comment(n: usize) -> String {
    format!("# {}\n", "x".repeat(n))
}

/// `n` space-separated words.
fn words(n: usize) -> String {
    (0..n)
        .map(|i| format!("w{i}"))
        .collect::<Vec<_>>()
        .join(" ")
}

// --- The table -----------------------------------------------------------------------

fn cases() -> Vec<Case> {
    vec![
        // Special files: refused without being opened (a FIFO would block for ever, a
        // device never ends).
        Case {
            name: "fifo as an article",
            class: "special files",
            setup: |t| mkfifo(&ed(t, "articles/two.md")),
            message_contains: &["`articles/two.md` is a named pipe (FIFO)", "regular files"],
            file: Some("ed/edition.toml"),
            line: Some(10),
            ..FAIL
        },
        Case {
            name: "fifo as an image in an article",
            class: "special files",
            setup: |t| mkfifo(&ed(t, "images/pic.png")),
            message_contains: &["`images/pic.png` is a named pipe (FIFO)"],
            file: Some("ed/edition.toml"),
            line: Some(6),
            ..FAIL
        },
        Case {
            name: "fifo as a font file",
            class: "special files",
            setup: |t| mkfifo(&ed(t, "fonts/Face.otf")),
            message_contains: &["fonts/Face.otf` is a named pipe (FIFO)"],
            ..FAIL
        },
        Case {
            name: "fifo as edition.toml",
            class: "special files",
            setup: |t| mkfifo(&ed(t, "edition.toml")),
            message_contains: &["edition.toml` is a named pipe (FIFO)"],
            file: Some("ed/edition.toml"),
            ..FAIL
        },
        Case {
            name: "fifo as hyphenation.txt",
            class: "special files",
            setup: |t| mkfifo(&ed(t, "hyphenation.txt")),
            message_contains: &["hyphenation.txt` is a named pipe (FIFO)"],
            ..FAIL
        },
        Case {
            name: "article linked to /dev/zero",
            class: "special files",
            setup: |t| link(t, "articles/one.md", Path::new("/dev/zero")),
            message_contains: &["articles/one.md"],
            file: Some("ed/edition.toml"),
            line: Some(10),
            ..FAIL
        },
        Case {
            name: "image linked to /dev/zero",
            class: "special files",
            setup: |t| {
                fs::create_dir_all(ed(t, "images/dev")).unwrap();
                link(t, "images/zero.png", Path::new("/dev/zero"));
                replace(t, "edition.toml", "images/pic.png", "images/zero.png");
            },
            message_contains: &["images/zero.png"],
            file: Some("ed/edition.toml"),
            line: Some(6),
            ..FAIL
        },
        Case {
            name: "article that is a folder",
            class: "special files",
            setup: |t| {
                fs::remove_file(ed(t, "articles/two.md")).unwrap();
                fs::create_dir_all(ed(t, "articles/two.md")).unwrap();
            },
            message_contains: &["`articles/two.md` is a folder"],
            file: Some("ed/edition.toml"),
            line: Some(10),
            ..FAIL
        },
        // Symbolic links that lead out of the edition folder.
        Case {
            name: "edition.toml linked from outside",
            class: "symlinks out",
            setup: |t| {
                let text = fs::read(ed(t, "edition.toml")).unwrap();
                let target = outside(t, "elsewhere.toml", &text);
                link(t, "edition.toml", &target);
            },
            message_contains: &["leads outside the edition folder through a symbolic link"],
            file: Some("ed/edition.toml"),
            ..FAIL
        },
        Case {
            name: "article linked from outside",
            class: "symlinks out",
            setup: |t| {
                let text = fs::read(ed(t, "articles/two.md")).unwrap();
                let target = outside(t, "secret.md", &text);
                link(t, "articles/two.md", &target);
            },
            message_contains: &["articles/two.md", "outside the edition"],
            file: Some("ed/edition.toml"),
            line: Some(10),
            ..FAIL
        },
        Case {
            name: "image linked from outside",
            class: "symlinks out",
            setup: |t| {
                let target = outside(t, "secret.png", &base_png());
                link(t, "images/pic.png", &target);
            },
            message_contains: &["images/pic.png", "outside the edition"],
            file: Some("ed/edition.toml"),
            line: Some(6),
            ..FAIL
        },
        Case {
            name: "fonts folder linked to /",
            class: "symlinks out",
            setup: |t| symlink("/", ed(t, "fonts")).unwrap(),
            message_contains: &["ed/fonts` leads outside", "through a symbolic link"],
            ..FAIL
        },
        Case {
            name: "fonts folder linked to a folder outside",
            class: "symlinks out",
            setup: |t| {
                fs::create_dir_all(t.join("shared-fonts")).unwrap();
                symlink(t.join("shared-fonts"), ed(t, "fonts")).unwrap();
            },
            message_contains: &["ed/fonts` leads outside"],
            ..FAIL
        },
        Case {
            name: "font file linked from outside",
            class: "symlinks out",
            setup: |t| {
                let target = outside(t, "Secret.otf", b"OTTO not really a font");
                link(t, "fonts/Secret.otf", &target);
            },
            message_contains: &["fonts/Secret.otf` leads outside", "through a symbolic link"],
            ..FAIL
        },
        Case {
            name: "hyphenation list linked from outside",
            class: "symlinks out",
            setup: |t| {
                let target = outside(t, "words.txt", b"ex-am-ple\n");
                link(t, "hyphenation.txt", &target);
            },
            message_contains: &["ed/hyphenation.txt", "leads outside the edition folder"],
            ..FAIL
        },
        Case {
            name: "style file linked from outside",
            class: "symlinks out",
            setup: |t| {
                let target = outside(t, "house.toml", b"[page]\n");
                link(t, "styles/house.toml", &target);
                toml_lines(t, "style = \"house\"");
            },
            message_contains: &["styles/house.toml", "outside the edition"],
            file: Some("ed/edition.toml"),
            ..FAIL
        },
        // Symbolic link loops.
        Case {
            name: "font links in a loop",
            class: "symlink loops",
            setup: |t| {
                fs::create_dir_all(ed(t, "fonts")).unwrap();
                symlink("b.otf", ed(t, "fonts/a.otf")).unwrap();
                symlink("a.otf", ed(t, "fonts/b.otf")).unwrap();
            },
            message_contains: &["fonts/a.otf` cannot be followed"],
            ..FAIL
        },
        Case {
            name: "a folder under fonts linking back up is walked once",
            class: "symlink loops",
            setup: |t| {
                fs::create_dir_all(ed(t, "fonts/deep")).unwrap();
                symlink("..", ed(t, "fonts/deep/up")).unwrap();
            },
            exit: 0,
            out_state: Out::Built,
            ..FAIL
        },
        Case {
            name: "article linking to itself",
            class: "symlink loops",
            setup: |t| {
                fs::remove_file(ed(t, "articles/two.md")).unwrap();
                symlink("two.md", ed(t, "articles/two.md")).unwrap();
            },
            message_contains: &["articles/two.md"],
            file: Some("ed/edition.toml"),
            line: Some(10),
            ..FAIL
        },
        // Size limits, their overrides and bad values.
        Case {
            name: "article over [limits] text_file_mb = 1",
            class: "size limits",
            setup: |t| {
                toml_lines(t, "[limits]\ntext_file_mb = 1");
                replace(
                    t,
                    "articles/one.md",
                    "kicker: Testing\n",
                    &big_comment(1_200_000),
                );
            },
            message_contains: &["articles/one.md` is 1.1 MB", "limit of 1.0 MB"],
            ..FAIL
        },
        Case {
            name: "--max-file-size 2 raises [limits] text_file_mb = 1",
            class: "size limits",
            setup: |t| {
                toml_lines(t, "[limits]\ntext_file_mb = 1");
                replace(
                    t,
                    "articles/one.md",
                    "kicker: Testing\n",
                    &big_comment(1_200_000),
                );
            },
            args: &["build", "ed", "--out", "out", "--max-file-size", "2"],
            exit: 0,
            out_state: Out::Built,
            ..FAIL
        },
        Case {
            name: "edition.toml over --max-file-size 1",
            class: "size limits",
            setup: |t| {
                let mut text = fs::read_to_string(ed(t, "edition.toml")).unwrap();
                text.push_str(&big_comment(1_200_000));
                write(t, "edition.toml", text.as_bytes());
            },
            args: &["check", "ed", "--max-file-size", "1"],
            message_contains: &["edition.toml` is 1.1 MB", "limit of 1.0 MB"],
            file: Some("ed/edition.toml"),
            ..FAIL
        },
        Case {
            name: "image over [limits] image_file_mb = 1",
            class: "size limits",
            setup: |t| {
                let mut png = base_png();
                png.resize(1_300_000, 0);
                cover(t, "big.png", &png);
                toml_lines(t, "[limits]\nimage_file_mb = 1");
            },
            message_contains: &["`images/big.png` is 1.2 MB", "limit of 1.0 MB"],
            file: Some("ed/edition.toml"),
            line: Some(6),
            ..FAIL
        },
        Case {
            name: "font over [limits] font_file_mb = 1",
            class: "size limits",
            setup: |t| {
                write(t, "fonts/Big.otf", &vec![0u8; 1_300_000]);
                toml_lines(t, "[limits]\nfont_file_mb = 1");
            },
            message_contains: &["fonts/Big.otf` is 1300000 bytes", "limit of 1048576 bytes"],
            ..FAIL
        },
        Case {
            name: "--max-file-size 0 is a usage error",
            class: "size limits",
            args: &["build", "ed", "--out", "out", "--max-file-size", "0"],
            exit: 2,
            message_contains: &["--max-file-size", "0"],
            ..FAIL
        },
        Case {
            name: "--max-file-size above its ceiling is a usage error",
            class: "size limits",
            args: &["check", "ed", "--max-file-size", "100000"],
            exit: 2,
            message_contains: &["--max-file-size", "256"],
            ..FAIL
        },
        Case {
            name: "--max-file-size that is no number is a usage error",
            class: "size limits",
            args: &["build", "ed", "--out", "out", "--max-file-size", "lots"],
            exit: 2,
            message_contains: &["--max-file-size", "lots"],
            ..FAIL
        },
        Case {
            name: "[limits] value above its hard ceiling",
            class: "size limits",
            setup: |t| toml_lines(t, "[limits]\ntext_file_mb = 100000"),
            message_contains: &[
                "`limits.text_file_mb` = 100000 is above its hard ceiling of 256 MB",
                "from 1 to 256",
            ],
            file: Some("ed/edition.toml"),
            line: Some(8),
            ..FAIL
        },
        Case {
            name: "[limits] value of zero",
            class: "size limits",
            setup: |t| toml_lines(t, "[limits]\nimage_file_mb = 0"),
            message_contains: &["`limits.image_file_mb` = 0 is below the least value, 1"],
            file: Some("ed/edition.toml"),
            line: Some(8),
            ..FAIL
        },
        Case {
            name: "[limits] value that is not a whole number",
            class: "size limits",
            setup: |t| toml_lines(t, "[limits]\ntitle_chars = 2.5"),
            message_contains: &["`limits.title_chars` must be a whole number of characters"],
            file: Some("ed/edition.toml"),
            line: Some(8),
            ..FAIL
        },
        Case {
            name: "[limits] unknown key, with the other errors",
            class: "size limits",
            setup: |t| toml_lines(t, "[limits]\ntitle_char = 30\nurl_bytes = -3"),
            message_contains: &[
                "unknown key `limits.title_char`",
                "did you mean `title_chars`?",
                "`limits.url_bytes` must be a whole number",
            ],
            file: Some("ed/edition.toml"),
            line: Some(8),
            ..FAIL
        },
        Case {
            name: "[limits] that is not a table",
            class: "size limits",
            setup: |t| toml_lines(t, "limits = 3"),
            message_contains: &["invalid type"],
            file: Some("ed/edition.toml"),
            line: Some(7),
            ..FAIL
        },
        // Length limits: one limit for titles, whatever the loader admits the PDF holds.
        Case {
            name: "article title over 2,000 characters",
            class: "length limits",
            setup: |t| {
                replace(
                    t,
                    "articles/one.md",
                    "title: The First Article",
                    &format!("title: {}", "t".repeat(2_001)),
                )
            },
            message_contains: &["`title` is 2001 characters long, more than the limit of 2000"],
            file: Some("ed/articles/one.md"),
            line: Some(2),
            ..FAIL
        },
        Case {
            name: "longest titles and description admitted, in four-byte and accented letters",
            epubcheck: true,
            class: "length limits",
            setup: |t| {
                replace(
                    t,
                    "articles/one.md",
                    "title: The First Article",
                    &format!("title: \"{}\"", "\u{1D538}".repeat(2_000)),
                );
                replace(
                    t,
                    "edition.toml",
                    "title = \"The Test Review\"",
                    &format!("title = \"{}\"", "\u{1D539}".repeat(2_000)),
                );
                toml_lines(t, &format!("description = \"{}\"", "\u{e9}".repeat(20_000)));
            },
            exit: 0,
            message_contains: &[
                "the document's description is longer than the 32000 bytes PDF/A allows",
            ],
            out_state: Out::Built,
            slow: true,
            ..FAIL
        },
        Case {
            name: "title at the ceiling of title_chars, 10,000 four-byte letters",
            class: "length limits",
            setup: |t| {
                toml_lines(t, "[limits]\ntitle_chars = 10000");
                let title = format!("title = \"{}\"", "\u{1D538}".repeat(10_000));
                replace(
                    t,
                    "articles/two.md",
                    "title = \"The Second Article\"",
                    &title,
                );
            },
            exit: 0,
            message_contains: &[
                "a bookmark (a section or article title) is longer than the 32000 bytes PDF/A allows",
            ],
            out_state: Out::Built,
            slow: true,
            ..FAIL
        },
        Case {
            name: "title_chars lowered to 10",
            class: "length limits",
            setup: |t| toml_lines(t, "[limits]\ntitle_chars = 10"),
            message_contains: &["`title` is 17 characters long, more than the limit of 10"],
            file: Some("ed/articles/one.md"),
            line: Some(2),
            ..FAIL
        },
        Case {
            name: "title_chars raised to 3,000 admits a 2,500-character title",
            class: "length limits",
            setup: |t| {
                toml_lines(t, "[limits]\ntitle_chars = 3000");
                replace(
                    t,
                    "articles/two.md",
                    "title = \"The Second Article\"",
                    &format!("title = \"{}\"", "Long ".repeat(500)),
                );
            },
            exit: 0,
            out_state: Out::Built,
            slow: true,
            ..FAIL
        },
        Case {
            name: "kicker over the limit",
            class: "length limits",
            setup: |t| {
                replace(
                    t,
                    "articles/one.md",
                    "kicker: Testing",
                    &format!("kicker: {}", "k".repeat(2_500)),
                )
            },
            message_contains: &["`kicker` is 2500 characters long"],
            file: Some("ed/articles/one.md"),
            line: Some(3),
            ..FAIL
        },
        Case {
            name: "author's name over the limit",
            class: "length limits",
            setup: |t| {
                replace(
                    t,
                    "articles/one.md",
                    "authors: [A. Writer]",
                    &format!("authors: [{}]", "a".repeat(2_500)),
                )
            },
            message_contains: &["an author's name is 2500 characters long"],
            file: Some("ed/articles/one.md"),
            line: Some(4),
            ..FAIL
        },
        Case {
            name: "standfirst over the limit",
            class: "length limits",
            setup: |t| {
                replace(
                    t,
                    "articles/one.md",
                    "kicker: Testing",
                    &format!("kicker: Testing\nstandfirst: {}", "s".repeat(20_001)),
                )
            },
            message_contains: &[
                "`standfirst` is 20001 characters long, more than the limit of 20000",
            ],
            file: Some("ed/articles/one.md"),
            line: Some(4),
            ..FAIL
        },
        Case {
            name: "edition title over the limit",
            class: "length limits",
            setup: |t| {
                replace(
                    t,
                    "edition.toml",
                    "title = \"The Test Review\"",
                    &format!("title = \"{}\"", "T".repeat(2_001)),
                )
            },
            message_contains: &["`title` is 2001 characters long"],
            file: Some("ed/edition.toml"),
            line: Some(1),
            ..FAIL
        },
        Case {
            name: "section title over the limit",
            class: "length limits",
            setup: |t| {
                replace(
                    t,
                    "edition.toml",
                    "title = \"Features\"",
                    &format!("title = \"{}\"", "F".repeat(3_000)),
                )
            },
            message_contains: &["`title` is 3000 characters long"],
            file: Some("ed/edition.toml"),
            line: Some(9),
            ..FAIL
        },
        Case {
            name: "description over the limit",
            class: "length limits",
            setup: |t| toml_lines(t, &format!("description = \"{}\"", "d".repeat(20_001))),
            message_contains: &["`description` is 20001 characters long"],
            file: Some("ed/edition.toml"),
            line: Some(7),
            ..FAIL
        },
        Case {
            name: "link address over 8 KiB",
            class: "length limits",
            setup: |t| {
                body(
                    t,
                    &format!("A [link](https://example.com/{}) here.", "a".repeat(9_000)),
                )
            },
            message_contains: &["link's address is", "at most 8192"],
            file: Some("ed/articles/one.md"),
            line: Some(7),
            ..FAIL
        },
        Case {
            name: "url_bytes raised to 16,000 admits a 9,000-byte address",
            class: "length limits",
            setup: |t| {
                toml_lines(t, "[limits]\nurl_bytes = 16000");
                body(
                    t,
                    &format!("A [link](https://example.com/{}) here.", "a".repeat(9_000)),
                );
            },
            exit: 0,
            out_state: Out::Built,
            ..FAIL
        },
        Case {
            name: "url_bytes lowered to 20",
            class: "length limits",
            setup: |t| {
                toml_lines(t, "[limits]\nurl_bytes = 20");
                body(t, "A [link](https://example.com/a/long/path) here.");
            },
            message_contains: &["at most 20 are allowed"],
            file: Some("ed/articles/one.md"),
            line: Some(7),
            ..FAIL
        },
        // Depth limits.
        Case {
            name: "YAML front matter nested 100,000 deep",
            class: "depth limits",
            setup: |t| {
                replace(
                    t,
                    "articles/one.md",
                    "kicker: Testing",
                    &format!("kicker: {}", "[".repeat(100_000)),
                )
            },
            message_contains: &["nests brackets or braces more than 64 deep"],
            file: Some("ed/articles/one.md"),
            line: Some(3),
            ..FAIL
        },
        Case {
            name: "yaml_depth lowered to 1",
            class: "depth limits",
            setup: |t| {
                toml_lines(t, "[limits]\nyaml_depth = 1");
                replace(
                    t,
                    "articles/one.md",
                    "authors: [A. Writer]",
                    "authors: [[A. Writer]]",
                );
            },
            message_contains: &["more than 1 deep"],
            file: Some("ed/articles/one.md"),
            line: Some(4),
            ..FAIL
        },
        Case {
            name: "yaml_depth above its ceiling",
            class: "depth limits",
            setup: |t| toml_lines(t, "[limits]\nyaml_depth = 129"),
            message_contains: &["`limits.yaml_depth` = 129 is above its hard ceiling of 128"],
            file: Some("ed/edition.toml"),
            line: Some(8),
            ..FAIL
        },
        Case {
            name: "block quotes nested 5,000 deep are refused at their line",
            class: "depth limits",
            setup: |t| body(t, &format!("{} deep", ">".repeat(5_000))),
            message_contains: &["nest more than 32 deep"],
            file: Some("ed/articles/one.md"),
            line: Some(7),
            ..FAIL
        },
        Case {
            name: "lists nested 2,000 deep are refused at their line",
            class: "depth limits",
            setup: |t| {
                let list: String = (0..2_000)
                    .map(|i| format!("{}- item {i}\n", "  ".repeat(i)))
                    .collect();
                body(t, &list);
            },
            message_contains: &["nest more than 32 deep"],
            file: Some("ed/articles/one.md"),
            line: Some(39),
            slow: true,
            ..FAIL
        },
        // Damaged images.
        Case {
            name: "truncated JPEG as the cover",
            class: "damaged images",
            setup: |t| {
                let jpeg = cmyk_jpeg();
                cover(t, "cut.jpg", &jpeg[..jpeg.len() / 2]);
            },
            message_contains: &["`images/cut.jpg` cannot be decoded"],
            file: Some("ed/edition.toml"),
            line: Some(6),
            ..FAIL
        },
        Case {
            name: "PNG whose colour profile inflates to 64 MB",
            class: "damaged images",
            setup: |t| cover(t, "bomb.png", &iccp_bomb()),
            message_contains: &["images/bomb.png", "colour profile"],
            file: Some("ed/edition.toml"),
            line: Some(6),
            ..FAIL
        },
        Case {
            name: "CMYK JPEG with an embedded ICC profile is accepted",
            class: "damaged images",
            setup: |t| cover(t, "cmyk.jpg", &cmyk_jpeg_with_icc()),
            exit: 0,
            out_state: Out::Built,
            ..FAIL
        },
        Case {
            name: "PNG header claiming 60,000 × 60,000 pixels",
            class: "damaged images",
            setup: |t| cover(t, "huge.png", &png_header_only(60_000, 60_000)),
            message_contains: &["images/huge.png"],
            file: Some("ed/edition.toml"),
            line: Some(6),
            ..FAIL
        },
        Case {
            name: "text file posing as a PNG",
            class: "damaged images",
            setup: |t| cover(t, "fake.png", b"this is not an image at all"),
            message_contains: &["images/fake.png"],
            file: Some("ed/edition.toml"),
            line: Some(6),
            ..FAIL
        },
        Case {
            name: "empty image file in an article",
            class: "damaged images",
            setup: |t| write(t, "images/pic.png", b""),
            message_contains: &["images/pic.png"],
            file: Some("ed/edition.toml"),
            line: Some(6),
            ..FAIL
        },
        // Link schemes: only http, https, mailto and article links stay live; others are
        // set as plain text with a warning at their line.
        Case {
            name: "javascript: link",
            class: "link schemes",
            setup: |t| body(t, "A [link](javascript:alert(1)) here."),
            exit: 0,
            message_contains: &["javascript:"],
            file: Some("ed/articles/one.md"),
            line: Some(7),
            out_state: Out::Built,
            ..FAIL
        },
        Case {
            name: "data: link",
            class: "link schemes",
            setup: |t| body(t, "A [link](data:text/html;base64,PHNjcmlwdD4=) here."),
            exit: 0,
            message_contains: &["data:"],
            file: Some("ed/articles/one.md"),
            line: Some(7),
            out_state: Out::Built,
            ..FAIL
        },
        Case {
            name: "file: link",
            class: "link schemes",
            setup: |t| body(t, "A [link](file:///etc/passwd) here."),
            exit: 0,
            message_contains: &["file:"],
            file: Some("ed/articles/one.md"),
            line: Some(7),
            out_state: Out::Built,
            ..FAIL
        },
        Case {
            name: "vbscript: link",
            class: "link schemes",
            setup: |t| body(t, "A [link](VBScript:msgbox) here."),
            exit: 0,
            message_contains: &["VBScript:"],
            file: Some("ed/articles/one.md"),
            line: Some(7),
            out_state: Out::Built,
            ..FAIL
        },
        Case {
            name: "protocol-relative //host link",
            class: "link schemes",
            setup: |t| body(t, "A [link](//evil.example/x) here."),
            exit: 0,
            message_contains: &["//evil.example/x"],
            file: Some("ed/articles/one.md"),
            line: Some(7),
            out_state: Out::Built,
            ..FAIL
        },
        // Many errors of one kind.
        Case {
            name: "20,000 undefined note references",
            class: "many errors",
            setup: |t| {
                let refs: String = (0..20_000).map(|i| format!("[^n{i}] ")).collect();
                body(t, &refs);
            },
            message_contains: &["n0", "more"],
            file: Some("ed/articles/one.md"),
            line: Some(7),
            slow: true,
            ..FAIL
        },
        // Bad TOML and YAML.
        Case {
            name: "malformed TOML in edition.toml",
            class: "bad TOML/YAML",
            setup: |t| toml_lines(t, "subtitle = \"unclosed"),
            message_contains: &["invalid TOML"],
            file: Some("ed/edition.toml"),
            line: Some(7),
            ..FAIL
        },
        Case {
            name: "malformed YAML front matter",
            class: "bad TOML/YAML",
            setup: |t| replace(t, "articles/one.md", "kicker: Testing", "kicker: [unclosed"),
            message_contains: &["articles/one.md"],
            file: Some("ed/articles/one.md"),
            line: Some(3),
            ..FAIL
        },
        Case {
            name: "malformed TOML front matter",
            class: "bad TOML/YAML",
            setup: |t| {
                replace(
                    t,
                    "articles/two.md",
                    "author = \"B. Writer\"",
                    "author = = 3",
                )
            },
            message_contains: &["invalid TOML"],
            file: Some("ed/articles/two.md"),
            line: Some(3),
            ..FAIL
        },
        Case {
            name: "front matter never closed",
            class: "bad TOML/YAML",
            setup: |t| write(t, "articles/one.md", b"---\ntitle: A\n\nBody\n"),
            message_contains: &["never closed"],
            file: Some("ed/articles/one.md"),
            line: Some(1),
            ..FAIL
        },
        Case {
            name: "article that is not UTF-8",
            class: "bad TOML/YAML",
            setup: |t| write(t, "articles/one.md", b"---\ntitle: A\n---\n\nCaf\xe9\n"),
            message_contains: &["UTF-8"],
            file: Some("ed/articles/one.md"),
            line: Some(5),
            ..FAIL
        },
        Case {
            name: "key given twice in edition.toml",
            class: "bad TOML/YAML",
            setup: |t| toml_lines(t, "issue = \"8\""),
            message_contains: &["issue"],
            file: Some("ed/edition.toml"),
            line: Some(7),
            ..FAIL
        },
        Case {
            name: "empty edition.toml",
            class: "bad TOML/YAML",
            setup: |t| write(t, "edition.toml", b""),
            message_contains: &["missing required key"],
            file: Some("ed/edition.toml"),
            ..FAIL
        },
        // Unknown keys do not hide the other errors.
        Case {
            name: "unknown keys in edition.toml and a bad date, all reported",
            class: "unknown keys",
            setup: |t| {
                replace(
                    t,
                    "edition.toml",
                    "issn = \"0317-8471\"",
                    "isn = \"0317-8471\"",
                );
                replace(
                    t,
                    "edition.toml",
                    "date = \"2026-03-15\"",
                    "date = \"2026-13-45\"",
                );
                replace(
                    t,
                    "edition.toml",
                    "[[section]]\n",
                    "[[section]]\ncolour = \"red\"\n",
                );
            },
            message_contains: &[
                "unknown key `isn`",
                "did you mean `issn`?",
                "unknown key `colour`",
                "2026-13-45",
            ],
            file: Some("ed/edition.toml"),
            line: Some(5),
            ..FAIL
        },
        Case {
            name: "volume not a whole number",
            class: "bad TOML/YAML",
            setup: |t| toml_lines(t, "volume = \"XI\""),
            message_contains: &["`volume` must be a whole number from 1", "volume = 12"],
            file: Some("ed/edition.toml"),
            line: Some(7),
            ..FAIL
        },
        Case {
            name: "unknown key and a wrong type, both reported",
            class: "unknown keys",
            setup: |t| {
                toml_lines(t, "revison = 2\nsubtitle = 12");
            },
            message_contains: &[
                "unknown key `revison`",
                "did you mean `revision`?",
                "invalid type",
            ],
            file: Some("ed/edition.toml"),
            line: Some(8),
            ..FAIL
        },
        Case {
            name: "unknown [table] in edition.toml and a bad language, all reported",
            class: "unknown keys",
            setup: |t| {
                replace(
                    t,
                    "edition.toml",
                    "language = \"en-GB\"",
                    "language = \"not a tag!\"",
                );
                let mut text = fs::read_to_string(ed(t, "edition.toml")).unwrap();
                text.push_str("\n[printer]\nname = \"x\"\n");
                write(t, "edition.toml", text.as_bytes());
            },
            message_contains: &["unknown key `printer`", "not a tag!"],
            file: Some("ed/edition.toml"),
            line: Some(4),
            ..FAIL
        },
        Case {
            name: "unknown front matter key",
            class: "unknown keys",
            setup: |t| replace(t, "articles/one.md", "kicker: Testing", "kickr: Testing"),
            message_contains: &["kickr", "kicker"],
            file: Some("ed/articles/one.md"),
            line: Some(3),
            ..FAIL
        },
        // Bad --out targets: refused before anything is rendered, with a clear message.
        Case {
            name: "--out naming a file",
            class: "bad --out",
            setup: |t| fs::write(t.join("a-file"), b"mine").unwrap(),
            args: &["build", "ed", "--out", "a-file"],
            message_contains: &["--out `a-file` is a file, not a folder"],
            ..FAIL
        },
        Case {
            name: "--out /dev/null",
            class: "bad --out",
            args: &["build", "ed", "--out", "/dev/null"],
            message_contains: &["--out `/dev/null` is a character device, not a folder"],
            ..FAIL
        },
        Case {
            name: "--out a dangling symbolic link",
            class: "bad --out",
            setup: |t| symlink(t.join("nowhere/at/all"), t.join("dangling")).unwrap(),
            args: &["build", "ed", "--out", "dangling"],
            message_contains: &[
                "--out `dangling` is a symbolic link to",
                "which does not exist",
            ],
            ..FAIL
        },
        Case {
            name: "--out under a file",
            class: "bad --out",
            setup: |t| fs::write(t.join("a-file"), b"mine").unwrap(),
            args: &["build", "ed", "--out", "a-file/sub/deeper"],
            message_contains: &[
                "--out `a-file/sub/deeper` lies under `a-file`, which is not a folder",
            ],
            ..FAIL
        },
        Case {
            name: "failed build keeps the outputs already in --out",
            class: "bad --out",
            setup: |t| {
                replace(
                    t,
                    "edition.toml",
                    "language = \"en-GB\"",
                    "language = \"not a tag!\"",
                )
            },
            message_contains: &["not a tag!"],
            file: Some("ed/edition.toml"),
            line: Some(4),
            ..FAIL
        },
        // Names that are not UTF-8.
        Case {
            name: "edition folder whose name is not UTF-8",
            class: "non-UTF-8 names",
            setup: |t| {
                use std::os::unix::ffi::OsStrExt;
                let name = std::ffi::OsStr::from_bytes(b"ed-\xff");
                fs::rename(t.join("ed"), t.join(name)).unwrap();
            },
            args: &["build", "@non-utf8", "--out", "out"],
            message_contains: &[
                "is not UTF-8 text, and it names the outputs",
                "rename the folder",
            ],
            ..FAIL
        },
        Case {
            name: "font file whose name is not UTF-8",
            class: "non-UTF-8 names",
            setup: |t| {
                use std::os::unix::ffi::OsStrExt;
                fs::create_dir_all(ed(t, "fonts")).unwrap();
                let name = std::ffi::OsStr::from_bytes(b"f\xff.txt");
                fs::write(ed(t, "fonts").join(name), b"not a font").unwrap();
            },
            exit: 0,
            out_state: Out::Built,
            ..FAIL
        },
        // Long words and lines: set, never lost or stuck.
        Case {
            name: "a 20,000-letter word",
            class: "long words and lines",
            setup: |t| body(t, &format!("Before {} after.", "x".repeat(20_000))),
            exit: 0,
            out_state: Out::Built,
            slow: true,
            ..FAIL
        },
        Case {
            name: "a 20,000-character code line",
            class: "long words and lines",
            setup: |t| body(t, &format!("```\n{}\n```", "y".repeat(20_000))),
            exit: 0,
            out_state: Out::Built,
            slow: true,
            ..FAIL
        },
        Case {
            name: "a paragraph of 20,000 words",
            class: "long words and lines",
            setup: |t| body(t, &words(20_000)),
            exit: 0,
            out_state: Out::Built,
            slow: true,
            ..FAIL
        },
        Case {
            name: "a run of 3,000 digits and signs with no letters side by side",
            class: "long words and lines",
            setup: |t| body(t, &format!("Before {} after.", "=+0".repeat(1_000))),
            exit: 0,
            out_state: Out::Built,
            ..FAIL
        },
        Case {
            name: "a run with a word joiner between every letter",
            class: "long words and lines",
            setup: |t| body(t, &format!("Before {} after.", "x\u{2060}".repeat(400))),
            exit: 0,
            message_contains: &["wider than its measure", "runs past the edge"],
            file: Some("ed/articles/one.md"),
            line: Some(7),
            out_state: Out::Built,
            ..FAIL
        },
        // The command line's own output.
        Case {
            name: "--help to a full stdout",
            class: "help and version output",
            args: &["--help"],
            streams: Streams::StdoutFull,
            message_contains: &["cannot write to stdout"],
            ..FAIL
        },
        Case {
            name: "--version to a full stdout",
            class: "help and version output",
            args: &["--version"],
            streams: Streams::StdoutFull,
            message_contains: &["cannot write to stdout"],
            ..FAIL
        },
        Case {
            name: "build --help to a full stdout",
            class: "help and version output",
            args: &["build", "--help"],
            streams: Streams::StdoutFull,
            ..FAIL
        },
        Case {
            name: "usage error to a full stderr",
            class: "help and version output",
            args: &["bogus"],
            streams: Streams::StderrFull,
            ..FAIL
        },
        Case {
            name: "usage error",
            class: "help and version output",
            args: &["build"],
            exit: 2,
            message_contains: &["EDITION_DIR"],
            ..FAIL
        },
        // Missing things.
        Case {
            name: "edition folder that does not exist",
            class: "missing input",
            args: &["build", "no-such-edition", "--out", "out"],
            message_contains: &["no-such-edition"],
            ..FAIL
        },
        Case {
            name: "edition folder without edition.toml",
            class: "missing input",
            setup: |t| fs::remove_file(ed(t, "edition.toml")).unwrap(),
            message_contains: &["has no edition.toml"],
            file: Some("ed/edition.toml"),
            ..FAIL
        },
        Case {
            name: "missing article",
            class: "missing input",
            setup: |t| fs::remove_file(ed(t, "articles/two.md")).unwrap(),
            message_contains: &["articles/two.md"],
            file: Some("ed/edition.toml"),
            line: Some(10),
            ..FAIL
        },
        Case {
            name: "path leaving the edition",
            class: "missing input",
            setup: |t| replace(t, "edition.toml", "articles/two.md", "../../etc/passwd"),
            message_contains: &["../../etc/passwd"],
            file: Some("ed/edition.toml"),
            line: Some(10),
            ..FAIL
        },
    ]
}

// --- The runner ----------------------------------------------------------------------

/// What a case did.
struct Run {
    code: Option<i32>,
    stderr: String,
    took: Duration,
}

/// Runs quire in `dir` with `args` (`@non-utf8` stands for the folder `ed-\xff`), killed
/// after `limit`.
fn run(dir: &Path, args: &[&str], streams: Streams, limit: Duration) -> Run {
    use std::os::unix::ffi::OsStrExt;
    let mut command = Command::new(env!("CARGO_BIN_EXE_quire"));
    for arg in args {
        if *arg == "@non-utf8" {
            command.arg(std::ffi::OsStr::from_bytes(b"ed-\xff"));
        } else {
            command.arg(arg);
        }
    }
    let full = || {
        Stdio::from(
            fs::OpenOptions::new()
                .write(true)
                .open("/dev/full")
                .unwrap(),
        )
    };
    command
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("SOURCE_DATE_EPOCH")
        .stdin(Stdio::null())
        .stdout(if streams == Streams::StdoutFull {
            full()
        } else {
            Stdio::piped()
        })
        .stderr(if streams == Streams::StderrFull {
            full()
        } else {
            Stdio::piped()
        });
    let start = Instant::now();
    let mut child = command.spawn().expect("the quire binary runs");
    let drain = |pipe: Option<Box<dyn Read + Send>>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            if let Some(mut pipe) = pipe {
                let _ = pipe.read_to_end(&mut bytes);
            }
            bytes
        })
    };
    let stdout = drain(
        child
            .stdout
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let stderr = drain(
        child
            .stderr
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let code = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status.code();
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let _ = stdout.join();
    Run {
        code,
        stderr: String::from_utf8_lossy(&stderr.join().unwrap()).into_owned(),
        took: start.elapsed(),
    }
}

/// The files in `out` and their bytes.
fn listing(out: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = fs::read_dir(out)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| {
                    let name = e.file_name().to_string_lossy().into_owned();
                    (name, fs::read(e.path()).unwrap_or_default())
                })
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

/// Runs one case; the problems found, if any.
fn check(case: &Case) -> Result<Duration, String> {
    let tmp = common::temp_dir();
    let dir = tmp.path();
    common::copy_dir(&common::root().join("tests/cases/base"), &dir.join("ed"));
    fs::create_dir_all(dir.join("out")).unwrap();
    for (name, bytes) in OLD_FILES {
        fs::write(dir.join("out").join(name), bytes).unwrap();
    }
    (case.setup)(dir);
    let args: Vec<&str> = if case.args.is_empty() {
        vec!["build", "ed", "--out", "out"]
    } else {
        case.args.to_vec()
    };
    let limit = Duration::from_secs(if case.slow { 120 } else { 30 });
    let run = run(dir, &args, case.streams, limit);
    let mut problems = Vec::new();
    if run.code != Some(case.exit) {
        problems.push(format!(
            "exit status {:?}, expected {}",
            run.code, case.exit
        ));
    }
    for needle in case.message_contains {
        if !run.stderr.contains(needle) {
            problems.push(format!("`{needle}` is not on stderr"));
        }
    }
    if let Some(file) = case.file {
        let place = match case.line {
            Some(line) => format!("{file}:{line}:"),
            None => file.to_string(),
        };
        if !run.stderr.contains(&place) {
            problems.push(format!("`{place}` is not on stderr"));
        }
    }
    // A usage error or a run that failed names something: never silent.
    if case.exit != 0 && case.streams == Streams::Piped && run.stderr.trim().is_empty() {
        problems.push("nothing on stderr".to_string());
    }
    if run.stderr.contains("panicked") || run.stderr.contains("RUST_BACKTRACE") {
        problems.push("quire panicked".to_string());
    }
    if case.exit == 1
        && (run.stderr.contains("TooLongString") || run.stderr.contains("breaks its standard"))
    {
        problems.push("an internal PDF/A error reached the user".to_string());
    }
    let after = listing(&dir.join("out"));
    let names: Vec<&str> = after.iter().map(|(n, _)| n.as_str()).collect();
    match case.out_state {
        Out::Untouched => {
            let before: Vec<(String, Vec<u8>)> = {
                let mut v: Vec<_> = OLD_FILES
                    .iter()
                    .map(|(n, b)| (n.to_string(), b.to_vec()))
                    .collect();
                v.sort();
                v
            };
            if after != before {
                problems.push(format!("--out changed: it holds {names:?}"));
            }
        }
        Out::Built => {
            if names != ["ed.epub", "ed.pdf", "notes.txt"] {
                problems.push(format!("--out holds {names:?}, not exactly the outputs"));
            }
            let find = |name: &str| {
                after
                    .iter()
                    .find(|(n, _)| n == name)
                    .map(|(_, b)| b.clone())
                    .unwrap_or_default()
            };
            if !find("ed.pdf").starts_with(b"%PDF-1") || find("ed.pdf") == OLD_FILES[0].1 {
                problems.push("ed.pdf is not a new PDF".to_string());
            }
            if !find("ed.epub").starts_with(b"PK\x03\x04") {
                problems.push("ed.epub is not a new EPUB".to_string());
            }
            if find("notes.txt") != OLD_FILES[2].1 {
                problems.push("notes.txt was changed".to_string());
            }
            if case.epubcheck
                && let Some((java, jar)) = common::epubcheck_jar()
            {
                let out = Command::new(java)
                    .arg("-jar")
                    .arg(jar)
                    .arg(dir.join("out/ed.epub"))
                    .output()
                    .expect("EPUBCheck runs");
                if !out.status.success() {
                    problems.push(format!(
                        "EPUBCheck: {}{}",
                        String::from_utf8_lossy(&out.stdout),
                        String::from_utf8_lossy(&out.stderr)
                    ));
                }
            }
            if let Some(qpdf) = common::tool("qpdf") {
                let out = Command::new(qpdf)
                    .arg("--check")
                    .arg(dir.join("out/ed.pdf"))
                    .output()
                    .expect("qpdf runs");
                let text = String::from_utf8_lossy(&out.stdout).into_owned()
                    + &String::from_utf8_lossy(&out.stderr);
                if !out.status.success() || text.contains("WARNING") {
                    problems.push(format!("qpdf --check: {text}"));
                }
            }
        }
    }
    if problems.is_empty() {
        Ok(run.took)
    } else {
        Err(format!(
            "{}\n--- stderr ---\n{}",
            problems.join("\n"),
            cut(&run.stderr, 3_000)
        ))
    }
}

fn cut(s: &str, most: usize) -> &str {
    let mut end = s.len().min(most);
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// Every case, four at a time; all failures are reported together.
#[test]
fn hostile_inputs() {
    let cases = cases();
    assert!(cases.len() >= 60, "{} cases", cases.len());
    let mut names: Vec<&str> = cases.iter().map(|c| c.name).collect();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), cases.len(), "two cases share a name");

    let next = Mutex::new(0usize);
    let results: Mutex<Vec<(usize, Result<Duration, String>)>> = Mutex::new(Vec::new());
    std::thread::scope(|s| {
        for _ in 0..4 {
            s.spawn(|| {
                loop {
                    let i = {
                        let mut n = next.lock().unwrap();
                        let i = *n;
                        *n += 1;
                        i
                    };
                    let Some(case) = cases.get(i) else { break };
                    let result =
                        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| check(case)))
                            .unwrap_or_else(|_| {
                                Err("the case's setup or check panicked".to_string())
                            });
                    results.lock().unwrap().push((i, result));
                }
            });
        }
    });
    let mut results = results.into_inner().unwrap();
    results.sort_by_key(|(i, _)| *i);
    let mut failures = Vec::new();
    let mut report = std::io::stderr().lock();
    for (i, result) in &results {
        let case = &cases[*i];
        match result {
            Ok(took) => {
                let _ = writeln!(
                    report,
                    "ok   [{}] {} ({} ms)",
                    case.class,
                    case.name,
                    took.as_millis()
                );
            }
            Err(problem) => {
                let _ = writeln!(report, "FAIL [{}] {}", case.class, case.name);
                failures.push(format!("== {} ==\n{problem}", case.name));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n\n")
    );
}
