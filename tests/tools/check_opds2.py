#!/usr/bin/env python3
"""Checks an OPDS 2.0 feed (quire archive's opds.json) and the publication documents its
publications name as their `self` links.

The feed is validated with the jsonschema package against opds2.schema.json beside this
script: the required parts of an OPDS 2.0 feed and publication, written by hand from the
OPDS 2.0 draft and the Readium Web Publication Manifest (no PyPI or npm package ships the
official schema files). Formats (uri, date, date-time) are checked too. Each publication's
`self` link must name a file beside the feed holding a publication that passes the same
publication schema, with a `self` link of the publication media type.

Usage: check_opds2.py FEED.json. Exit status 0 when the feed passes, 1 otherwise.
"""
import json
import os
import sys

import jsonschema

PUBLICATION = "application/opds-publication+json"


def rels(link):
    rel = link.get("rel", [])
    return rel if isinstance(rel, list) else [rel]


def errors(validator, instance, where):
    return [
        f"{where}: {'/'.join(str(p) for p in e.absolute_path) or '(root)'}: {e.message}"
        for e in validator.iter_errors(instance)
    ]


def main(path):
    here = os.path.dirname(os.path.abspath(__file__))
    with open(os.path.join(here, "opds2.schema.json"), encoding="utf-8") as f:
        schema = json.load(f)
    checker = jsonschema.Draft7Validator.FORMAT_CHECKER
    feed_validator = jsonschema.Draft7Validator(schema, format_checker=checker)
    publication_schema = dict(schema, **schema["definitions"]["publication"])
    publication_schema.pop("title", None)
    publication_validator = jsonschema.Draft7Validator(publication_schema, format_checker=checker)

    with open(path, encoding="utf-8") as f:
        feed = json.load(f)
    problems = errors(feed_validator, feed, os.path.basename(path))
    base = os.path.dirname(os.path.abspath(path))
    for i, publication in enumerate(feed.get("publications", []), 1):
        selves = [l for l in publication.get("links", []) if "self" in rels(l)]
        if len(selves) != 1:
            problems.append(f"publication {i}: {len(selves)} self links, not one")
            continue
        self_link = selves[0]
        if self_link.get("type") != PUBLICATION:
            problems.append(f"publication {i}: self link type {self_link.get('type')!r}")
        target = os.path.join(base, self_link["href"])
        try:
            with open(target, encoding="utf-8") as f:
                alone = json.load(f)
        except (OSError, ValueError) as e:
            problems.append(f"publication {i}: {self_link['href']}: {e}")
            continue
        problems += errors(publication_validator, alone, self_link["href"])
        if alone.get("metadata") != publication.get("metadata"):
            problems.append(f"{self_link['href']}: metadata differs from the feed's")
    for p in problems:
        print(p)
    return 1 if problems else 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print(__doc__)
        sys.exit(2)
    sys.exit(main(sys.argv[1]))
