#!/usr/bin/env python3
"""Adds or replaces messages in both catalogues, keeping them sorted.

Usage: scripts/addmsg.py KEY 'french' 'english' [KEY 'fr' 'en' ...]
A plural is written "one|other". French typography: write ' :' and '« x »'
with plain spaces; they are converted to U+00A0 / U+202F here.
"""
import json, sys, collections, re

def typo(s):
    s = re.sub(r" ([;!?»])", "\u202f\\1", s)
    s = re.sub(r"« ", "«\u202f", s)
    s = re.sub(r" :", "\u00a0:", s)
    return s.replace("'", "’")

def load(path):
    with open(path) as f:
        return json.load(f, object_pairs_hook=collections.OrderedDict)

def val(s, fr):
    if fr:
        s = typo(s)
    if "|" in s:
        one, other = s.split("|", 1)
        return collections.OrderedDict([("one", one), ("other", other)])
    return s

args = sys.argv[1:]
if len(args) % 3:
    sys.exit("want KEY FR EN triples")
base = "internal/locale/messages/"
fr, en = load(base + "fr.json"), load(base + "en.json")
for i in range(0, len(args), 3):
    k, f, e = args[i:i+3]
    fr[k] = val(f, True)
    en[k] = val(e, False)
for cat, name in ((fr, "fr.json"), (en, "en.json")):
    out = collections.OrderedDict(sorted(cat.items()))
    with open(base + name, "w") as fh:
        json.dump(out, fh, ensure_ascii=False, indent=2)
        fh.write("\n")
