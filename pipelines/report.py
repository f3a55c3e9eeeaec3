"""`newsevents report`: one self-contained HTML file about an extraction output.

    newsevents report out/run1 --out report.html

The values come from pipelines/report_data.py (one DuckDB pass per section over the views of
pipelines/duckdb_views.py), the page from pipelines/report_html.py and its charts from
pipelines/report_svg.py; this module writes the file and is the command line.  The evidence
table is capped (``--max-events``, default 500) so the file stays small on large outputs.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pipelines.query import answer_or_exit
from pipelines.report_data import DEFAULT_MAX_EVENTS, gather
from pipelines.report_html import render


def build_report(directory: str | Path, out: str | Path, max_events: int = DEFAULT_MAX_EVENTS) -> Path:
    """Write the report for ``directory`` to ``out``; returns the path written."""
    data = gather(directory, max_events)
    html = render(data, str(directory))
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(html, encoding="utf-8")
    return out


def parser() -> argparse.ArgumentParser:
    from pipelines.cli import HelpFormatter  # cli imports this module lazily

    p = argparse.ArgumentParser(prog="newsevents report", formatter_class=HelpFormatter,
                                description="Write one self-contained HTML report (charts and an "
                                            "evidence table) about an extraction output.")
    p.add_argument("directory", help="The --output folder of `newsevents extract`.")
    p.add_argument("--out", default="report.html", help="The HTML file to write.")
    p.add_argument("--max-events", type=int, default=DEFAULT_MAX_EVENTS,
                   help="Rows in the evidence table.")
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(sys.argv[1:] if argv is None else argv)
    if args.max_events < 0:
        print("newsevents report: --max-events must be >= 0", file=sys.stderr)
        return 2
    return answer_or_exit("report", lambda: _report(args))


def _report(args: argparse.Namespace) -> int:
    path = build_report(args.directory, args.out, args.max_events)
    print(f"newsevents report: wrote {path} ({path.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
