#!/usr/bin/env python3
"""Write bad-input fixtures for migraph's ingest tests into a directory.

usage: make_bad.py OUTDIR

The fixtures are generated rather than committed so that the repository holds no
binary or multi-megabyte files; tests run this script into a temporary directory.
Output is byte-for-byte the same on every run (fixed random seed, no timestamps).

Files written (names are stable; tests may rely on them):

- invalid_utf8.txt   a short bulletin whose body contains invalid UTF-8 bytes
                     (a lone 0xFF, a stray continuation byte, a truncated
                     three-byte sequence); the rest of the text is valid
- empty.txt          zero bytes
- binary.txt         a PNG signature and IHDR chunk followed by 4 KiB of random
                     bytes, with a .txt extension
- long_line.txt      one line of 5 MiB (5 * 1024 * 1024 bytes) of words and
                     full stops, with no newline at all
- noisy.html         one short story inside <article>, surrounded by <script>,
                     <style>, <nav>, <noscript> and a cookie banner; the noise
                     mentions entities and verbs that must not be extracted
- crlf.txt           a two-story bulletin with Windows CRLF line endings
- frontmatter.md     Markdown with a YAML front matter block (title, date, tags)
                     and `# ` headlines

Every sentence in these files was written for the fixtures (nothing is copied
from third-party texts). The stories state these relations, which a test may
check after ingest and extraction:

- invalid_utf8.txt: Frontex deploysTo Senegal (2025-03-03)
- noisy.html:       European Union funds Mauritania (210000000, 2024-02)
- crlf.txt:         Italy returnsMigrantsTo Albania (2025-04-11);
                    International Organization for Migration operatesIn Libya
- frontmatter.md:   Council of the European Union imposesMeasureOn Ethiopia
                    (2024-04-29); the document date is 2025-05-02
"""
import random
import sys
from pathlib import Path

SEED = 20250601
LONG_LINE_BYTES = 5 * 1024 * 1024


def invalid_utf8():
    head = "Border Notes\nPublished 10 March 2025\n\nFrontex in Dakar\n".encode("utf-8")
    body = (
        b"Frontex deployed two liaison officers to Senegal on 3 March 2025. "
        b"The officers \xff will work from the EU delegation. "
        b"Local press called the move \x80controversial\x80, and one minister "
        b"said the country \xe2\x82 had not been consulted.\n"
    )
    return head + body


def binary(rng):
    png_signature = b"\x89PNG\r\n\x1a\n"
    ihdr = b"\x00\x00\x00\rIHDR\x00\x00\x01\x00\x00\x00\x01\x00\x08\x06\x00\x00\x00"
    return png_signature + ihdr + bytes(rng.getrandbits(8) for _ in range(4096))


def long_line(rng):
    words = ["border", "migration", "report", "officials", "coast", "route", "people",
             "boats", "meeting", "budget", "returns", "agency", "visa", "talks"]
    parts = []
    size = 0
    while size < LONG_LINE_BYTES:
        n = rng.randint(6, 18)
        sentence = " ".join(rng.choice(words) for _ in range(n)).capitalize() + ". "
        parts.append(sentence)
        size += len(sentence)
    return "".join(parts).encode("ascii")[:LONG_LINE_BYTES]


def noisy_html():
    return """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Mauritania money | Border Notes</title>
<style>
  .banner::after { content: "Frontex funds Libya"; }
  body { margin: 0; }
</style>
<script>
  var headline = "The EU imposed sanctions on Tunisia on 1 January 2020";
  document.addEventListener("DOMContentLoaded", function () { console.log(headline); });
</script>
</head>
<body>
<div class="cookie-banner">We use cookies. <button>Accept</button></div>
<nav><ul><li><a href="/">Home</a></li><li><a href="/frontex">Frontex deploys to Greece</a></li><li><a href="/archive">Archive</a></li></ul></nav>
<noscript>Enable JavaScript to see the Commission funding map.</noscript>
<article>
<h2>Mauritania receives its first tranche</h2>
<p>Published 3 June 2025</p>
<p>The EU has started paying out the 210 million euros it committed to Mauritania in February 2024, officials in Nouakchott said.</p>
</article>
<script type="application/ld+json">{"@type": "NewsArticle", "about": "Italy returns migrants to Egypt"}</script>
<footer><nav><a href="/privacy">Privacy</a></nav></footer>
</body>
</html>
""".encode("utf-8")


def crlf():
    lines = [
        "Route Watch",
        "Published 14 April 2025",
        "",
        "First transfers to Gjader",
        "On 11 April 2025 Italy transferred 40 men with removal orders to Albania.",
        "",
        "IOM in Libya",
        "- The IOM runs a voluntary return programme in Libya.",
        "- Numbers of departures from Libya fell in March.",
    ]
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


def frontmatter_md():
    return """---
title: Visa Notes
date: 2025-05-02
tags: [visas, ethiopia]
---

# Ethiopia one year on
On 29 April 2024 the Council adopted visa restrictions against Ethiopia.

# Nothing else to report
This week was quiet.
""".encode("utf-8")


def main(argv):
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    out = Path(argv[0])
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(SEED)
    files = {
        "invalid_utf8.txt": invalid_utf8(),
        "empty.txt": b"",
        "binary.txt": binary(rng),
        "long_line.txt": long_line(rng),
        "noisy.html": noisy_html(),
        "crlf.txt": crlf(),
        "frontmatter.md": frontmatter_md(),
    }
    for name, data in files.items():
        (out / name).write_bytes(data)
        print(f"{name}\t{len(data)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
