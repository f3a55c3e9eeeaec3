"""Inline SVG charts for the HTML report: plain functions from numbers to markup.

No scripts, no fonts or images from anywhere: every chart is a self-contained ``<svg>``
string.  Every label is escaped here, so callers may pass untrusted text.
"""
from __future__ import annotations

from html import escape
from typing import Sequence

PALETTE = ("#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1",
           "#ff9da7", "#9c755f", "#bab0ac")
FONT = "font-family=\"system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif\""


def esc(value) -> str:
    return escape(str(value), quote=True)


def colors_for(series: Sequence[str], fixed: dict[str, str] | None = None) -> dict[str, str]:
    """A stable colour per series name (``fixed`` first, then the palette in order)."""
    fixed = fixed or {}
    result, i = {}, 0
    for name in series:
        if name in fixed:
            result[name] = fixed[name]
        else:
            result[name] = PALETTE[i % len(PALETTE)]
            i += 1
    return result


def legend(colors: dict[str, str]) -> str:
    """An HTML legend: a swatch and the escaped name per series."""
    items = "".join(
        f'<span class="legend-item"><span class="swatch" style="background:{esc(c)}"></span>{esc(n)}</span>'
        for n, c in colors.items()
    )
    return f'<div class="legend">{items}</div>'


def _clip(text: str, n: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= n else text[: n - 1] + "…"


def _svg(width: int, height: int, label: str, body: str) -> str:
    return (f'<svg viewBox="0 0 {width} {height}" width="{width}" '
            f'height="{height}" role="img" aria-label="{esc(label)}" {FONT} font-size="12" '
            f'style="max-width:100%;height:auto">{body}</svg>')


def empty(message: str = "No data.") -> str:
    return f'<p class="empty">{esc(message)}</p>'


def hbar_chart(rows: Sequence[tuple[str, float]], label: str, width: int = 640,
               label_width: int = 230, bar_height: int = 18, color: str = PALETTE[0]) -> str:
    """Horizontal bars, one per (label, value), in the given order, value printed at the end."""
    return stacked_hbar_chart([r[0] for r in rows], ["value"],
                              {(r[0], "value"): r[1] for r in rows}, {"value": color},
                              label, width, label_width, bar_height)


def stacked_hbar_chart(categories: Sequence[str], series: Sequence[str],
                       values: dict[tuple[str, str], float], colors: dict[str, str], label: str,
                       width: int = 640, label_width: int = 230, bar_height: int = 18) -> str:
    """Horizontal stacked bars: one row per category, one segment per series."""
    if not categories:
        return empty()
    gap, top, right = 6, 4, 48
    totals = [sum(values.get((c, s), 0) for s in series) for c in categories]
    biggest = max(totals) or 1
    plot = width - label_width - right
    height = top + len(categories) * (bar_height + gap)
    parts = []
    for i, (cat, total) in enumerate(zip(categories, totals)):
        y = top + i * (bar_height + gap)
        parts.append(f'<text x="{label_width - 6}" y="{y + bar_height * 0.72:.1f}" text-anchor="end" '
                     f'fill="#333"><title>{esc(cat)}</title>{esc(_clip(cat, 34))}</text>')
        x = float(label_width)
        for s in series:
            v = values.get((cat, s), 0)
            if not v:
                continue
            w = plot * v / biggest
            tip = f"{cat}: {v:g}" if len(series) == 1 else f"{cat} / {s}: {v:g}"
            parts.append(f'<rect x="{x:.1f}" y="{y}" width="{max(w, 1):.1f}" height="{bar_height}" '
                         f'fill="{esc(colors[s])}"><title>{esc(tip)}</title></rect>')
            x += w
        parts.append(f'<text x="{x + 4:.1f}" y="{y + bar_height * 0.72:.1f}" fill="#333">{total:g}</text>')
    return _svg(width, height, label, "".join(parts))


def _nice_max(value: float) -> tuple[float, float]:
    """A round axis maximum >= value and its tick step."""
    if value <= 0:
        return 1, 1
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 2500, 5000, 10000,
                 20000, 50000, 100000, 200000, 500000, 1000000):
        if value / step <= 5:
            top = step * -(-value // step)
            return top, step
    return value, value


def stacked_column_chart(buckets: Sequence[str], series: Sequence[str],
                         values: dict[tuple[str, str], float], colors: dict[str, str], label: str,
                         width: int = 1100, height: int = 260, max_ticks: int = 12) -> str:
    """Vertical stacked columns over ordered buckets (e.g. days), a y axis and thinned x labels."""
    if not buckets:
        return empty()
    left, right, top, bottom = 44, 36, 10, 30
    plot_w, plot_h = width - left - right, height - top - bottom
    totals = [sum(values.get((b, s), 0) for s in series) for b in buckets]
    ymax, step = _nice_max(max(totals))
    slot = plot_w / len(buckets)
    bar_w = max(slot * 0.8, 1)
    parts = []
    tick = 0.0
    while tick <= ymax + 1e-9:
        y = top + plot_h - plot_h * tick / ymax
        parts.append(f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" stroke="#e5e5e5"/>'
                     f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" fill="#555">{tick:g}</text>')
        tick += step
    every = max(1, -(-len(buckets) // max_ticks))
    for i, (bucket, total) in enumerate(zip(buckets, totals)):
        x = left + i * slot + (slot - bar_w) / 2
        y = top + plot_h
        for s in series:
            v = values.get((bucket, s), 0)
            if not v:
                continue
            h = plot_h * v / ymax
            y -= h
            parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{h:.1f}" '
                         f'fill="{esc(colors[s])}"><title>{esc(f"{bucket} / {s}: {v:g}")}</title></rect>')
        if i % every == 0:
            cx = left + i * slot + slot / 2
            parts.append(f'<line x1="{cx:.1f}" x2="{cx:.1f}" y1="{top + plot_h}" y2="{top + plot_h + 4}" '
                         f'stroke="#999"/>'
                         f'<text x="{cx:.1f}" y="{top + plot_h + 16}" text-anchor="middle" fill="#555">'
                         f'{esc(_clip(bucket, 12))}</text>')
    parts.append(f'<line x1="{left}" x2="{width - right}" y1="{top + plot_h}" y2="{top + plot_h}" stroke="#999"/>')
    return _svg(width, height, label, "".join(parts))
