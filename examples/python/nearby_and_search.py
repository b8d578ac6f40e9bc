"""Imports a JSONL file of questions and prints what is near a point and what a
Korean search finds there.

    PYTHONPATH=build/python /usr/bin/python3 examples/python/nearby_and_search.py \
        examples/data/jeju-busan.jsonl
"""
import os
import sys
import tempfile

import dongne

HERE = os.path.dirname(os.path.abspath(__file__))
jsonl = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "..", "data", "jeju-busan.jsonl")
lat, lon = 33.4996, 126.5312  # 제주시청

with tempfile.TemporaryDirectory() as directory, dongne.Engine(directory) as eng:
    summary = eng.import_jsonl(jsonl)
    print(f"imported {summary['questions_added']} questions, {summary['answers_added']} answers")

    print("\nnearest to 제주시청:")
    for hit in eng.nearby(lat=lat, lon=lon, limit=5):
        print(f"  {hit.distance_m:7.0f} m  {hit.title}  ({hit.question.status})")

    print("\nwaiting for an answer within 30 km:")
    for hit in eng.needs_answer(lat=lat, lon=lon, radius_m=30_000, limit=3):
        print(f"  {hit.waiting_s // 3600:5d} h  {hit.title}")

    print("\nsearch '제주도에서 흑돼지 맛집':")
    for hit in eng.search("제주도에서 흑돼지 맛집", lat=lat, lon=lon, limit=3):
        print(f"  {hit.score:6.2f}  {hit.title}\n          {hit.snippet}")
