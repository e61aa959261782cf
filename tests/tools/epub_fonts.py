"""Checks the fonts of an EPUB with fontTools: every character of the text of the
documents is mapped in every embedded face (quire subsets each face to all the text it
shows), and the layout features the stylesheet uses survive with working lookups.

Usage: python3 epub_fonts.py FILE.epub. Prints one line per face; exits 1 on a problem,
2 when fontTools is missing.
"""
import io
import sys
import zipfile
import xml.etree.ElementTree as ET

try:
    from fontTools.ttLib import TTFont
except ImportError:
    print("fontTools is not installed (pip install fonttools)", file=sys.stderr)
    sys.exit(2)

FEATURES = ["smcp", "onum", "liga"]
XHTML = "{http://www.w3.org/1999/xhtml}"


def shown_text(epub):
    """The characters of every document's body, control characters left out."""
    chars = set()
    for name in epub.namelist():
        if not name.endswith(".xhtml"):
            continue
        body = ET.fromstring(epub.read(name)).find(XHTML + "body")
        chars.update("".join(body.itertext()))
    return {c for c in chars if c >= " " and c != "\x7f"}


def lookups(gsub, tag):
    """The lookups the feature `tag` points at, over every script and language."""
    table = gsub.table
    out = set()
    for record in table.FeatureList.FeatureRecord:
        if record.FeatureTag == tag:
            out.update(record.Feature.LookupListIndex)
    return [table.LookupList.Lookup[i] for i in sorted(out)]


def single_substitutions(lookup_list):
    mapping = {}
    for lookup in lookup_list:
        for sub in lookup.SubTable:
            if sub.__class__.__name__ == "ExtensionSubst":
                sub = sub.ExtSubTable
            mapping.update(getattr(sub, "mapping", {}) or {})
    return mapping


def main(path):
    problems = []
    with zipfile.ZipFile(path) as epub:
        text = shown_text(epub)
        fonts = [n for n in epub.namelist() if n.endswith((".otf", ".ttf"))]
        if not fonts:
            problems.append("no embedded fonts")
        for name in fonts:
            font = TTFont(io.BytesIO(epub.read(name)))
            cmap = font.getBestCmap()
            missing = sorted(c for c in text if ord(c) not in cmap)
            if missing:
                problems.append(f"{name}: text characters not mapped: {''.join(missing)!r}")
            if "GSUB" not in font or "GPOS" not in font:
                problems.append(f"{name}: GSUB or GPOS dropped")
                continue
            for tag in FEATURES:
                found = lookups(font["GSUB"], tag)
                if not found or not any(l.SubTable for l in found):
                    problems.append(f"{name}: feature {tag} has no lookups")
            kern = lookups(font["GPOS"], "kern")
            if not kern or not any(l.SubTable for l in kern):
                problems.append(f"{name}: kerning (GPOS kern) has no lookups")
            smcp = single_substitutions(lookups(font["GSUB"], "smcp"))
            a = cmap.get(ord("a"))
            if a is not None and smcp.get(a, a) == a:
                problems.append(f"{name}: smcp no longer substitutes 'a'")
            onum = single_substitutions(lookups(font["GSUB"], "onum"))
            one = cmap.get(ord("1"))
            if one is not None and onum.get(one, one) == one:
                problems.append(f"{name}: onum no longer substitutes '1'")
            print(f"{name}: {len(epub.read(name))} bytes, {len(font.getGlyphOrder())} glyphs, "
                  f"{len(text) - len(missing)} of {len(text)} text characters mapped")
    for p in problems:
        print("problem:", p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
