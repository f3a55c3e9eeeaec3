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


# Chart widths in viewBox units. A chart scales down to its box but never up (its width
# attribute caps it), and its 12-unit text must render at >= 10 px: a chart of width W needs a
# box of W * 10/12 px. The report shows one variant per viewport (CSS in pipelines/report_html.py):
# NARROW fits a 360 px phone, MEDIUM a tablet, the defaults a desktop.
NARROW, MEDIUM = 320, 600
NARROW_BAR = 14


def variants(wide: str, narrow: str, medium: str | None = None) -> str:
    """The variants of one chart; the report's CSS shows the one that fits the viewport."""
    parts = [f'<div class="v-wide">{wide}</div>']
    if medium is not None:
        parts.append(f'<div class="v-medium">{medium}</div>')
    parts.append(f'<div class="v-narrow">{narrow}</div>')
    return f'<div class="chart{" three" if medium is not None else ""}">{"".join(parts)}</div>'


def hbar_chart(rows: Sequence[tuple[str, float]], label: str, width: int = MEDIUM,
               label_width: int = 210, bar_height: int = 18, color: str = PALETTE[0]) -> str:
    """Horizontal bars, one per (label, value), in the given order, value printed at the end."""
    return stacked_hbar_chart([r[0] for r in rows], ["value"],
                              {(r[0], "value"): r[1] for r in rows}, {"value": color},
                              label, width, label_width, bar_height)


def responsive_hbar_chart(rows: Sequence[tuple[str, float]], label: str, label_width: int = 210,
                          color: str = PALETTE[0]) -> str:
    """``hbar_chart`` for every viewport: labels beside the bars, or above them on a phone."""
    if not rows:
        return empty()
    return variants(hbar_chart(rows, label, label_width=label_width, color=color),
                    hbar_chart(rows, label, NARROW, 0, NARROW_BAR, color))


def responsive_stacked_hbar_chart(categories: Sequence[str], series: Sequence[str],
                                  values: dict[tuple[str, str], float], colors: dict[str, str],
                                  label: str, label_width: int = 210) -> str:
    """``stacked_hbar_chart`` for every viewport, like ``responsive_hbar_chart``."""
    if not categories:
        return empty()
    return variants(stacked_hbar_chart(categories, series, values, colors, label, label_width=label_width),
                    stacked_hbar_chart(categories, series, values, colors, label, NARROW, 0, NARROW_BAR))


def stacked_hbar_chart(categories: Sequence[str], series: Sequence[str],
                       values: dict[tuple[str, str], float], colors: dict[str, str], label: str,
                       width: int = MEDIUM, label_width: int = 210, bar_height: int = 18) -> str:
    """Horizontal stacked bars: one row per category, one segment per series.

    ``label_width=0`` puts each label on a line of its own above its bar (narrow screens)."""
    if not categories:
        return empty()
    above = label_width == 0
    gap, top, right = (8, 2, 44) if above else (6, 4, 48)
    line = 15 if above else 0  # the label's own line
    totals = [sum(values.get((c, s), 0) for s in series) for c in categories]
    biggest = max(totals) or 1
    plot = width - label_width - right
    row = line + bar_height + gap
    height = top + len(categories) * row
    chars = (width - 4) // 7 if above else label_width // 7
    parts = []
    for i, (cat, total) in enumerate(zip(categories, totals)):
        y = top + i * row + line
        text_x, anchor = (0, "start") if above else (label_width - 6, "end")
        text_y = y - 4 if above else y + bar_height * 0.72
        parts.append(f'<text x="{text_x}" y="{text_y:.1f}" text-anchor="{anchor}" '
                     f'fill="#333"><title>{esc(cat)}</title>{esc(_clip(cat, chars))}</text>')
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


def responsive_column_chart(buckets: Sequence[str], series: Sequence[str],
                            values: dict[tuple[str, str], float], colors: dict[str, str], label: str) -> str:
    """``stacked_column_chart`` for every viewport: fewer axis labels on smaller ones."""
    if not buckets:
        return empty()
    return variants(stacked_column_chart(buckets, series, values, colors, label),
                    stacked_column_chart(buckets, series, values, colors, label, NARROW, 220, 3),
                    stacked_column_chart(buckets, series, values, colors, label, MEDIUM, 240, 6))
