//! A build lays the edition out once, whatever outputs it makes: the archive PDF, the
//! EPUB's print page list, the print and imposed PDFs and the preflight all read the one
//! layout ([`quire::LaidEdition`]). Counted with [`quire::layout::articles_laid`], which
//! is process-wide: this file holds a single test, so nothing else lays out meanwhile.

mod common;

use quire::{BuildOptions, Format};

/// How many times `run` lays the edition's articles out.
fn layouts(run: impl FnOnce()) -> usize {
    let before = quire::layout::articles_laid();
    run();
    quire::layout::articles_laid() - before
}

#[test]
fn every_build_and_check_lays_out_once() {
    let edition = quire::edition::load(&common::root().join("tests/cases/base"))
        .unwrap_or_else(|e| panic!("tests/cases/base does not load: {e}"));
    let tmp = common::temp_dir();

    // The default build: the archive PDF (unpadded) and the EPUB (the print page list).
    let mut timings = Vec::new();
    let n = layouts(|| {
        let report = quire::build(&edition, &BuildOptions::new(tmp.path().join("a")))
            .unwrap_or_else(|e| panic!("the default build fails: {e}"));
        assert_eq!(report.outputs.len(), 2);
        timings = report.timings;
    });
    assert_eq!(n, 1, "the default build (PDF and EPUB)");
    let named = |name: &str| timings.iter().filter(|(s, _)| s == name).count();
    assert_eq!(named("layout"), 1, "{timings:?}");
    assert_eq!(named("layout/articles"), 1, "{timings:?}");

    // Every output and the preflight: one unpadded and one padded document, one layout.
    let mut all = BuildOptions::new(tmp.path().join("b"));
    all.formats = vec![Format::Pdf, Format::Epub, Format::Print, Format::Imposed];
    all.allow_preflight_errors = true;
    let n = layouts(|| {
        let report =
            quire::build(&edition, &all).unwrap_or_else(|e| panic!("the full build fails: {e}"));
        assert_eq!(report.outputs.len(), 4);
    });
    assert_eq!(n, 1, "--format pdf,epub --print --impose");

    // The EPUB alone still needs the layout for its page list.
    let n = layouts(|| {
        quire::check(&edition, &[Format::Epub]).unwrap_or_else(|e| panic!("{e}"));
    });
    assert_eq!(n, 1, "quire check --format epub");

    // `quire check --print`: the backends and the preflight share the layout.
    let n = layouts(|| {
        let options = quire::preflight::PreflightOptions::default();
        quire::check_print(&edition, &[Format::Pdf, Format::Print], &options)
            .unwrap_or_else(|e| panic!("{e}"));
    });
    assert_eq!(n, 1, "quire check --print");
}
