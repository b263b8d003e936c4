"""Retrieval quality: recall@1 and recall@3 of knowledge search on two labelled knowledge bases.

    .venv/bin/python benchmarks/retrieval_quality.py              # both bases, hybrid and keyword-only
    .venv/bin/python benchmarks/retrieval_quality.py --misses     # also the demo shop's misses, one a line

Bases (tests/quality/retrieval/): the demo shop (engine/demo/knowledge_data.py, 40 entries, 95 questions,
tuned on) and a dental clinic written for this set (35 entries, 53 questions, NOT tuned on: its misses are
never printed here, only its figures). Each base is seeded into a throwaway SQLite database and LanceDB folder
with the local embedding model (all-MiniLM-L6-v2, CPU); every question goes through `service.search`
(limit 3) in "auto" mode (hybrid: meaning + words) and in "lexical" mode (words only, BM25 with fuzzy terms),
once with the re-ranking of engine/knowledge/ranking.py switched off ("before": fusion order, priority as a
tie-break) and once with it on ("after"). Targets (issue 15): hybrid recall@1 >= 0.85 and recall@3 >= 0.95
on both bases, keyword-only recall@3 >= 0.80.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

TARGETS = {"hybrid": (0.85, 0.95), "lexical": (0.0, 0.80)}


def _environment(workdir: Path) -> None:
    os.environ["LANCEDB_URI"] = str(workdir / "lancedb")
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'retrieval.db'}"
    os.environ["KNOWLEDGE_EMBEDDER"] = "local"
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("LANCEDB_LOG", "error")
    if not os.environ.get("PARLEY_SECRET_KEYS"):
        from cryptography.fernet import Fernet

        os.environ["PARLEY_SECRET_KEYS"] = Fernet.generate_key().decode()


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--misses", action="store_true", help="print the demo shop's misses (after)")
    args = parser.parse_args()
    _environment(Path(tempfile.mkdtemp(prefix="parley-retrieval-")))

    import engine.models  # noqa: F401 - registers every table
    from engine.db import create_all, session_scope
    from engine.knowledge import index as kindex
    from engine.knowledge import ranking
    from tests.quality.retrieval.harness import BASES, measure, seed_base

    kindex.BACKGROUND_REBUILDS = False
    kindex.reset_embedders()
    create_all()
    started = time.perf_counter()
    tenants: dict[str, int] = {}
    with session_scope() as session:
        for key in BASES:
            tenants[key] = seed_base(session, key)
    print(f"seeded {len(BASES)} bases in {time.perf_counter() - started:.0f} s (local embeddings, CPU)")
    print(
        f"{'base':<30} {'search':<8} {'ranking':<8} {'questions':>9} {'recall@1':>9} {'recall@3':>9}  target"
    )
    failed = False
    demo_misses: list[str] = []
    for key, base in BASES.items():
        for mode, label in (("auto", "hybrid"), ("lexical", "lexical")):
            for enabled, when in ((False, "before"), (True, "after")):
                ranking.ENABLED = enabled
                with session_scope() as session:
                    figures = measure(session, tenants[key], base, mode)
                assert figures.mode == ("hybrid" if mode == "auto" else "lexical"), figures.mode
                bar1, bar3 = TARGETS[label]
                met = figures.recall1 >= bar1 and figures.recall3 >= bar3
                target = f"r@1 >= {bar1:.2f}, r@3 >= {bar3:.2f}" if bar1 else f"r@3 >= {bar3:.2f}"
                verdict = ("met" if met else "NOT met") if enabled else ""
                failed |= enabled and not met
                print(
                    f"{base.name:<30} {label:<8} {when:<8} {figures.questions:>9} {figures.recall1:>9.3f} "
                    f"{figures.recall3:>9.3f}  {target} {verdict}"
                )
                if key == "demo" and enabled and mode == "auto":
                    demo_misses = figures.misses
    ranking.ENABLED = True
    if args.misses:
        print("\ndemo shop, hybrid, after — questions whose entry was not first:")
        for miss in demo_misses:
            print("  ", miss)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
