#!/usr/bin/env python3
"""Times `quire build` against Typst on the same generated edition, side by side.

The edition is written by `../shared/tools/gen_edition.py` (seed 1). Its articles are
converted into one Typst document in quire's default design (styles/magazine.toml):
A4, margins 18/15/15/15 mm (inner at the spine), three columns with a 5 mm gutter,
Libertinus Serif (fonts from the repository's `fonts/` folder, then Typst's embedded
ones, which include Libertinus; no system fonts), body 9.5/11.5 pt, justified and
hyphenated British English, title 26/29 pt, standfirst 12/15 pt, byline 8.5 pt, subheads
10.5 pt, footnotes, lists and block quotes, each article starting on a new page with its
head across the columns.

Runs are interleaved (quire, Typst, quire, Typst, ...) so that load on a shared machine
falls on both alike, and the medians and their ratio are printed, for the wall clock and
for the CPU time (user + system of the child process, all threads): on a loaded machine
the wall clock measures the scheduler as much as the program, the CPU time much less.

- quire: the release binary (`target/release/quire`, build it first), one subprocess
  per run: process start, reading the edition and fonts, layout, writing PDF and EPUB.
- Typst: one subprocess per run as well (`python3 -c "import typst; typst.compile(...)"`)
  so that both sides pay for a process start, reading the source and fonts and writing
  the PDF; the Python start-up and `import typst` are measured once on their own and
  subtracted (reported as `typst startup`), so the Typst figure is its compile only.

Nothing is installed here: the Typst side needs PyPI's `typst` package (the Python
binding; `pip install typst==0.15.2`, which bundles the Typst 0.15 compiler).

    python3 benches/typst_compare.py                    # 24 articles, 11 runs each
    python3 benches/typst_compare.py --articles 240 --runs 5
"""
import argparse
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GENERATOR = ROOT.parent / "shared" / "tools" / "gen_edition.py"

# quire's default design, from styles/magazine.toml.
PREAMBLE = r"""
#set page(paper: "a4", columns: 3,
  margin: (top: 18mm, bottom: 15mm, inside: 15mm, outside: 15mm),
  numbering: "1")
#set columns(gutter: 5mm)
#set text(font: "Libertinus Serif", size: 9.5pt, lang: "en", region: "gb",
  hyphenate: true, number-type: "old-style", fill: rgb("#1a1a1a"),
  top-edge: 0.8em, bottom-edge: -0.2em)
#set par(justify: true, leading: 2pt, spacing: 2pt, first-line-indent: 1em)
#show heading: it => block(above: 11.5pt, below: 2pt,
  text(size: 10.5pt, weight: "bold", it.body))
#show quote: it => pad(left: 1em, it)
#set footnote.entry(gap: 2pt)
#show footnote.entry: set text(size: 7.5pt)
"""

SPECIAL = re.compile(r"([\\#$*_@<>\[\]`~/=+-])")


def escape(text):
    """Plain text to Typst markup text."""
    return SPECIAL.sub(r"\\\1", text)


def inline(text, notes):
    """Markdown inline syntax (emphasis, strong, links, footnote references) to Typst."""
    out = []
    pos = 0
    pattern = re.compile(
        r"\*\*(?P<strong>.+?)\*\*|\*(?P<em>.+?)\*|\[\^(?P<note>[^\]]+)\]"
        r"|\[(?P<label>[^\]]+)\]\((?P<url>[^)]+)\)"
    )
    for m in pattern.finditer(text):
        out.append(escape(text[pos : m.start()]))
        if m.group("strong") is not None:
            out.append("#strong[" + inline(m.group("strong"), notes) + "]")
        elif m.group("em") is not None:
            out.append("#emph[" + inline(m.group("em"), notes) + "]")
        elif m.group("note") is not None:
            out.append("#footnote[" + inline(notes.get(m.group("note"), ""), {}) + "]")
        else:
            url = m.group("url").replace("\\", "\\\\").replace('"', '\\"')
            out.append('#link("' + url + '")[' + inline(m.group("label"), notes) + "]")
        pos = m.end()
    out.append(escape(text[pos:]))
    return "".join(out)


def front_matter(source):
    """Splits `---` front matter (simple `key: "value"` lines) from the body."""
    _, head, body = source.split("---\n", 2)
    meta = {}
    for line in head.splitlines():
        key, _, value = line.partition(":")
        value = value.strip()
        if value.startswith('"') and value.endswith('"'):
            value = value[1:-1].replace('\\"', '"')
        meta[key.strip()] = value
    return meta, body


