//! Bad input: each test copies the valid edition `tests/cases/base/`, breaks one thing and
//! checks that `quire build` exits with 1, names the file, the line and the problem on
//! stderr, and writes nothing.

mod common;

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use common::Case;

impl Case {
    /// Replaces `from` (which must occur) by `to` in the file `rel`.
    fn replace(&self, rel: &str, from: &str, to: &str) {
        let path = self.ed.join(rel);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "`{from}` is not in {rel}");
        std::fs::write(path, text.replacen(from, to, 1)).unwrap();
    }

    fn build(&self) -> Output {
        self.build_within(Duration::from_secs(120))
    }

    /// Builds, killing quire and failing the test when it takes longer than `limit` (a
    /// hang on hostile input must fail, not stall the suite).
    fn build_within(&self, limit: Duration) -> Output {
        let mut child = Command::new(env!("CARGO_BIN_EXE_quire"))
            .args([
                "build",
                self.ed.to_str().unwrap(),
                "--out",
                self.out.to_str().unwrap(),
            ])
            .current_dir(common::root())
            .env("NO_COLOR", "1")
            .env_remove("SOURCE_DATE_EPOCH")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the quire binary runs");
        // Drained while waiting, so a long message cannot fill the pipe and stall quire.
        let drain = |mut pipe: Box<dyn std::io::Read + Send>| {
            std::thread::spawn(move || {
                let mut bytes = Vec::new();
                let _ = pipe.read_to_end(&mut bytes);
                bytes
            })
        };
        let stdout = drain(Box::new(child.stdout.take().unwrap()));
        let stderr = drain(Box::new(child.stderr.take().unwrap()));
        let start = Instant::now();
        let status = loop {
            if let Some(status) = child.try_wait().unwrap() {
                break status;
            }
            if start.elapsed() > limit {
                let _ = child.kill();
                let _ = child.wait();
                panic!("quire took longer than {limit:?} and was killed");
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        Output {
            status,
            stdout: stdout.join().unwrap(),
            stderr: stderr.join().unwrap(),
        }
    }

    /// Like [`Case::fails`] for a problem with no line: exit 1, `file` and every one of
    /// `needles` on stderr, nothing written, within `limit`.
    fn fails_within(&self, limit: Duration, needles: &[&str]) -> String {
        let out = self.build_within(limit);
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        assert_eq!(out.status.code(), Some(1), "stderr:\n{stderr}");
        for needle in needles {
            assert!(
                stderr.contains(needle),
                "`{needle}` not in stderr:\n{stderr}"
            );
        }
        assert_no_output(&self.out);
        stderr
    }

    /// Builds and checks the failure: exit 1, `file:line:` and every one of `needles` on
    /// stderr, and no file in the output folder.
    fn fails(&self, file: &str, line: usize, needles: &[&str]) -> String {
        let out = self.build();
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        assert_eq!(out.status.code(), Some(1), "stderr:\n{stderr}");
        let place = format!("{file}:{line}:");
        assert!(
            stderr.contains(&place),
            "`{place}` not in stderr:\n{stderr}"
        );
        for needle in needles {
            assert!(
                stderr.contains(needle),
                "`{needle}` not in stderr:\n{stderr}"
            );
        }
        assert_no_output(&self.out);
        stderr
    }
}

fn assert_no_output(out: &Path) {
    if out.exists() {
        let files: Vec<_> = std::fs::read_dir(out).unwrap().flatten().collect();
        assert!(files.is_empty(), "the output folder holds {files:?}");
    }
}

/// The base edition itself is valid, so each failure below comes from the one change made.
#[test]
fn base_edition_loads() {
    let ed = quire::edition::load(&common::root().join("tests/cases/base")).unwrap();
    assert_eq!(ed.slug, "base");
    assert_eq!(ed.meta.issn.as_deref(), Some("0317-8471"));
    assert_eq!(ed.meta.date_label, "15 March 2026");
    assert_eq!(ed.meta.issue_number, Some(7));
    assert!(ed.meta.identifier.starts_with("urn:uuid:"));
    assert_eq!(
        ed.cover.as_ref().map(|c| c.rel_path.as_str()),
        Some("images/pic.png")
    );
    let articles: Vec<_> = ed.articles().map(|(_, a)| a).collect();
    assert_eq!(articles.len(), 2);
    assert_eq!(articles[0].id, "one");
    assert_eq!(articles[0].authors, ["A. Writer"]);
    assert_eq!(articles[0].kicker.as_deref(), Some("Testing"));
    assert_eq!(articles[1].title, "The Second Article");
    assert_eq!(articles[1].authors, ["B. Writer"]);
    assert_eq!(articles[1].language.as_str(), "en-GB");
}

#[test]
fn malformed_toml_names_line_and_column() {
    let case = Case::new();
    case.replace("edition.toml", "issue = \"7\"", "issue = \"7");
    case.fails(
        "ed/edition.toml",
        2,
        &["invalid TOML", "edition.toml:2:11]"],
    );
}

#[test]
fn unknown_key_suggests_the_nearest() {
    let case = Case::new();
    case.replace("edition.toml", "issn =", "isbn =");
    case.fails(
        "ed/edition.toml",
        5,
        &["unknown key `isbn`", "did you mean `issn`?"],
    );
}

#[test]
fn unknown_section_article_start_suggests_the_nearest() {
    let case = Case::new();
    case.replace(
        "edition.toml",
        "title = \"Features\"\n",
        "title = \"Features\"\narticle_start = \"runon\"\n",
    );
    case.fails(
        "ed/edition.toml",
        10,
        &["`article_start` is \"runon\"", "did you mean \"run-on\"?"],
    );
}

#[test]
fn missing_required_field_is_named() {
    let case = Case::new();
    case.replace("edition.toml", "date = \"2026-03-15\"\n", "");
    case.fails("ed/edition.toml", 1, &["missing required key `date`"]);
}

#[test]
fn missing_article_file() {
    let case = Case::new();
    case.replace(
        "edition.toml",
        "\"articles/two.md\"]",
        "\"articles/two.md\", \"articles/three.md\"]",
    );
    case.fails(
        "ed/edition.toml",
        10,
        &["file not found: `articles/three.md`"],
    );
}

#[test]
fn path_leaving_the_edition() {
    let case = Case::new();
    // The file exists; it is refused because it lies outside the edition folder.
    std::fs::copy(
        case.ed.join("articles/two.md"),
        case.ed.join("../outside.md"),
    )
    .unwrap();
    case.replace("edition.toml", "\"articles/two.md\"]", "\"../outside.md\"]");
    case.fails(
        "ed/edition.toml",
        10,
        &["the path `../outside.md` leaves the edition folder"],
    );
}

#[test]
fn unclosed_front_matter() {
    let case = Case::new();
    case.replace(
        "articles/one.md",
        "authors: [A. Writer]\n---\n",
        "authors: [A. Writer]\n",
    );
    case.fails("ed/articles/one.md", 1, &["never closed"]);
}

#[test]
fn invalid_yaml_names_the_line() {
    let case = Case::new();
    case.replace(
        "articles/one.md",
        "kicker: Testing",
        "kicker: Testing: again",
    );
    case.fails("ed/articles/one.md", 3, &["invalid YAML"]);
}

#[test]
fn invalid_language_tag() {
    let case = Case::new();
    case.replace("edition.toml", "\"en-GB\"", "\"en_GB\"");
    case.fails(
        "ed/edition.toml",
        4,
        &["`en_GB` is not a valid BCP 47 language tag", "`en-GB`"],
    );
}

#[test]
fn invalid_language_tag_in_front_matter() {
    let case = Case::new();
    case.replace("articles/one.md", "kicker: Testing", "language: english");
    case.fails(
        "ed/articles/one.md",
        3,
        &["`english` is not a valid BCP 47"],
    );
}

#[test]
fn invalid_issn_names_the_check_digit() {
    let case = Case::new();
    case.replace("edition.toml", "0317-8471", "0317-8472");
    case.fails(
        "ed/edition.toml",
        5,
        &["wrong check digit", "`1` is expected"],
    );
}

#[test]
fn missing_image() {
    let case = Case::new();
    case.replace("articles/one.md", "../images/pic.png", "../images/gone.png");
    case.fails(
        "ed/articles/one.md",
        9,
        &["file not found: `../images/gone.png`"],
    );
}

#[test]
fn image_not_decodable() {
    let case = Case::new();
    let png = std::fs::read(case.ed.join("images/pic.png")).unwrap();
    case.write("images/broken.png", &png[..png.len() / 2]);
    case.replace(
        "articles/one.md",
        "../images/pic.png",
        "../images/broken.png",
    );
    case.fails(
        "ed/articles/one.md",
        9,
        &["`images/broken.png` cannot be decoded"],
    );
}

#[test]
fn text_file_posing_as_an_image() {
    let case = Case::new();
    case.write("images/notes.jpg", b"not a picture at all");
    case.replace("edition.toml", "images/pic.png", "images/notes.jpg");
    case.fails("ed/edition.toml", 6, &["is not an image"]);
}

#[test]
fn image_without_alt_text() {
    let case = Case::new();
    case.replace(
        "articles/one.md",
        "![A dark red band across a pale ground]",
        "![]",
    );
    case.fails("ed/articles/one.md", 9, &["alt text"]);
}

#[test]
fn empty_section() {
    let case = Case::new();
    let text = std::fs::read_to_string(case.ed.join("edition.toml")).unwrap();
    case.write(
        "edition.toml",
        format!("{text}\n[[section]]\ntitle = \"Letters\"\narticles = []\n").as_bytes(),
    );
    case.fails(
        "ed/edition.toml",
        14,
        &["the section \"Letters\" has no articles"],
    );
}

#[test]
fn same_article_listed_twice() {
    let case = Case::new();
    case.replace(
        "edition.toml",
        "\"articles/two.md\"]",
        "\"articles/two.md\", \"./articles/one.md\"]",
    );
    case.fails(
        "ed/edition.toml",
        10,
        &["`./articles/one.md` is listed twice (first on line 10)"],
    );
}

#[test]
fn cover_line_that_is_not_an_article() {
    let case = Case::new();
    case.replace(
        "edition.toml",
        "cover = \"images/pic.png\"\n",
        "cover = \"images/pic.png\"\ncover_lines = [\n  \"articles/two.md\",\n  \"articles/three.md\",\n  \"articles/four.md\",\n]\n",
    );
    // three.md exists but no section lists it; four.md does not exist.
    case.write("articles/three.md", b"---\ntitle: Three\n---\n\nText.\n");
    let stderr = case.fails(
        "ed/edition.toml",
        9,
        &["cover_lines: `articles/three.md` is not an article of this edition"],
    );
    assert!(
        stderr.contains("edition.toml:10:") && stderr.contains("cover_lines: file not found"),
        "{stderr}"
    );
}

#[test]
fn cover_lines_beyond_the_style() {
    let case = Case::new();
    case.replace(
        "edition.toml",
        "cover = \"images/pic.png\"\n",
        "cover = \"images/pic.png\"\nstyle = \"tight\"\ncover_lines = [\"articles/two.md\", \"articles/one.md\"]\n",
    );
    case.write("styles/tight.toml", b"cover_lines = 1\n");
    case.fails(
        "ed/edition.toml",
        8,
        &["`cover_lines` names 2 articles; the style's cover names at most 1"],
    );
}

#[test]
fn file_that_is_not_utf8() {
    let case = Case::new();
    case.write(
        "articles/two.md",
        b"+++\ntitle = \"Two\"\n+++\n\nA line.\nCaf\xE9 au lait.\n",
    );
    case.fails("ed/articles/two.md", 6, &["not valid UTF-8", "0xE9"]);
}

#[test]
fn every_article_is_checked() {
    let case = Case::new();
    case.replace("articles/one.md", "title: The First Article\n", "");
    case.replace(
        "articles/two.md",
        "title = \"The Second Article\"",
        "title = 2.5",
    );
    let stderr = case.fails("ed/articles/one.md", 1, &["the article has no title"]);
    assert!(stderr.contains("ed/articles/two.md:2:"), "{stderr}");
}

#[test]
fn unknown_style_key_names_the_style_file() {
    let case = Case::new();
    case.write(
        "styles/house.toml",
        b"[page]\ncolumns = 2\n\n[sizes]\nbdoy = 10\n",
    );
    case.replace("edition.toml", "cover =", "style = \"house\"\ncover =");
    case.fails(
        "ed/styles/house.toml",
        5,
        &["unknown key `bdoy`", "did you mean `body`?"],
    );
}

#[test]
fn failed_build_leaves_previous_outputs_untouched() {
    let case = Case::new();
    std::fs::create_dir_all(&case.out).unwrap();
    for name in ["ed.pdf", "ed.epub"] {
        std::fs::write(case.out.join(name), b"previous build").unwrap();
    }
    case.replace("edition.toml", "0317-8471", "0317-8472");
    let out = case.build();
    assert_eq!(out.status.code(), Some(1));
    for name in ["ed.pdf", "ed.epub"] {
        assert_eq!(
            std::fs::read(case.out.join(name)).unwrap(),
            b"previous build",
            "{name} was changed"
        );
    }
    let names: Vec<_> = std::fs::read_dir(&case.out)
        .unwrap()
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert_eq!(names.len(), 2, "stray files: {names:?}");
}

#[test]
fn edition_word_list_adds_to_and_overrides_the_style() {
    let case = Case::new();
    case.write(
        "styles/house.toml",
        b"[hyphenation]\nexceptions = [\"be-yond\", \"des-pite\"]\n",
    );
    case.replace("edition.toml", "cover =", "style = \"house\"\ncover =");
    case.write(
        "hyphenation.txt",
        "# the edition's words\n\nDespite   # never broken\n  Af-ghan-i-stan\n".as_bytes(),
    );
    let ed = quire::edition::load(&case.ed).unwrap();
    let ex = &ed.style.hyphenation.exceptions;
    assert_eq!(ex.get("beyond"), Some(&vec![2]));
    assert_eq!(ex.get("despite"), Some(&vec![]));
    assert_eq!(ex.get("afghanistan"), Some(&vec![2, 6, 7]));
}

#[test]
fn bad_word_in_the_edition_word_list_names_file_and_line() {
    let case = Case::new();
    case.write("hyphenation.txt", b"# words\nbe-yond\nnew york\n");
    case.fails(
        "ed/hyphenation.txt",
        3,
        &["exception `new york` holds a space"],
    );
    case.write("hyphenation.txt", b"be--yond\n");
    case.fails("ed/hyphenation.txt", 1, &["between two letters"]);
}

#[test]
fn bad_style_exception_names_the_style_file() {
    let case = Case::new();
    case.write(
        "styles/house.toml",
        b"[hyphenation]\nexceptions = [\n  \"be-yond\",\n  \"x2-ray\",\n]\n",
    );
    case.replace("edition.toml", "cover =", "style = \"house\"\ncover =");
    case.fails(
        "ed/styles/house.toml",
        4,
        &["`hyphenation.exceptions`", "`x2-ray` holds `2`"],
    );
}

/// A 50,000-character title reached the PDF writer, which stopped after 11 s with an
/// internal "TooLongString (PDF/A-2a)"; it is now refused at its key.
#[test]
fn overlong_title_is_refused_at_its_key() {
    let case = Case::new();
    let title = format!("title: {}", "t".repeat(50_000));
    case.replace("articles/one.md", "title: The First Article", &title);
    case.fails("ed/articles/one.md", 2, &["50000 characters long"]);
}

/// A 2 MB link address aborted after 18 s (release); it is now refused with its line.
#[test]
fn overlong_link_address_is_refused_with_its_line() {
    let case = Case::new();
    let link = format!(
        "A short paragraph with [a link](https://example.com/{}) in it.",
        "a".repeat(200_000)
    );
    case.replace(
        "articles/one.md",
        "A short paragraph that stands in for a whole article.",
        &link,
    );
    case.fails("ed/articles/one.md", 7, &["link's address is", "8192"]);
}

// Hostile files: special files, links out of the edition, sizes. Each must be refused
// quickly with a message naming the file, never hang or exhaust memory.

/// Makes a FIFO at `path` (a reader opening it would block until a writer comes).
#[cfg(unix)]
fn mkfifo(path: &Path) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let ok = Command::new("mkfifo").arg(path).status().unwrap().success();
    assert!(ok, "mkfifo {}", path.display());
}

