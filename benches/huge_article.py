#!/usr/bin/env python3
"""Write a one-article edition whose article is N megabytes of one shape, to measure
peak memory and time per input byte (docs/pdf.md, "Very long articles").

Shapes:
  paragraph   one paragraph of ordinary words
  paragraphs  many paragraphs of 60-120 words
  list        one bulleted list of one-sentence items
  table       one table of four columns, a few words a cell

    python3 benches/huge_article.py --out /tmp/huge --shape paragraph --mb 20
    /usr/bin/time -v target/release/quire build /tmp/huge --out /tmp/out

The words come from a small vocabulary of our own and a seeded generator, so the same
arguments give the same bytes. The edition raises `[limits] text_file_mb` to fit.
"""
import argparse
import random
from pathlib import Path

WORDS = """
council harbour budget railway library committee winter village market school
hospital neighbourhood programme organisation government minister union factory
district archive river bridge museum festival harvest reservoir coastline quiet
distant practical unexpected local regional national familiar ordinary careful
modest stubborn generous narrow broad ancient modern rural urban coastal approved
rejected examined questioned described recorded repaired financed organised the
the the a of of and and to in in was had by with for on at from every their
considerable substantial significant administration responsibility consultation
""".split()


def sentence(r: random.Random, lo: int, hi: int) -> str:
    words = [r.choice(WORDS) for _ in range(r.randint(lo, hi))]
    words[0] = words[0].capitalize()
    return " ".join(words) + "."


def body(shape: str, size: int, r: random.Random) -> str:
    parts: list[str] = []
    total = 0
    while total < size:
        if shape == "paragraph":
            part = sentence(r, 8, 20) + " "
        elif shape == "paragraphs":
            part = " ".join(sentence(r, 8, 20) for _ in range(r.randint(4, 8))) + "\n\n"
        elif shape == "list":
            part = "- " + sentence(r, 6, 16) + "\n"
        elif shape == "table":
            cells = [" ".join(r.choice(WORDS) for _ in range(r.randint(1, 4))) for _ in range(4)]
            part = "| " + " | ".join(cells) + " |\n"
        else:
            raise SystemExit(f"unknown shape {shape}")
        parts.append(part)
        total += len(part)
    text = "".join(parts)
    if shape == "table":
        text = "| Place | Body | Record | Note |\n|---|---|---|---|\n" + text
    return text.rstrip() + "\n"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True, type=Path)
    ap.add_argument("--shape", default="paragraph",
                    choices=["paragraph", "paragraphs", "list", "table"])
    ap.add_argument("--mb", type=float, default=1.0, help="article body size in megabytes (10^6 bytes)")
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    size = int(a.mb * 1_000_000)
    text = body(a.shape, size, random.Random(a.seed))
    (a.out / "articles").mkdir(parents=True, exist_ok=True)
    limit = int(a.mb) + 2
    (a.out / "edition.toml").write_text(
        'title = "Huge"\nissue = "1"\ndate = "2026-03-01"\nlanguage = "en-GB"\n\n'
        f"[limits]\ntext_file_mb = {limit}\n\n"
        '[[section]]\ntitle = "Long"\narticles = ["articles/huge.md"]\n'
    )
    (a.out / "articles" / "huge.md").write_text(
        f'---\ntitle: "A {a.shape} of {a.mb:g} MB"\nauthor: "Nobody"\n---\n\n{text}'
    )


if __name__ == "__main__":
    main()
