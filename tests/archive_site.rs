//! `quire archive`: three small issues built into a site whose every local link resolves,
//! whose feeds parse (and validate, when feedparser and lxml are installed), whose page
//! links match the PDF's make-up, and which a second run leaves alone but for the issue
//! that changed. The index is screenshotted in Chromium when it is installed.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

/// Makes `dir/issue-<n>` with `quire new`, then gives it its number and date.
fn issue(dir: &Path, n: u32, date: &str) -> PathBuf {
    let path = dir.join(format!("issue-{n}"));
    let out = common::quire(&["new", path.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let toml = path.join("edition.toml");
    let text = std::fs::read_to_string(&toml)
        .unwrap()
        .replace("issue = \"1\"", &format!("issue = \"{n}\""))
        .replace("2026-01-01", date);
    std::fs::write(&toml, text).unwrap();
    path
}

/// Three issues: the first as `quire new` makes it (a typographic cover); the second
/// with a second section whose article has two authors, one with accents; the third
/// with a cover picture and subjects.
fn three_issues(dir: &Path) {
    issue(dir, 1, "2026-01-01");
    let second = issue(dir, 2, "2026-04-01");
    std::fs::write(
        second.join("articles/letters.md"),
        "---\ntitle: Letters from the coast\nstandfirst: Two readers write about harbours.\n\
authors: [Zoë Ó Briain, Sam Reed]\n---\n\nThe harbour was quiet that winter, and the boats stayed in.\n",
    )
    .unwrap();
    let toml = second.join("edition.toml");
    let mut text = std::fs::read_to_string(&toml).unwrap();
    text.push_str("\n[[section]]\ntitle = \"Letters\"\narticles = [\"articles/letters.md\"]\n");
    std::fs::write(&toml, text).unwrap();
    let third = issue(dir, 3, "2026-07-01");
    let toml = third.join("edition.toml");
    let text = std::fs::read_to_string(&toml).unwrap().replace(
        "style = \"magazine\"",
        "style = \"magazine\"\ncover = \"images/welcome.png\"\nsubjects = [\"harbours\", \"winter\"]",
    );
    std::fs::write(&toml, text).unwrap();
}

fn archive(editions: &Path, site: &Path) -> (bool, String, String) {
    let out = common::quire(&[
        "archive",
        editions.to_str().unwrap(),
        "--out",
        site.to_str().unwrap(),
    ]);
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Every file under `dir` with the extension `ext`.
fn files(dir: &Path, ext: &str, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files(&path, ext, out);
        } else if path.extension().is_some_and(|e| e == ext) {
            out.push(path);
        }
    }
}

/// The values of every `href="…"` and `src="…"` in `html`.
fn links(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for attr in ["href=\"", "src=\""] {
        let mut rest = html;
        while let Some(i) = rest.find(attr) {
            rest = &rest[i + attr.len()..];
            let end = rest.find('"').unwrap();
            out.push(rest[..end].replace("&amp;", "&"));
            rest = &rest[end..];
        }
    }
    out
}

/// Checks that every local link of every page resolves to a file of the site, and that
/// a `#page=N` link names a page the PDF has; returns the page links found.
fn check_links(site: &Path) -> Vec<(PathBuf, String)> {
    let mut pages = Vec::new();
    files(site, "html", &mut pages);
    assert!(pages.len() >= 7, "pages: {pages:?}");
    let mut page_links = Vec::new();
    for page in &pages {
        let html = std::fs::read_to_string(page).unwrap();
        for link in links(&html) {
            if link.starts_with("https:")
                || link.starts_with("http:")
                || link.starts_with("mailto:")
            {
                continue;
            }
            let (file, fragment) = link.split_once('#').unwrap_or((&link, ""));
            let file = file.split('?').next().unwrap();
            if file.is_empty() {
                // An anchor on the same page.
                assert!(
                    html.contains(&format!("id=\"{fragment}\"")),
                    "{}: #{fragment}",
                    page.display()
                );
                continue;
            }
            let target = page.parent().unwrap().join(file);
            assert!(
                target.is_file(),
                "{}: `{link}` does not resolve",
                page.display()
            );
            let target = target.canonicalize().unwrap();
            assert!(
                target.starts_with(site.canonicalize().unwrap()),
                "{link} leaves the site"
            );
            if let Some(n) = fragment.strip_prefix("page=") {
                page_links.push((target, n.to_string()));
            }
        }
        // Every page has its landmarks, language, skip link and one h1.
        assert!(html.contains("<html lang=\"en\">"), "{}", page.display());
        assert!(html.contains("<main id=\"main\""), "{}", page.display());
        assert!(html.contains("href=\"#main\""), "{}", page.display());
        assert_eq!(html.matches("<h1").count(), 1, "{}", page.display());
        for img in html.split("<img ").skip(1) {
            assert!(
                img.split('>').next().unwrap().contains(" alt=\""),
                "{}: img without alt",
                page.display()
            );
        }
    }
    page_links
}

#[test]
fn the_site_links_resolve_feeds_parse_and_only_changed_issues_are_rebuilt() {
    let tmp = common::temp_dir();
    let editions = tmp.path().join("editions");
    std::fs::create_dir(&editions).unwrap();
    three_issues(&editions);
    let site = tmp.path().join("site");

    let (ok, stdout, stderr) = archive(&editions, &site);
    assert!(ok, "{stderr}");
    for n in 1..=3 {
        assert!(stdout.contains(&format!("built issue-{n}")), "{stdout}");
        for ext in ["pdf", "epub"] {
            assert!(
                site.join(format!("issues/issue-{n}/issue-{n}.{ext}"))
                    .is_file()
            );
        }
    }

    let page_links = check_links(&site);
    assert!(!page_links.is_empty(), "no link into a PDF page");

    // Newest first on the index, the cover story's standfirst, both downloads.
    let index = std::fs::read_to_string(site.join("index.html")).unwrap();
    let (p3, p2, p1) = (
        index.find("issues/issue-3/index.html").unwrap(),
        index.find("issues/issue-2/index.html").unwrap(),
        index.find("issues/issue-1/index.html").unwrap(),
    );
    assert!(p3 < p2 && p2 < p1, "newest first");
    assert!(index.contains("This first article shows what an article can hold"));
    assert!(
        index.contains("issues/issue-3/cover-thumb.png"),
        "the cover's thumbnail"
    );
    // A typographic cover (issue 1, as `quire new` makes it) is page 1 drawn: a real
    // thumbnail, not the placeholder card.
    assert!(
        index.contains("issues/issue-1/cover-thumb.png"),
        "a typographic cover's thumbnail"
    );
    assert!(
        !index.contains("class=\"thumb card\""),
        "a placeholder card"
    );
    // Author and subject pages: the accented name has a page of its own; sections and
    // edition subjects are subjects.
    let author = std::fs::read_to_string(site.join("authors/zoe-o-briain.html")).unwrap();
    assert!(author.contains("Letters from the coast"), "{author}");
    assert!(site.join("subjects/harbours.html").is_file());
    assert!(site.join("subjects/letters.html").is_file());

    // The page numbers are the PDF's: those `quire build --json` reports.
    // The typographic cover's picture is page 1 as `quire build --pages 1` draws it at
    // 96 ppi, and its thumbnail that picture scaled to 320 pixels wide.
    let plain = tmp.path().join("plain");
    let out = common::quire(&[
        "build",
        editions.join("issue-2").to_str().unwrap(),
        "--out",
        plain.to_str().unwrap(),
        "--json",
        "--pages",
        "1",
        "--ppi",
        "96",
    ]);
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let cover = site.join("issues/issue-2/cover.png");
    assert_eq!(
        std::fs::read(&cover).unwrap(),
        std::fs::read(plain.join("issue-2-p1.png")).unwrap(),
        "the cover is page 1 drawn"
    );
    assert!(
        !site.join("issues/issue-2/issue-2-p1.png").exists(),
        "the preview file is only a step"
    );
    let thumb = image::open(site.join("issues/issue-2/cover-thumb.png"))
        .unwrap()
        .to_rgb8();
    let big = image::open(&cover).unwrap();
    assert_eq!(thumb.width(), 320);
    assert_eq!(
        thumb.height(),
        (big.height() * 320 + big.width() / 2) / big.width(),
        "the page's shape"
    );
    let inked = thumb
        .pixels()
        .filter(|p| p.0.iter().all(|&c| c < 128))
        .count();
    assert!(
        inked > 200,
        "the thumbnail shows the cover's type: {inked} dark pixels"
    );
    let issue_page = std::fs::read_to_string(site.join("issues/issue-2/index.html")).unwrap();
    for fit in report["makeup"].as_array().unwrap() {
        let id = Path::new(fit["article"].as_str().unwrap())
            .file_stem()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let page = fit["first_page"].as_u64().unwrap();
        let title = if id == "letters" {
            "Letters from the coast"
        } else {
            "Welcome to your magazine"
        };
        let link = format!("issue-2.pdf#page={page}\">{title}</a>");
        assert!(issue_page.contains(&link), "{link} not in\n{issue_page}");
    }

    check_feeds(&site, 3);
    let opds: Value =
        serde_json::from_str(&std::fs::read_to_string(site.join("opds.json")).unwrap()).unwrap();
    let publications = opds["publications"].as_array().unwrap();
    assert_eq!(
        publications[0]["images"].as_array().unwrap().len(),
        2,
        "the cover and its thumbnail"
    );
    // Every issue has a picture of its own: none needs the blank card.
    assert!(
        !std::fs::read_to_string(site.join("opds.xml"))
            .unwrap()
            .contains("cover-placeholder.png")
    );
    let search: Value =
        serde_json::from_str(&std::fs::read_to_string(site.join("search.json")).unwrap()).unwrap();
    assert!(
        search
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["k"] == "article" && e["x"].as_str().unwrap().contains("zoe o briain"))
    );

    // A second run builds nothing and leaves the outputs alone.
    let pdf = site.join("issues/issue-1/issue-1.pdf");
    let before = std::fs::metadata(&pdf).unwrap().modified().unwrap();
    let (ok, stdout, stderr) = archive(&editions, &site);
    assert!(ok, "{stderr}");
    for n in 1..=3 {
        assert!(
            stdout.contains(&format!("skipped issue-{n} (unchanged)")),
            "{stdout}"
        );
    }
    assert_eq!(std::fs::metadata(&pdf).unwrap().modified().unwrap(), before);

    // An edited article rebuilds its issue and no other.
    let article = editions.join("issue-2/articles/letters.md");
    let text = std::fs::read_to_string(&article)
        .unwrap()
        .replace("Letters from the coast", "Letters from the shore");
    std::fs::write(&article, text).unwrap();
    let (ok, stdout, stderr) = archive(&editions, &site);
    assert!(ok, "{stderr}");
    assert!(stdout.contains("built issue-2"), "{stdout}");
    assert!(
        stdout.contains("skipped issue-1") && stdout.contains("skipped issue-3"),
        "{stdout}"
    );
    let author = std::fs::read_to_string(site.join("authors/zoe-o-briain.html")).unwrap();
    assert!(
        author.contains("Letters from the shore"),
        "the pages follow the new record"
    );
    check_links(&site);

    // An issue taken out of the folder leaves the site with its files and pages.
    std::fs::rename(editions.join("issue-2"), tmp.path().join("issue-2")).unwrap();
    let (ok, stdout, stderr) = archive(&editions, &site);
    assert!(ok, "{stderr}");
    assert!(stdout.contains("removed issue-2"), "{stdout}");
    assert!(!site.join("issues/issue-2").exists());
    assert!(
        !site.join("authors/zoe-o-briain.html").exists(),
        "a stale author page"
    );
    check_links(&site);
}

