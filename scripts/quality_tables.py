"""Print the tables of docs/QUALITY.md from the evaluator's results (every gold set in ../shared/data).

    .venv/bin/python scripts/quality_tables.py > /tmp/tables.md

Runs the in-process path (transforms.analysis.analyse_article, the functions the pipeline's
DoFns call) over each gold set's articles and formats detection, participants, attributes,
full record, per-type detection on dev and the dev reliability table as Markdown.
"""
from __future__ import annotations

import contextlib
import io
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pipelines.evaluate import main as evaluate_main  # noqa: E402

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
NAMES = {"dev/gold.jsonl": "dev", "seed/gold.jsonl": "seed",
         "public-gold/geneva_dev_gold.jsonl": "GENEVA (agreement_signed, meeting)",
         "public-gold/m2e2_dev_gold.jsonl": "m2e2 (recall only)",
         "public-gold/rams_dev_gold.jsonl": "RAMS (recall only)",
         "public-gold/plover_gsr_dev_gold.jsonl": "PLOVER GSR (recall only)"}


def pct(value) -> str:
    return "–" if value is None else f"{100 * value:.1f}"


def main() -> None:
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        evaluate_main(["--gold", str(SHARED), "--json"])
    results = json.loads(buffer.getvalue())
    print("| gold set | docs | gold events | det. P | det. R | det. F1 | participant P / R / F1 | "
          "participant country | location name | location country | date | status | full-record P / R / F1 |")
    print("|" + "---|" * 13)
    for suffix, name in NAMES.items():
        result = next(r for key, r in results.items() if key.endswith(suffix))
        det, part, full = result["detection"]["overall"], result["participants"]["name"], result["full_record"]["overall"]
        attrs = {k: v["accuracy"] if v["total"] else None for k, v in result["attributes"].items()}
        print(f"| {name} | {result['documents']} | {result['gold_events']} | {pct(det['precision'])} | "
              f"{pct(det['recall'])} | {pct(det['f1'])} | {pct(part['precision'])} / {pct(part['recall'])} / "
              f"{pct(part['f1'])} | {pct(attrs['participant_country'])} | {pct(attrs['location_name'])} | "
              f"{pct(attrs['location_country'])} | {pct(attrs['date'])} | {pct(attrs['status'])} | "
              f"{pct(full['precision'])} / {pct(full['recall'])} / {pct(full['f1'])} |")
    dev = next(r for key, r in results.items() if key.endswith("dev/gold.jsonl"))
    print("\nDev detection per type:\n\n| type | TP | FP | FN | P | R | F1 |\n|---|---|---|---|---|---|---|")
    for event_type, row in dev["detection"].items():
        print(f"| {event_type} | {row['tp']} | {row['fp']} | {row['fn']} | {pct(row['precision'])} | "
              f"{pct(row['recall'])} | {pct(row['f1'])} |")
    print("\nDev reliability (confidence bucket vs observed precision):\n\n"
          "| confidence | predictions | scored | detection precision | full-record precision |\n|---|---|---|---|---|")
    for bucket, row in dev["reliability"]["buckets"].items():
        print(f"| {bucket} | {row['count']} | {row['scored']} | {pct(row['precision'])} | {pct(row['full_precision'])} |")


if __name__ == "__main__":
    main()
