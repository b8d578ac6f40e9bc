"""Ranking quality of `dongne search` on a question -> passage set, measured the
way a held-out set is: the passages imported with `dongne import` into a new
engine, the questions run with `dongne search --queries`, then hit@1 (the
expected passage first) and MRR@10 (1/rank of the expected passage in the top
10, 0 when absent). Beside it, plain BM25 over character bigrams (k1 1.2,
b 0.75, title and body as one text, each word's overlapping two-character
pieces and one-character words as terms), the baseline the issue names.

PASSAGES is import JSONL (each line with "ext_id"); QUERIES is JSONL with
"query" and "expect" (the passage's ext_id).

    /usr/bin/python3 bench/retrieval_quality.py PASSAGES QUERIES [--dongne PATH] [--misses]

docs/search.md gives the figures for tests/fixtures.
"""
import argparse
import collections
import json
import math
import re
import subprocess
import sys
import tempfile
import unicodedata
from pathlib import Path


def score(ranked_ids, expected):
    """(hit@1, reciprocal rank within the top 10) of one question."""
    top = ranked_ids[:10]
    hit = 1 if top[:1] == [expected] else 0
    return hit, (1 / (top.index(expected) + 1) if expected in top else 0.0)


def run_dongne(dongne, passages, questions):
    with tempfile.TemporaryDirectory() as work:
        engine = Path(work) / "engine"
        subprocess.run([dongne, "import", engine, passages, "--json"], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        query_file = Path(work) / "queries.txt"
        # One query a line: a line break inside a question would shift every
        # answer after it.
        query_file.write_text("".join(" ".join(q["query"].split()) + "\n" for q in questions),
                              encoding="utf-8")
        out = subprocess.run([dongne, "search", engine, "--queries", query_file, "--limit", "10"],
                             check=True, capture_output=True, text=True).stdout.splitlines()
    if len(out) != len(questions):
        sys.exit(f"{len(questions)} questions but {len(out)} result lines")
    return [[hit["ext_id"] for hit in json.loads(line).get("hits", [])] for line in out]


def bigrams(text):
    terms = []
    for word in re.findall(r"\w+", unicodedata.normalize("NFKC", text).lower()):
        terms += [word] if len(word) == 1 else [word[i:i + 2] for i in range(len(word) - 1)]
    return terms


def run_bigram_bm25(passages, questions, k1=1.2, b=0.75):
    ids = [p["ext_id"] for p in passages]
    docs = [collections.Counter(bigrams(p.get("title", "") + " " + p.get("body", "")))
            for p in passages]
    lengths = [sum(d.values()) for d in docs]
    average = sum(lengths) / len(docs)
    df = collections.Counter(t for d in docs for t in d)
    postings = collections.defaultdict(list)
    for i, d in enumerate(docs):
        for t, tf in d.items():
            postings[t].append((i, tf))
    ranked = []
    for q in questions:
        scores = collections.defaultdict(float)
        for t in set(bigrams(q["query"])):
            idf = math.log(1 + (len(docs) - df[t] + 0.5) / (df[t] + 0.5))
            for i, tf in postings.get(t, []):
                scores[i] += idf * tf * (k1 + 1) / (tf + k1 * (1 - b + b * lengths[i] / average))
        ranked.append([ids[i] for i in sorted(scores, key=lambda i: -scores[i])[:10]])
    return ranked


def report(name, questions, ranked, misses):
    hits, rr = zip(*(score(r, q["expect"]) for r, q in zip(ranked, questions)))
    print(f"{name:<16} hit@1 {sum(hits) / len(hits):.3f}  MRR@10 {sum(rr) / len(rr):.3f}"
          f"  ({len(questions)} questions)")
    if misses:
        for q, r, hit in zip(questions, ranked, hits):
            if not hit:
                print(f"  {q['query']}  expected {q['expect']}, got {r[:3]}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("passages")
    parser.add_argument("queries")
    parser.add_argument("--dongne", default=str(Path(__file__).resolve().parents[1] /
                                                "build/examples/dongne"))
    parser.add_argument("--misses", action="store_true", help="list the questions not first")
    args = parser.parse_args()
    with open(args.passages, encoding="utf-8") as f:
        passages = [json.loads(line) for line in f if line.strip()]
    with open(args.queries, encoding="utf-8") as f:
        questions = [json.loads(line) for line in f if line.strip()]
    report("dongne search", questions, run_dongne(args.dongne, args.passages, questions),
           args.misses)
    report("bigram BM25", questions, run_bigram_bm25(passages, questions), args.misses)


if __name__ == "__main__":
    main()