#[cfg(unix)]
#[test]
fn fifo_as_an_article_is_refused_without_opening_it() {
    let case = Case::new();
    std::fs::remove_file(case.ed.join("articles/two.md")).unwrap();
    mkfifo(&case.ed.join("articles/two.md"));
    let stderr = case.fails(
        "ed/edition.toml",
        10,
        &["`articles/two.md` is a named pipe (FIFO), not a regular file"],
    );
    assert!(stderr.contains("regular files"), "{stderr}");
}

#[cfg(unix)]
#[test]
fn fifo_as_an_image_is_refused_without_opening_it() {
    let case = Case::new();
    std::fs::remove_file(case.ed.join("images/pic.png")).unwrap();
    mkfifo(&case.ed.join("images/pic.png"));
    case.fails(
        "ed/edition.toml",
        6,
        &["`images/pic.png` is a named pipe (FIFO)"],
    );
}

#[cfg(unix)]
#[test]
fn symlinked_edition_toml_outside_is_refused() {
    let case = Case::new();
    let outside = case.ed.parent().unwrap().join("elsewhere.toml");
    std::fs::rename(case.ed.join("edition.toml"), &outside).unwrap();
    std::os::unix::fs::symlink(&outside, case.ed.join("edition.toml")).unwrap();
    case.fails_within(
        Duration::from_secs(60),
        &[
            "ed/edition.toml",
            "leads outside the edition folder through a symbolic link",
        ],
    );
}