/// Checks both feeds of a site of `issues` issues: the Atom feed has the Atom namespace,
/// one entry per issue with both acquisition links, the cover and thumbnail links (to
/// files of the site) and the entry elements Atom requires, and passes the Atom
/// validators; the OPDS 2.0 feed lists each issue with both acquisition links and a
/// picture, has its `self` and `start` links, and passes the OPDS 2.0 check.
fn check_feeds(site: &Path, issues: usize) {
    // The Atom feed: the Atom namespace, one entry per issue with both acquisition links
    // to files of the site.
    let atom = std::fs::read_to_string(site.join("opds.xml")).unwrap();
    let doc = roxmltree::Document::parse(&atom).unwrap();
    let ns = "http://www.w3.org/2005/Atom";
    let feed = doc.root_element();
    assert_eq!(feed.tag_name().namespace(), Some(ns));
    assert_eq!(feed.tag_name().name(), "feed");
    let entries: Vec<_> = feed
        .children()
        .filter(|n| n.has_tag_name((ns, "entry")))
        .collect();
    assert_eq!(entries.len(), issues);
    for entry in &entries {
        for kind in ["application/epub+zip", "application/pdf"] {
            let link = entry
                .children()
                .find(|n| {
                    n.has_tag_name((ns, "link"))
                        && n.attribute("rel") == Some("http://opds-spec.org/acquisition")
                        && n.attribute("type") == Some(kind)
                })
                .unwrap_or_else(|| panic!("no {kind} acquisition link"));
            assert!(site.join(link.attribute("href").unwrap()).is_file());
        }
        for rel in [
            "http://opds-spec.org/image",
            "http://opds-spec.org/image/thumbnail",
        ] {
            let link = entry
                .children()
                .find(|n| n.has_tag_name((ns, "link")) && n.attribute("rel") == Some(rel))
                .unwrap_or_else(|| panic!("no {rel} link"));
            assert!(site.join(link.attribute("href").unwrap()).is_file());
        }
        for name in ["title", "id", "updated", "author", "summary"] {
            assert!(
                entry.children().any(|n| n.has_tag_name((ns, name))),
                "entry without {name}"
            );
        }
    }
    validate_atom(&site.join("opds.xml"));

    // The OPDS 2.0 feed: both acquisition links and a picture for every publication,
    // and valid against the required parts of OPDS 2.0.
    let opds: Value =
        serde_json::from_str(&std::fs::read_to_string(site.join("opds.json")).unwrap()).unwrap();
    let publications = opds["publications"].as_array().unwrap();
    assert_eq!(publications.len(), issues);
    for p in publications {
        let types: Vec<&str> = p["links"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|l| l["type"].as_str())
            .collect();
        assert!(
            types.contains(&"application/epub+zip") && types.contains(&"application/pdf"),
            "{types:?}"
        );
        assert!(p["metadata"]["title"].is_string() && p["metadata"]["published"].is_string());
        // OPDS 2.0 wants an image in JPEG, PNG or GIF for every publication.
        let images = p["images"].as_array().unwrap();
        assert!(
            images
                .iter()
                .any(|i| i["type"] == "image/png" || i["type"] == "image/jpeg")
        );
        for i in images {
            assert!(site.join(i["href"].as_str().unwrap()).is_file(), "{i}");
        }
    }
    let feed_links = opds["links"].as_array().unwrap();
    for rel in ["self", "start"] {
        assert!(
            feed_links.iter().any(|l| l["rel"] == rel
                && l["type"] == "application/opds+json"
                && l["href"] == "opds.json"),
            "no {rel} link: {feed_links:?}"
        );
    }
    validate_opds2(&site.join("opds.json"));
}

