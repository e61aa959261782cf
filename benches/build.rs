//! Build benchmark: loads and builds synthetic editions (PDF and EPUB) made by
//! `../shared/tools/gen_edition.py`, at 24 and 240 articles, so the scaling from one to the
//! other can be read off (the target: the 240-article build takes at most about 12 times
//! as long as the 24-article one, i.e. linear).
//!
//! `cargo bench` runs both; `QUIRE_BENCH_ARTICLES=24 cargo bench` picks the sizes. Peak
//! memory is measured outside criterion, see `docs/pdf.md` ("Performance").

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use criterion::{Criterion, criterion_group, criterion_main};

/// The allocator the `quire` binary uses, so that the figures match the command line.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The generator script, beside the repository (`<repo>/../shared/tools/`), as in CI.
fn generator() -> PathBuf {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/tools/gen_edition.py");
    assert!(
        script.is_file(),
        "the edition generator is missing: expected {} (the `shared` folder sits beside the \
         repository)",
        script.display()
    );
    script
}

/// Writes a synthetic edition of `articles` articles (seed 1) into `dir`.
fn generate(dir: &Path, articles: usize) {
    let status = Command::new("python3")
        .arg(generator())
        .arg("--out")
        .arg(dir)
        .args(["--articles", &articles.to_string(), "--seed", "1"])
        .status()
        .expect("python3 runs");
    assert!(
        status.success(),
        "gen_edition.py failed for {articles} articles"
    );
}

/// Article counts to measure: `QUIRE_BENCH_ARTICLES` (comma separated) or 24 and 240.
fn sizes() -> Vec<usize> {
    match std::env::var("QUIRE_BENCH_ARTICLES") {
        Ok(list) => list
            .split(',')
            .map(|s| {
                s.trim()
                    .parse()
                    .expect("QUIRE_BENCH_ARTICLES holds numbers")
            })
            .collect(),
        Err(_) => vec![24, 240],
    }
}

/// Load and build once, the whole pipeline.
fn load_and_build(edition: &Path, out: &Path) -> quire::BuildReport {
    let loaded = quire::edition::load(edition)
        .unwrap_or_else(|e| panic!("{} does not load: {e}", edition.display()));
    quire::build(&loaded, &quire::BuildOptions::new(out))
        .unwrap_or_else(|e| panic!("{} does not build: {e}", edition.display()))
}

fn build(c: &mut Criterion) {
    let tmp = tempfile::tempdir().expect("a temporary folder");
    let mut group = c.benchmark_group("load+build pdf+epub");
    group.sample_size(10);
    for articles in sizes() {
        let edition = tmp.path().join(format!("bench-{articles}"));
        let out = tmp.path().join(format!("out-{articles}"));
        generate(&edition, articles);

        // One build outside the measurement: checks that it works and shows the stages.
        let start = Instant::now();
        let report = load_and_build(&edition, &out);
        eprintln!("{articles} articles: first build {:?}", start.elapsed());
        for o in &report.outputs {
            eprintln!(
                "  {}: {} bytes, {} units",
                o.path.display(),
                o.bytes,
                o.units
            );
        }
        for (stage, time) in &report.timings {
            eprintln!("  {stage}: {time:?}");
        }

        group.bench_function(format!("{articles} articles"), |b| {
            b.iter(|| black_box(load_and_build(&edition, &out)))
        });
    }
    group.finish();
}

criterion_group!(benches, build);
criterion_main!(benches);