#[cfg(unix)]
#[test]
fn symlinked_hyphenation_list_outside_is_refused() {
    let case = Case::new();
    let outside = case.ed.parent().unwrap().join("words.txt");
    std::fs::write(&outside, "ex-am-ple\n").unwrap();
    std::os::unix::fs::symlink(&outside, case.ed.join("hyphenation.txt")).unwrap();
    case.fails_within(
        Duration::from_secs(60),
        &["ed/hyphenation.txt", "leads outside the edition folder"],
    );
}

#[test]
fn oversized_article_is_refused_before_reading() {
    let case = Case::new();
    // A sparse 20 MB file: quick to make, over the 16 MB limit for text files.
    let file = std::fs::OpenOptions::new()
        .write(true)
        .truncate(true)
        .open(case.ed.join("articles/two.md"))
        .unwrap();
    file.set_len(20 * 1024 * 1024).unwrap();
    case.fails(
        "ed/edition.toml",
        10,
        &[
            "ed/articles/two.md` is 20.0 MB (20971520 bytes)",
            "limit of 16.0 MB",
        ],
    );
}

#[cfg(unix)]
#[test]
fn fifo_anywhere_under_fonts_is_refused_without_opening_it() {
    let case = Case::new();
    // Not a font name, not referenced by the style: still never opened, and reported.
    mkfifo(&case.ed.join("fonts/sub/notes.pipe"));
    case.fails_within(
        Duration::from_secs(60),
        &["fonts/sub/notes.pipe` is a named pipe (FIFO)"],
    );
}

