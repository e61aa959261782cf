#!/usr/bin/env python3
"""Checks an Atom feed (quire archive's opds.xml) two ways.

1. feedparser must read it as Atom 1.0 without a "bozo" error (well-formed XML, no
   character encoding or parsing problem), with at least one entry.
2. lxml must find it valid against atom.rng beside this script: the grammar of RFC 4287
   restated in RELAX NG. It then checks what the grammar cannot say: every entry has an
   author (or the feed has one) and either content or an alternate link (RFC 4287 4.1.1
   and 4.1.2).

Usage: check_atom.py FEED.xml. Exit status 0 when the feed passes, 1 otherwise.
"""
import os
import sys

import feedparser
from lxml import etree

ATOM = "{http://www.w3.org/2005/Atom}"


def main(path):
    problems = []
    parsed = feedparser.parse(path)
    if parsed.bozo:
        problems.append(f"feedparser: {parsed.bozo_exception}")
    if parsed.version != "atom10":
        problems.append(f"feedparser reads it as {parsed.version!r}, not Atom 1.0")
    if not parsed.entries:
        problems.append("feedparser finds no entry")

    grammar = etree.RelaxNG(etree.parse(os.path.join(os.path.dirname(__file__), "atom.rng")))
    doc = etree.parse(path)
    if not grammar.validate(doc):
        for error in grammar.error_log:
            problems.append(f"RELAX NG: line {error.line}: {error.message}")
    feed = doc.getroot()
    feed_author = feed.find(ATOM + "author") is not None
    for i, entry in enumerate(feed.findall(ATOM + "entry"), 1):
        if not feed_author and entry.find(ATOM + "author") is None:
            problems.append(f"entry {i}: no author")
        alternate = any(
            link.get("rel") == "alternate" for link in entry.findall(ATOM + "link")
        )
        if entry.find(ATOM + "content") is None and not alternate:
            problems.append(f"entry {i}: neither content nor an alternate link")

    for p in problems:
        print(f"{path}: {p}")
    if not problems:
        print(f"{path}: Atom 1.0, {len(parsed.entries)} entries, valid against atom.rng")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