/// Validates the OPDS 2.0 feed with `tests/tools/check_opds2.py`: the jsonschema package
/// must find it and every publication document its `self` links name valid against the
/// required parts of OPDS 2.0 (`tests/tools/opds2.schema.json`, written by hand: no
/// package ships the official schema). Skipped when jsonschema is missing, unless
/// validators are required.
fn validate_opds2(feed: &Path) {
    let have = Command::new("python3")
        .args(["-c", "import jsonschema"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !have {
        assert!(
            !common::validators_required(),
            "jsonschema is required (QUIRE_REQUIRE_VALIDATORS=1): pip install jsonschema"
        );
        eprintln!("note: jsonschema missing; the OPDS 2.0 feed is not validated");
        return;
    }
    let script = common::root().join("tests/tools/check_opds2.py");
    let check = |path: &Path| {
        Command::new("python3")
            .arg(&script)
            .arg(path)
            .output()
            .unwrap()
    };
    let out = check(feed);
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    // The check is not vacuous: a feed without its self link, or a publication without
    // an acquisition link, fails it.
    let good: Value = serde_json::from_str(&std::fs::read_to_string(feed).unwrap()).unwrap();
    let broken = feed.with_file_name("broken.json");
    let mut no_self = good.clone();
    no_self["links"]
        .as_array_mut()
        .unwrap()
        .retain(|l| l["rel"] != "self");
    let mut no_acquisition = good;
    no_acquisition["publications"][0]["links"]
        .as_array_mut()
        .unwrap()
        .retain(|l| l["rel"] != "http://opds-spec.org/acquisition");
    for (what, doc) in [("self link", no_self), ("acquisition link", no_acquisition)] {
        std::fs::write(&broken, doc.to_string()).unwrap();
        assert!(
            !check(&broken).status.success(),
            "a feed without a {what} passed"
        );
    }
    std::fs::remove_file(&broken).unwrap();
}

/// Validates the Atom feed with `tests/tools/check_atom.py`: feedparser must read it as
/// Atom 1.0 without complaint, and lxml must find it valid against the RELAX NG grammar
/// of Atom in `tests/tools/atom.rng`. Skipped when the Python modules are missing, unless
/// validators are required.
fn validate_atom(feed: &Path) {
    let have = Command::new("python3")
        .args(["-c", "import feedparser, lxml"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !have {
        assert!(
            !common::validators_required(),
            "feedparser and lxml are required (QUIRE_REQUIRE_VALIDATORS=1): pip install feedparser lxml"
        );
        eprintln!("note: feedparser or lxml missing; the Atom feed is not validated");
        return;
    }
    let script = common::root().join("tests/tools/check_atom.py");
    let out = Command::new("python3")
        .arg(&script)
        .arg(feed)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    // The check is not vacuous: an entry without its `updated` date fails it.
    let text = std::fs::read_to_string(feed).unwrap();
    let start = text.find("<entry>").unwrap();
    let updated = start + text[start..].find("<updated>").unwrap();
    let end = updated + text[updated..].find("</updated>").unwrap() + "</updated>".len();
    let broken = feed.with_file_name("broken.xml");
    std::fs::write(&broken, format!("{}{}", &text[..updated], &text[end..])).unwrap();
    let out = Command::new("python3")
        .arg(&script)
        .arg(&broken)
        .output()
        .unwrap();
    assert!(
        !out.status.success(),
        "a feed with an entry missing `updated` passed"
    );
}

#[test]
fn a_folder_that_is_not_a_site_is_left_alone() {
    let tmp = common::temp_dir();
    let editions = tmp.path().join("editions");
    std::fs::create_dir(&editions).unwrap();
    issue(&editions, 1, "2026-01-01");
    let site = tmp.path().join("site");
    std::fs::create_dir(&site).unwrap();
    std::fs::write(site.join("index.html"), "mine").unwrap();
    let (ok, _, stderr) = archive(&editions, &site);
    assert!(!ok);
    assert!(stderr.contains("is not a quire site"), "{stderr}");
    assert_eq!(
        std::fs::read_to_string(site.join("index.html")).unwrap(),
        "mine"
    );
    assert_eq!(
        std::fs::read_dir(&site).unwrap().count(),
        1,
        "nothing written"
    );

    // A site inside an edition would change the edition's inputs at every run.
    let inside = editions.join("issue-1/site");
    let (ok, _, stderr) = archive(&editions, &inside);
    assert!(!ok);
    assert!(stderr.contains("is inside the edition"), "{stderr}");
    assert!(!inside.exists());

    // A folder without editions is an error that says what to give.
    let (ok, _, stderr) = archive(&site, &tmp.path().join("other"));
    assert!(!ok);
    assert!(stderr.contains("holds no edition"), "{stderr}");
}

#[test]
fn an_issue_that_fails_is_reported_and_the_others_are_built() {
    let tmp = common::temp_dir();
    let editions = tmp.path().join("editions");
    std::fs::create_dir(&editions).unwrap();
    issue(&editions, 1, "2026-01-01");
    let bad = issue(&editions, 2, "2026-02-01");
    std::fs::write(bad.join("edition.toml"), "title = \"x\"\nissue = \n").unwrap();
    let site = tmp.path().join("site");
    let (ok, stdout, stderr) = archive(&editions, &site);
    assert!(!ok, "a failed issue fails the run");
    assert!(stderr.contains("edition.toml"), "{stderr}");
    assert!(
        stdout.contains("built issue-1") && stdout.contains("failed issue-2"),
        "{stdout}"
    );
    assert!(site.join("issues/issue-1/issue-1.pdf").is_file());
    assert!(!site.join("issues/issue-2").exists());
    check_links(&site);
}

/// The index in headless Chromium at phone width and an issue's page at desktop width:
/// each screenshot must show a page, not a blank one (a broken style sheet or an empty
/// body would leave nearly all pixels the background's).
#[test]
fn the_index_renders_in_chromium() {
    let Some(chromium) = common::tool("chromium") else {
        return;
    };
    let tmp = common::temp_dir();
    let editions = tmp.path().join("editions");
    std::fs::create_dir(&editions).unwrap();
    three_issues(&editions);
    let site = tmp.path().join("site");
    let (ok, _, stderr) = archive(&editions, &site);
    assert!(ok, "{stderr}");
    // The index on a phone, and an issue's page (with its drawn cover) on a desktop.
    for (page, width) in [("index.html", 390), ("issues/issue-1/index.html", 1280)] {
        let shot = tmp.path().join(format!("shot-{width}.png"));
        let url = format!(
            "file://{}",
            site.join(page).canonicalize().unwrap().display()
        );
        let out = Command::new(&chromium)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                &format!("--user-data-dir={}", tmp.path().join("profile").display()),
                &format!("--screenshot={}", shot.display()),
                &format!("--window-size={width},1000"),
                &url,
            ])
            .output()
            .unwrap();
        assert!(
            shot.is_file(),
            "no screenshot of {page}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let img = image::open(&shot).unwrap().to_rgb8();
        assert_eq!(img.width(), width);
        // The background is the commonest colour.
        let mut counts = std::collections::HashMap::new();
        for p in img.pixels() {
            *counts.entry(p.0).or_insert(0u32) += 1;
        }
        let background = image::Rgb(counts.into_iter().max_by_key(|(_, n)| *n).unwrap().0);
        let differing = img.pixels().filter(|p| **p != background).count();
        let share = differing as f64 / f64::from(img.width() * img.height());
        assert!(
            share > 0.03,
            "{page} looks empty: {:.1} % of pixels are not background",
            share * 100.0
        );
        // The style sheet applied: the background is the site's paper colour, not white.
        assert_eq!(
            background.0,
            [0xfd, 0xfc, 0xf9],
            "{page}: style.css not applied"
        );
    }
}

/// Runs quire in `dir` (the magazine is found from the current folder): success, stdout.
fn quire_in(dir: &Path, args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_quire"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("SOURCE_DATE_EPOCH")
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The faces of one embedded family, as font files for a magazine's `fonts/` folder.
fn family_files(family: &str) -> Vec<Vec<u8>> {
    typst_assets::fonts()
        .filter(|data| {
            rustybuzz::ttf_parser::Face::parse(data, 0).is_ok_and(|f| {
                f.names().into_iter().any(|n| {
                    n.name_id == rustybuzz::ttf_parser::name_id::FAMILY
                        && n.to_string().is_some_and(|s| s == family)
                })
            })
        })
        .map(<[u8]>::to_vec)
        .collect()
}

/// A magazine folder (`quire.toml`) with three monthly issues sharing a house style
/// that sets its headings in a family from the magazine's `fonts/` folder.
fn harbour(root: &Path) {
    let write = |rel: &str, text: &str| {
        let path = root.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    write(
        "quire.toml",
        "title = \"The Harbour Monthly\"\nlanguage = \"en-GB\"\npublisher = \"Quayside Press\"\n\
style = \"house\"\nissues = \"issues\"\n",
    );
    write(
        "styles/house.toml",
        "drop_caps = false\n[page]\ncolumns = 2\n[fonts]\ndisplay = \"DejaVu Sans Mono\"\n",
    );
    let faces = family_files("DejaVu Sans Mono");
    assert!(!faces.is_empty(), "typst-assets embeds DejaVu Sans Mono");
    for (i, face) in faces.iter().enumerate() {
        std::fs::create_dir_all(root.join("fonts")).unwrap();
        std::fs::write(root.join(format!("fonts/mono-{i}.ttf")), face).unwrap();
    }
    for (n, date) in [(1, "2026-01-01"), (2, "2026-02-01"), (3, "2026-03-01")] {
        write(
            &format!("issues/0{n}/edition.toml"),
            &format!(
                "issue = \"{n}\"\ndate = \"{date}\"\ncover_lines = [\"articles/piece.md\"]\n\n\
[[section]]\ntitle = \"Features\"\narticles = [\"articles/piece.md\"]\n"
            ),
        );
        write(
            &format!("issues/0{n}/articles/piece.md"),
            &format!(
                "---\ntitle: Tides of issue {n}\nstandfirst: What the water did in month {n}.\n\
authors: [Nia Quay]\n---\n\nThe water rose and fell twice a day in issue {n}.\n"
            ),
        );
    }
}

/// Which issues a `quire archive` run built and skipped, from its stdout.
fn archived(stdout: &str) -> (Vec<&str>, Vec<&str>) {
    let mut built = Vec::new();
    let mut skipped = Vec::new();
    for line in stdout.lines() {
        if let Some(rest) = line.strip_prefix("built ") {
            built.push(rest.split(' ').next().unwrap());
        } else if let Some(rest) = line.strip_prefix("skipped ") {
            skipped.push(rest.split(' ').next().unwrap());
        }
    }
    (built, skipped)
}

/// Which issues a `quire build` (no edition) run wrote and skipped, from its stdout.
fn rebuilt(stdout: &str) -> (Vec<&str>, Vec<&str>) {
    let mut wrote = Vec::new();
    let mut skipped = Vec::new();
    for line in stdout.lines() {
        if let Some(rest) = line.strip_prefix("wrote out/") {
            wrote.push(rest.split(['.', ' ']).next().unwrap());
        } else if let Some(rest) = line.strip_prefix("skipped issues/") {
            skipped.push(rest.split(':').next().unwrap());
        }
    }
    wrote.dedup();
    (wrote, skipped)
}

/// A month of a magazine: `quire build` and `quire archive` inside the magazine folder
/// agree on what changed (one edited article: that issue; a new shared font: all), and
/// the archive of its three issues is a site whose links resolve, with feeds that
/// validate and list each issue with both acquisition links.
#[test]
fn a_magazine_builds_and_archives_only_what_changed() {
    let tmp = common::temp_dir();
    let root = tmp.path().join("harbour");
    harbour(&root);
    let all = vec!["01", "02", "03"];
    let none: Vec<&str> = Vec::new();

    let (ok, stdout, stderr) = quire_in(&root, &["build", "--format", "pdf"]);
    assert!(ok, "{stderr}");
    assert_eq!(rebuilt(&stdout), (all.clone(), none.clone()), "{stdout}");
    let (ok, stdout, stderr) = quire_in(&root, &["archive"]);
    assert!(ok, "{stderr}");
    assert_eq!(archived(&stdout), (all.clone(), none.clone()), "{stdout}");
    let site = root.join("site");
    assert!(stdout.contains("wrote site/index.html"), "{stdout}");
    check_links(&site);
    check_feeds(&site, 3);
    // The shared face is the headings' in every issue.
    if let Some(pdffonts) = common::tool("pdffonts") {
        for n in &all {
            let list = Command::new(&pdffonts)
                .arg(site.join(format!("issues/{n}/{n}.pdf")))
                .output()
                .unwrap();
            assert!(String::from_utf8_lossy(&list.stdout).contains("DejaVuSansMono"));
        }
    }

    // Nothing changed: both leave every issue alone.
    let (_, stdout, _) = quire_in(&root, &["build", "--format", "pdf"]);
    assert_eq!(rebuilt(&stdout), (none.clone(), all.clone()), "{stdout}");
    let (_, stdout, _) = quire_in(&root, &["archive"]);
    assert_eq!(archived(&stdout), (none.clone(), all.clone()), "{stdout}");

    // One article edited: that issue only, for both, also from inside an issue's folder.
    let piece = root.join("issues/02/articles/piece.md");
    let text = std::fs::read_to_string(&piece)
        .unwrap()
        .replace("Tides of issue 2", "Currents of issue 2");
    std::fs::write(&piece, text).unwrap();
    let (ok, stdout, stderr) = quire_in(&root, &["build", "--format", "pdf"]);
    assert!(ok, "{stderr}");
    assert_eq!(rebuilt(&stdout), (vec!["02"], vec!["01", "03"]), "{stdout}");
    let (ok, stdout, stderr) = quire_in(&root.join("issues/02"), &["archive"]);
    assert!(ok, "{stderr}");
    assert_eq!(
        archived(&stdout),
        (vec!["02"], vec!["01", "03"]),
        "{stdout}"
    );
    let issue_page = std::fs::read_to_string(site.join("issues/02/index.html")).unwrap();
    assert!(issue_page.contains("Currents of issue 2"), "{issue_page}");
    check_links(&site);
    check_feeds(&site, 3);

    // A new face in the shared fonts folder: every issue, for both.
    std::fs::copy(root.join("fonts/mono-0.ttf"), root.join("fonts/extra.ttf")).unwrap();
    let (_, stdout, _) = quire_in(&root, &["build", "--format", "pdf"]);
    assert_eq!(rebuilt(&stdout), (all.clone(), none.clone()), "{stdout}");
    let (_, stdout, _) = quire_in(&root, &["archive"]);
    assert_eq!(archived(&stdout), (all, none), "{stdout}");
}