#[cfg(unix)]
#[test]
fn symlink_loop_under_fonts_ends_with_an_error() {
    let case = Case::new();
    std::fs::create_dir_all(case.ed.join("fonts")).unwrap();
    std::os::unix::fs::symlink("b.otf", case.ed.join("fonts/a.otf")).unwrap();
    std::os::unix::fs::symlink("a.otf", case.ed.join("fonts/b.otf")).unwrap();
    case.fails_within(
        Duration::from_secs(60),
        &["fonts/a.otf` cannot be followed"],
    );
}

#[cfg(unix)]
#[test]
fn folder_links_back_up_under_fonts_are_walked_once() {
    let case = Case::new();
    std::fs::create_dir_all(case.ed.join("fonts/deep")).unwrap();
    // fonts/deep/up -> fonts: a cycle of folders inside the edition.
    std::os::unix::fs::symlink("..", case.ed.join("fonts/deep/up")).unwrap();
    let out = case.build_within(Duration::from_secs(60));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
}

#[cfg(unix)]
#[test]
fn fonts_linked_to_the_root_folder_is_refused_quickly() {
    let case = Case::new();
    std::os::unix::fs::symlink("/", case.ed.join("fonts")).unwrap();
    case.fails_within(
        Duration::from_secs(60),
        &["ed/fonts` leads outside", "through a symbolic link"],
    );
}

