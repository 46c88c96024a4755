#!/usr/bin/env python3
"""Check the team-written gold files and count their relations.

usage: check_gold.py [--shared DIR]

Checks every gold file under tests/data/gold/ (bulletins in tests/data/bulletins/)
and tests/data/gold/corpus/ (the sample corpus in examples/corpus/):

- the header is exactly the guide's seven columns and every row has seven fields;
- the document named in `doc` exists and the file name of the gold matches it;
- every evidence is a verbatim substring of its document;
- every relation name is one of the sixteen in the annotation guide;
- subject and object have a type in tests/data/gold/entities.tsv (one of the
  guide's twelve types);
- amounts are a plain number of euros or `<number> <ISO code>`, dates are
  ISO 8601 (`2025`, `2025-05`, `2025-05-14`) or a `start/end` period;
- no (doc, subject, relation, object) is annotated twice (symmetric relations
  compared in either order), and no entity is related to itself;
- aliases.tsv only names typed entities and gives no alias that the shared
  alias table (if found) already gives to another entity.

Prints a summary (relations per type, per file) and exits 1 if anything failed.
It only reads files.
"""
import csv
import re
import sys
import unicodedata
from collections import Counter
from pathlib import Path

HEADER = ["doc", "subject", "relation", "object", "amount_eur", "date", "evidence"]
RELATIONS = [
    "funds", "cooperatesWith", "deploysTo", "supports", "negotiatesAgreementWith",
    "imposesMeasureOn", "returnsMigrantsTo", "operatesIn", "meetsWith", "presentsTo",
    "discusses", "contractedBy", "memberOf", "participatesIn", "usesForceAgainst", "partOf",
]
SYMMETRIC = {"cooperatesWith", "meetsWith"}
TYPES = {
    "Country", "Region", "EUInstitution", "EUAgency", "Mission", "InternationalOrganisation",
    "Authority", "Company", "NGO", "Person", "Programme", "Agreement",
}
DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
AMOUNT = re.compile(r"^[1-9]\d*( [A-Z]{3})?$")

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
GOLD = HERE / "gold"
SETS = [
    (GOLD, HERE / "bulletins"),
    (GOLD / "corpus", ROOT / "examples" / "corpus"),
]


def norm(name):
    """Normalise a name the way shared/tools/score.py does."""
    s = unicodedata.normalize("NFKD", name)
    s = "".join(c for c in s if not unicodedata.combining(c))
    s = s.lower().replace("\u2019", "'").replace("\u2018", "'")
    s = "".join(c if c.isalnum() or c.isspace() else " " for c in s)
    words = s.split()
    if words and words[0] == "the":
        words = words[1:]
    return " ".join(words)


def read_tsv(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE))


def check_date(value):
    if not value:
        return True
    parts = value.split("/")
    return len(parts) <= 2 and all(DATE.match(p) for p in parts)


def main(argv):
    shared = ROOT.parent / "shared"
    if len(argv) == 2 and argv[0] == "--shared":
        shared = Path(argv[1])
    elif argv:
        print(__doc__, file=sys.stderr)
        return 2

    errors = []
    types = {}
    for row in read_tsv(GOLD / "entities.tsv")[1:]:
        if len(row) != 2 or row[1] not in TYPES:
            errors.append(f"entities.tsv: bad row {row}")
            continue
        if row[0] in types:
            errors.append(f"entities.tsv: {row[0]} listed twice")
        types[row[0]] = row[1]

    shared_alias = {}
    shared_aliases = shared / "gold" / "aliases.tsv"
    if shared_aliases.is_file():
        for row in read_tsv(shared_aliases)[1:]:
            shared_alias[norm(row[0])] = norm(row[0])
            for a in row[1].split("|"):
                shared_alias.setdefault(norm(a), norm(row[0]))
    for row in read_tsv(GOLD / "aliases.tsv")[1:]:
        if len(row) != 2:
            errors.append(f"aliases.tsv: bad row {row}")
            continue
        if row[0] not in types:
            errors.append(f"aliases.tsv: {row[0]} has no type in entities.tsv")
        for a in row[1].split("|"):
            owner = shared_alias.get(norm(a))
            if owner is not None and owner != norm(row[0]):
                errors.append(f"aliases.tsv: alias {a!r} of {row[0]} already means {owner!r}")

    per_type = Counter()
    per_file = {}
    used = set()
    amounts = dates = 0
    for gold_dir, doc_dir in SETS:
        for gold in sorted(gold_dir.glob("*.tsv")):
            if gold.name in ("aliases.tsv", "entities.tsv"):
                continue
            rows = read_tsv(gold)
            if not rows or rows[0] != HEADER:
                errors.append(f"{gold}: header is not {HEADER}")
                continue
            seen = set()
            count = 0
            for n, row in enumerate(rows[1:], start=2):
                where = f"{gold.relative_to(ROOT)}:{n}"
                if len(row) != 7:
                    errors.append(f"{where}: {len(row)} fields instead of 7")
                    continue
                doc, subj, rel, obj, amount, date, evidence = row
                path = doc_dir / doc
                if not path.is_file():
                    errors.append(f"{where}: document {doc} not found in {doc_dir}")
                    continue
                if Path(doc).stem != gold.stem:
                    errors.append(f"{where}: doc {doc} does not match the gold file name")
                text = path.read_text(encoding="utf-8")
                if not evidence or evidence not in text:
                    errors.append(f"{where}: evidence not in {doc}: {evidence!r}")
                if rel not in RELATIONS:
                    errors.append(f"{where}: unknown relation {rel!r}")
                for name in (subj, obj):
                    if name not in types:
                        errors.append(f"{where}: entity {name!r} has no type in entities.tsv")
                    used.add(name)
                if subj == obj:
                    errors.append(f"{where}: {subj} related to itself")
                if amount and not AMOUNT.match(amount):
                    errors.append(f"{where}: bad amount {amount!r}")
                if not check_date(date):
                    errors.append(f"{where}: bad date {date!r}")
                key = (subj, rel, obj)
                if rel in SYMMETRIC:
                    key = (min(subj, obj), rel, max(subj, obj))
                if key in seen:
                    errors.append(f"{where}: {key} annotated twice")
                seen.add(key)
                per_type[rel] += 1
                amounts += bool(amount)
                dates += bool(date)
                count += 1
            per_file[str(gold.relative_to(GOLD))] = count

    for name in sorted(set(types) - used):
        errors.append(f"entities.tsv: {name} is used by no gold row")

    total = sum(per_type.values())
    print(f"gold files: {len(per_file)}, relations: {total}, "
          f"with amount: {amounts}, with date: {dates}, entities: {len(types)}")
    print("per relation type:")
    for rel in RELATIONS:
        print(f"  {rel:24} {per_type[rel]:4d}")
    print("per file:")
    for name, count in sorted(per_file.items()):
        print(f"  {name:44} {count:4d}")
    for e in errors:
        print(f"ERROR {e}", file=sys.stderr)
    print(f"{len(errors)} problem(s)")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
