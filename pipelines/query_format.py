"""How `newsevents query` prints a result: an aligned text table, CSV or JSON."""
from __future__ import annotations

import csv
import json
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Iterable, Sequence, TextIO

from pipelines.duckdb_views import QueryError

FORMATS = ("table", "csv", "json")


def _plain(value: Any) -> Any:
    """A JSON-ready value: nested structs/lists kept, timestamps as ISO 8601 text."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    return value


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (dict, list, tuple)):
        return json.dumps(_plain(value), ensure_ascii=False)
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


def _clip(text: str, width: int) -> str:
    text = " ".join(text.split())  # one line per row
    if width and len(text) > width:
        return text[: width - 1] + "…"
    return text


def format_table(columns: Sequence[str], rows: Sequence[tuple], max_width: int = 60,
                 max_rows: int = 100) -> str:
    """An aligned text table; cells are clipped to ``max_width`` (0: no clipping)."""
    if not columns:
        return "(no result)"
    shown = rows if not max_rows else rows[:max_rows]
    cells = [[_clip(_cell(v), max_width) for v in row] for row in shown]
    widths = [len(c) for c in columns]
    for row in cells:
        widths = [max(w, len(c)) for w, c in zip(widths, row)]
    numeric = [all(isinstance(r[i], (int, float, Decimal)) or r[i] is None for r in shown) and bool(shown)
               for i in range(len(columns))]

    def line(values):
        return "  ".join(v.rjust(w) if num else v.ljust(w)
                         for v, w, num in zip(values, widths, numeric)).rstrip()

    out = [line(columns), "  ".join("-" * w for w in widths)]
    out += [line(row) for row in cells]
    footer = f"({len(rows)} row{'s' if len(rows) != 1 else ''})"
    if len(shown) < len(rows):
        footer = f"({len(rows)} rows, first {len(shown)} shown; --max-rows 0 or --format csv for all)"
    out.append(footer)
    return "\n".join(out)


def write_csv(columns: Sequence[str], rows: Iterable[tuple], stream: TextIO) -> None:
    """CSV with a header; nested values as JSON text."""
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(v) if not isinstance(v, float) else repr(v) for v in row])


def to_json(columns: Sequence[str], rows: Iterable[tuple]) -> str:
    """A JSON array of objects, one per row (nested values stay nested)."""
    return json.dumps([{c: _plain(v) for c, v in zip(columns, row)} for row in rows],
                      ensure_ascii=False, indent=1)


def emit(columns, rows, fmt: str, stream: TextIO, max_width: int = 60, max_rows: int = 100) -> None:
    if fmt == "table":
        stream.write(format_table(columns, rows, max_width, max_rows) + "\n")
    elif fmt == "csv":
        write_csv(columns, rows, stream)
    elif fmt == "json":
        stream.write(to_json(columns, rows) + "\n")
    else:
        raise QueryError(f"--format takes {', '.join(FORMATS)}; got {fmt!r}")