#[cfg(unix)]
#[test]
fn font_file_linked_outside_the_edition_is_refused() {
    let case = Case::new();
    let outside = case.ed.parent().unwrap().join("Secret.otf");
    std::fs::write(&outside, typst_free_font_bytes()).unwrap();
    std::fs::create_dir_all(case.ed.join("fonts")).unwrap();
    std::os::unix::fs::symlink(&outside, case.ed.join("fonts/Secret.otf")).unwrap();
    case.fails_within(
        Duration::from_secs(60),
        &["fonts/Secret.otf` leads outside", "through a symbolic link"],
    );
}

/// Some bytes named as a font: the link is refused before anything is read.
fn typst_free_font_bytes() -> Vec<u8> {
    b"OTTO not really a font".to_vec()
}

/// `png` with an iCCP chunk (after IHDR) whose zlib stream inflates to `inflated` zeros:
/// a decompression bomb of about `inflated / 1000` bytes.
fn png_with_icc_bomb(png: &[u8], inflated: usize) -> Vec<u8> {
    use std::io::Write;
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    let zeros = vec![0u8; 1 << 20];
    for _ in 0..inflated / zeros.len() {
        z.write_all(&zeros).unwrap();
    }
    let mut data = b"bomb\0\0".to_vec();
    data.extend(z.finish().unwrap());
    let mut chunk = Vec::new();
    chunk.extend((data.len() as u32).to_be_bytes());
    let mut body = b"iCCP".to_vec();
    body.extend(&data);
    let mut crc = flate2::Crc::new();
    crc.update(&body);
    chunk.extend(&body);
    chunk.extend(crc.sum().to_be_bytes());
    // Signature (8) and IHDR (4 + 4 + 13 + 4) come first.
    let at = 8 + 25;
    let mut out = png[..at].to_vec();
    out.extend(chunk);
    out.extend(&png[at..]);
    out
}