def article_to_typst(source):
    """One generated article (Markdown with front matter) to Typst markup."""
    meta, body = front_matter(source)
    notes = {}
    lines = []
    for line in body.splitlines():
        m = re.match(r"\[\^([^\]]+)\]:\s*(.*)", line)
        if m:
            notes[m.group(1)] = m.group(2)
        else:
            lines.append(line)
    out = [
        "#pagebreak(weak: true)",
        "#place(top, scope: \"parent\", float: true, clearance: 11.5pt, block(width: 100%)[",
        "#set par(justify: false, first-line-indent: 0pt)",
        "#text(size: 26pt, weight: \"bold\", top-edge: 0.8em, bottom-edge: -0.3em)["
        + inline(meta.get("title", ""), {})
        + "]\\",
        "#text(size: 12pt, style: \"italic\")[" + inline(meta.get("standfirst", ""), {}) + "]\\",
        "#text(size: 8.5pt, fill: rgb(\"#5f5f5f\"))[" + escape(meta.get("author", "")) + "]",
        "])",
        "",
    ]
    quote = []
    for line in lines + [""]:
        if line.startswith(">"):
            quote.append(line[1:].strip())
            continue
        if quote:
            paras = "\n".join(quote).split("\n\n")
            out.append(
                "#quote(block: true)["
                + "\n\n".join(inline(p.replace("\n", " "), notes) for p in paras if p.strip())
                + "]"
            )
            out.append("")
            quote = []
        if line.startswith("## "):
            out.append("== " + inline(line[3:], notes))
        elif line.startswith("- "):
            out.append("- " + inline(line[2:], notes))
        else:
            out.append(inline(line, notes))
    return "\n".join(out)


def edition_to_typst(edition):
    """The articles named in `edition.toml`, in order, as one Typst document."""
    toml = (edition / "edition.toml").read_text(encoding="utf-8")
    paths = re.findall(r'^\s*"(articles/[^"]+\.md)",?$', toml, re.M)
    parts = [PREAMBLE]
    for path in paths:
        parts.append(article_to_typst((edition / path).read_text(encoding="utf-8")))
    return "\n".join(parts)


TYPST_DRIVER = """
import sys, time
t = time.perf_counter()
import typst
if sys.argv[1] != "-":
    typst.compile(sys.argv[1], output=sys.argv[2], root=sys.argv[3],
                  font_paths=[sys.argv[4]], ignore_system_fonts=True)
print(time.perf_counter() - t)
"""


def children_cpu():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run(cmd):
    """Runs `cmd`; returns its wall-clock time and its CPU time (user + system, all its
    threads), both in seconds."""
    cpu = children_cpu()
    start = time.perf_counter()
    done = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"{' '.join(map(str, cmd))} failed:\n{done.stderr.decode(errors='replace')}")
    return elapsed, children_cpu() - cpu


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=24)
    parser.add_argument("--runs", type=int, default=11)
    parser.add_argument("--quire", default=str(ROOT / "target" / "release" / "quire"))
    args = parser.parse_args()

    try:
        import typst  # noqa: F401  (only to say early that it is missing)
    except ImportError:
        sys.exit("PyPI's typst package is missing: pip install typst==0.15.2")
    if not Path(args.quire).is_file():
        sys.exit(f"{args.quire} is missing: cargo build --release")

    with tempfile.TemporaryDirectory(prefix="quire-typst-") as tmp:
        tmp = Path(tmp)
        edition = tmp / "edition"
        subprocess.run(
            [sys.executable, str(GENERATOR), "--out", str(edition),
             "--articles", str(args.articles), "--seed", "1"],
            check=True, stdout=subprocess.DEVNULL,
        )
        source = tmp / "edition.typ"
        source.write_text(edition_to_typst(edition), encoding="utf-8")
        quire_cmd = [args.quire, "build", str(edition), "--out", str(tmp / "out")]
        typst_cmd = [sys.executable, "-c", TYPST_DRIVER, str(source), str(tmp / "typst.pdf"),
                     str(tmp), str(ROOT / "fonts")]
        startup_cmd = [sys.executable, "-c", TYPST_DRIVER, "-"]

        # One warm-up each (page cache, and it shows that both compile).
        run(quire_cmd)
        run(typst_cmd)
        samples = {"quire": [], "typst": [], "startup": []}
        for _ in range(args.runs):
            samples["quire"].append(run(quire_cmd))
            samples["typst"].append(run(typst_cmd))
            samples["startup"].append(run(startup_cmd))
        pages = len(re.findall(rb"/Type\s*/Page\b", (tmp / "typst.pdf").read_bytes()))

    def median(name, which):
        return statistics.median(s[which] for s in samples[name])

    print(f"articles: {args.articles}, runs: {args.runs} interleaved, typst pages: {pages}")
    for which, label in ((0, "wall clock"), (1, "CPU time (user + system)")):
        q = median("quire", which)
        start = median("startup", which)
        t = median("typst", which) - start
        print(f"{label}:")
        print(f"  quire build (PDF + EPUB):  median {q * 1000:8.1f} ms")
        print(f"  typst compile (PDF):       median {t * 1000:8.1f} ms"
              f"  (subprocess {median('typst', which) * 1000:.1f} ms"
              f" less python and import typst {start * 1000:.1f} ms)")
        print(f"  ratio typst / quire:       {t / q:8.2f}")


if __name__ == "__main__":
    main()
