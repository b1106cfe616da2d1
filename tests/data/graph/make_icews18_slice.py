#!/usr/bin/python3
"""Regenerates icews18_slice.tsv: the ICEWS18 training facts of 2018-01-01..03 (time < 72 hours),
ids replaced by names, with the CAMEO code, Goldstein value and QuadClass of the relation taken
from the bundled ICEWS CAMEO table (data/cameo/icews_cameo_codes.csv, exact name match):
  subject <TAB> relation <TAB> object <TAB> hours since 2018-01-01 <TAB> code <TAB> goldstein <TAB> quad
Usage: tests/data/graph/make_icews18_slice.py ../shared/data/ICEWS18 data/cameo > icews18_slice.tsv
       ... ICEWS18 data/cameo --all   every fact of train, valid and test (the [.slow] full-set test)
"""
import csv
import sys

src, cameo = sys.argv[1], sys.argv[2]
full = "--all" in sys.argv[3:]
ent = {}
for line in open(f"{src}/entity2id.txt", encoding="utf-8"):
    name, i = line.rstrip("\n").split("\t")
    ent[i] = name
rel = {}
for line in open(f"{src}/relation2id.txt", encoding="utf-8"):
    name, i = line.rstrip("\n").split("\t")
    rel[i] = name
codes = {}
for row in csv.DictReader(open(f"{cameo}/icews_cameo_codes.csv", encoding="latin-1")):
    codes.setdefault(row["name"], (row["code"], float(row["goldstein"])))


def quad(code):
    r = int(code[:2])
    return 1 if r <= 5 else 2 if r <= 9 else 3 if r <= 14 else 4


for split in ("train", "valid", "test") if full else ("train",):
    for line in open(f"{src}/{split}.txt", encoding="utf-8"):
        s, r, o, t = (f.strip() for f in line.split("\t")[:4])
        if not full and int(t) >= 72:
            continue
        code, gold = codes[rel[r]]
        print("\t".join([ent[s], rel[r], ent[o], t, code, f"{gold:g}", str(quad(code))]))