#[test]
fn png_with_an_icc_bomb_is_refused_quickly() {
    let case = Case::new();
    let png = quire::edition::sample_png(40, 30);
    // About 1 MB that inflates to 1 GB.
    let bomb = png_with_icc_bomb(&png, 1 << 30);
    assert!(bomb.len() < 2 << 20, "{}", bomb.len());
    case.write("images/pic.png", &bomb);
    let start = Instant::now();
    case.fails("ed/edition.toml", 6, &["images/pic.png", "colour profile"]);
    assert!(
        start.elapsed() < Duration::from_secs(20),
        "{:?}",
        start.elapsed()
    );
}

#[test]
fn ten_megabyte_description_is_refused_quickly() {
    let case = Case::new();
    let long = "word ".repeat(2 * 1024 * 1024);
    case.replace(
        "edition.toml",
        "cover = ",
        &format!("description = \"{long}\"\ncover = "),
    );
    case.fails_within(
        Duration::from_secs(20),
        &[
            "ed/edition.toml:6:",
            "`description` is 10485760 characters long, more than the limit of 20000",
        ],
    );
}

#[test]
fn overlong_titles_are_refused() {
    let case = Case::new();
    let long = "T".repeat(50_000);
    case.replace(
        "edition.toml",
        "title = \"The Test Review\"",
        &format!("title = \"{long}\""),
    );
    case.replace(
        "edition.toml",
        "title = \"Features\"",
        &format!("title = \"{long}\""),
    );
    let stderr = case.fails(
        "ed/edition.toml",
        1,
        &["`title` is 50000 characters long, more than the limit of 2000"],
    );
    assert!(stderr.contains("ed/edition.toml:9:"), "{stderr}");
}

#[test]
fn overlong_front_matter_values_are_refused_quickly() {
    let case = Case::new();
    let long = "T".repeat(50_000);
    case.replace(
        "articles/one.md",
        "title: The First Article",
        &format!("title: {long}"),
    );
    case.replace(
        "articles/one.md",
        "kicker: Testing",
        &format!("kicker: Testing\nstandfirst: {}", "s ".repeat(15_000)),
    );
    let start = Instant::now();
    let stderr = case.fails(
        "ed/articles/one.md",
        2,
        &["`title` is 50000 characters long, more than the limit of 2000"],
    );
    assert!(
        stderr.contains("ed/articles/one.md:4:")
            && stderr
                .contains("`standfirst` is 29999 characters long, more than the limit of 20000"),
        "{stderr}"
    );
    assert!(
        start.elapsed() < Duration::from_secs(20),
        "{:?}",
        start.elapsed()
    );
}

#[test]
fn oversized_font_file_is_refused_before_reading() {
    let case = Case::new();
    std::fs::create_dir_all(case.ed.join("fonts")).unwrap();
    // Sparse: 70 MB on paper, nothing on disk; over the 64 MB limit for fonts.
    let file = std::fs::File::create(case.ed.join("fonts/Huge.otf")).unwrap();
    file.set_len(70 * 1024 * 1024).unwrap();
    case.fails_within(
        Duration::from_secs(60),
        &["fonts/Huge.otf` is 73400320 bytes, more than the limit of 67108864 bytes"],
    );
}

#[test]
fn deeply_nested_toml_is_refused_at_its_line_quickly() {
    let case = Case::new();
    let path = case.ed.join("edition.toml");
    let mut text = std::fs::read_to_string(&path).unwrap();
    // A top-level key after the last table would belong to it: put it first.
    text = format!(
        "deep = {}{}\n{text}",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    std::fs::write(&path, text).unwrap();
    let start = Instant::now();
    case.fails("ed/edition.toml", 1, &["max recursion depth"]);
    assert!(start.elapsed() < Duration::from_secs(20));
}

#[test]
fn deeply_nested_quotes_are_refused_at_their_place() {
    let case = Case::new();
    case.write(
        "articles/two.md",
        format!(
            "+++\ntitle = \"Two\"\nauthor = \"B. Writer\"\n+++\n\n{} deep\n",
            ">".repeat(10_000)
        )
        .as_bytes(),
    );
    case.fails("ed/articles/two.md", 6, &["nest more than 32 deep"]);
}
