"""The HTML page of `newsevents report`, rendered from ``report_data.gather``'s values.

The page loads nothing: styles are inline, charts are inline SVG (pipelines/report_svg.py),
there is no script, and a Content-Security-Policy forbids fetching anything.  Every piece of
text from the data is HTML-escaped (article text is untrusted input); article URLs are shown
as text, never as links.  The page says when the evidence table is capped.  The records
behind an event are named "event records".  The page fits any width from 360 px (no sideways
scrolling, chart text >= 10 px as rendered; tests/test_report_responsive.py checks it in
Chromium), and events without a date of their own are announced in a callout under the
headline numbers.
"""
from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta, timezone
from html import escape
from pathlib import Path

from pipelines import report_svg as svg
from pipelines.report_data import country_name
from schemas import EVENT_TYPES

SENTENCE_CHARS = 600
TYPE_COLORS = {"state_visit": "#4e79a7", "meeting": "#f28e2b", "agreement_signed": "#59a14f",
               "facility_opened": "#e15759"}
STATUS_COLORS = {"occurred": "#59a14f", "planned": "#4e79a7", "cancelled": "#e15759"}
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"


def esc(value) -> str:
    return "" if value is None else escape(str(value), quote=True)


def _clip(text: str | None, n: int) -> str:
    text = text or ""
    return text if len(text) <= n else text[: n - 1] + "…"


# ---- time buckets -----------------------------------------------------------------------

def time_buckets(days: dict[date, dict[str, int]]) -> tuple[str, list[str], dict[tuple[str, str], int]]:
    """(granularity, bucket labels in order with gaps filled, {(bucket, series): n}).

    Days when the span is at most ~3 months, ISO weeks (labelled by their Monday) up to
    two years, months up to 30 years, else years.
    """
    if not days:
        return "day", [], {}
    first, last = min(days), max(days)
    span = (last - first).days
    if span <= 92:
        unit, key = "day", lambda d: d.isoformat()
        step = lambda d: d + timedelta(days=1)
        start = first
    elif span <= 731:
        unit, key = "week", lambda d: (d - timedelta(days=d.weekday())).isoformat()
        step = lambda d: d + timedelta(days=7)
        start = first - timedelta(days=first.weekday())
    elif span <= 366 * 30:
        unit, key = "month", lambda d: d.strftime("%Y-%m")
        step = lambda d: (d.replace(day=28) + timedelta(days=4)).replace(day=1)
        start = first.replace(day=1)
    else:
        unit, key = "year", lambda d: f"{d.year:04d}"
        step = lambda d: d.replace(year=d.year + 1, month=1, day=1)
        start = first.replace(month=1, day=1)
    labels, current = [], start
    while current <= last:
        labels.append(key(current))
        current = step(current)
    values: dict[tuple[str, str], int] = defaultdict(int)
    for day, by_series in days.items():
        for series, n in by_series.items():
            values[(key(day), series)] += n
    return unit, labels, dict(values)


# ---- rendering ----------------------------------------------------------------------------

# Responsive from 360 px up: one column below 1186 px, tables scroll inside their box, and each
# chart shows the variant whose text renders at >= 10 px (report_svg.variants): narrow below
# 700 px, the column chart's medium one below 1024 px.
STYLE = """
*,*::before,*::after{box-sizing:border-box}
body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;margin:0;color:#222;background:#f6f7f9}
main{max-width:1288px;margin:0 auto;padding:24px}
h1{margin:0 0 4px;font-size:26px} h2{font-size:19px;margin:0 0 8px}
.meta{color:#666;font-size:13px;margin-bottom:18px;overflow-wrap:anywhere}
section{background:#fff;border:1px solid #e2e4e8;border-radius:8px;padding:16px 18px;margin:0 0 18px;min-width:0}
.tiles{display:flex;flex-wrap:wrap;gap:12px;margin-bottom:18px}
.tile{background:#fff;border:1px solid #e2e4e8;border-radius:8px;padding:10px 16px;min-width:140px;flex:0 1 auto}
.tile b{display:block;font-size:24px} .tile span{color:#666;font-size:13px}
.callout{background:#fff4d6;border:1px solid #f0c24b;border-left:6px solid #e0a100;border-radius:8px;
  padding:12px 16px;margin:0 0 18px;font-size:15px;line-height:1.45}
.callout b{font-size:17px}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,560px),1fr));gap:18px}
.grid section{margin:0}
.note{color:#666;font-size:13px;margin:6px 0 0}
.legend{display:flex;flex-wrap:wrap;gap:6px 14px;font-size:13px;margin:4px 0 8px}
.swatch{display:inline-block;width:12px;height:12px;border-radius:2px;margin-right:5px;vertical-align:-1px}
.empty{color:#888;font-style:italic}
.chart svg{display:block}
.chart .v-medium,.chart .v-narrow{display:none}
.scroll{overflow-x:auto;max-width:100%}
table{border-collapse:collapse;width:100%;font-size:13px}
th,td{border-bottom:1px solid #eceef1;padding:6px 8px;text-align:left;vertical-align:top}
th{background:#f0f2f5;position:sticky;top:0}
td.ev,td.best{max-width:460px;min-width:220px} td.when{white-space:nowrap} mark{background:#ffe58a;padding:0 1px}
.mono{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:11px;color:#666;overflow-wrap:anywhere}
.tag{display:inline-block;border-radius:10px;padding:1px 8px;font-size:12px;color:#fff;white-space:nowrap}
.small{font-size:12px;color:#666}
@media (max-width:1023.98px){.chart.three .v-wide{display:none}.chart.three .v-medium{display:block}}
@media (max-width:699.98px){
  main{padding:12px} section{padding:12px} h1{font-size:22px} h2{font-size:17px}
  .tile{min-width:0;flex:1 1 130px;padding:8px 12px} .tile b{font-size:20px}
  .chart .v-wide,.chart.three .v-medium{display:none} .chart .v-narrow{display:block}
}
"""


def _tile(value, label: str) -> str:
    return f'<div class="tile"><b>{value:,}</b><span>{esc(label)}</span></div>'


def _section(title: str, body: str, note: str = "", anchor: str = "") -> str:
    ident = f' id="{esc(anchor)}"' if anchor else ""
    note_html = f'<p class="note">{note}</p>' if note else ""
    return f"<section{ident}><h2>{esc(title)}</h2>{body}{note_html}</section>"


def _table(rows: str) -> str:
    """A table that scrolls sideways inside its box on a narrow screen, not the page."""
    return f'<div class="scroll"><table>{rows}</table></div>'


def _not_charted(data: dict) -> int:
    """Events with neither a day-precise date nor a publication day: the chart cannot place them."""
    return sum(n for day, _, n in data["per_day"] if day is None)


def _no_date_callout(data: dict) -> str:
    """The notice near the top: how many events carry no date of their own."""
    missing, total = data["events_without_date"], data["events"]
    if not missing:
        return ""
    text = (f"<b>{missing:,} of {total:,} events ({100 * missing / total:.0f} %) have no date of their own.</b> "
            "Their <code>event_date</code> is empty: the chart below places them on the day their article "
            "was published, and a filter on the event's date leaves them out.")
    not_charted = _not_charted(data)
    if not_charted:
        text += f" {not_charted:,} have no publication day either and are not in the chart."
    return f'<div class="callout" role="note" id="no-date">{text}</div>'


def _per_day_section(data: dict) -> str:
    days: dict[date, dict[str, int]] = defaultdict(dict)
    for day, event_type, n in data["per_day"]:
        if day is not None:
            days[day][event_type] = days[day].get(event_type, 0) + n
    unit, labels, values = time_buckets(days)
    series = [t for t in EVENT_TYPES if any(k[1] == t for k in values)]
    series += sorted({k[1] for k in values} - set(series))
    colors = svg.colors_for(series, TYPE_COLORS)
    chart = svg.responsive_column_chart(labels, series, values, colors, f"Events per {unit} by type")
    note = (f"One bar per {esc(unit)}{' (labelled by its Monday)' if unit == 'week' else ''}; "
            f"distinct event_ids. An event is placed on its own date when it is known to the day "
            f"({data['day_precise']:,} event records), otherwise on the day its article was published.")
    undated = _not_charted(data)
    if undated:
        note += (f" {undated:,} events have neither (no day-precise date and an article without "
                 "a publication time) and are not shown.")
    return _section(f"Events per {unit} by type", svg.legend(colors) + chart, note, "per-day")


def _country_section(data: dict) -> str:
    rows = data["by_country"]
    top = rows[:25]
    bars = [(f"{country_name(c)} ({c})" if c else "(no location country)", n) for c, n in top]
    note = "Country of the event's location (the place most of its reports name); one count per event."
    if len(rows) > len(top):
        note += f" Top {len(top)} of {len(rows)} countries shown."
    return _section("Events by country", svg.responsive_hbar_chart(bars, "Events by country"), esc(note), "countries")


def _participants_section(data: dict) -> str:
    bars = [(f"{name} ({c})" if c else name, n) for name, c, n in data["participants"]]
    pairs = [(f"{a} + {b}", n) for a, b, n in data["pairs"]]
    left = _section("Top participants", svg.responsive_hbar_chart(bars, "Top participants", color="#76b7b2"),
                    "Distinct events each participant is named in (top 20); a country named as a "
                    "participant counts once under one name, however it is written.", "participants")
    right = _section("Top participant pairs",
                     svg.responsive_hbar_chart(pairs, "Top participant pairs", label_width=280, color="#b07aa1"),
                     "Pairs named in the same event report; distinct events (top 15).", "pairs")
    return f'<div class="grid">{left}{right}</div>'


def _status_section(data: dict) -> str:
    values = {(t, s): n for t, s, n in data["status"]}
    types = [t for t in EVENT_TYPES if any(k[0] == t for k in values)]
    types += sorted({k[0] for k in values} - set(types))
    statuses = [s for s in STATUS_COLORS if any(k[1] == s for k in values)]
    statuses += sorted({k[1] for k in values} - set(statuses))
    colors = svg.colors_for(statuses, STATUS_COLORS)
    chart = svg.responsive_stacked_hbar_chart(types, statuses, values, colors, "Event status by type",
                                              label_width=150)
    articles = ", ".join(f"{esc(s)}: {n:,}" for s, n in data["article_status"]) or "none"
    events = _section("Event status by type", svg.legend(colors) + chart,
                      "Distinct events per type and status; an event reported as occurred by any article "
                      f"counts as occurred, else cancelled, else planned. Articles by status: {articles}.", "status")
    reasons = data["dead_reasons"]
    if reasons:
        bars = [(f"{stage}: {reason}", n) for stage, reason, n, _, _ in reasons]
        chart = svg.responsive_hbar_chart(bars, "Dead-letter reasons", label_width=280, color="#e15759")
        rows = "".join(
            f"<tr><td>{esc(stage)}</td><td>{esc(_clip(error, 160))}</td><td>{n:,}</td>"
            f'<td class="mono">{esc(_clip(example, 120))}</td></tr>'
            for stage, _, n, example, error in reasons)
        table = _table("<tr><th>stage</th><th>error (one example)</th><th>count</th><th>first input</th></tr>"
                       f"{rows}")
        body = chart + table
    else:
        body = svg.empty("No dead letters: every input record became an article.")
    dead = _section(f"Dead letters ({data['dead_letters']:,})", body,
                    "Input records that could not become articles, by stage and error kind.", "dead-letters")
    return f'<div class="grid">{events}{dead}</div>'


def _evidence(sentence: dict | None, trigger: dict | None) -> str:
    """The evidence sentence, escaped, with the trigger marked when it lies inside it."""
    if not sentence:
        return ""
    text = sentence.get("text") or ""
    if trigger and sentence.get("start") is not None and trigger.get("start") is not None:
        start = trigger["start"] - sentence["start"]
        end = trigger["end"] - sentence["start"]
        if 0 <= start < end <= len(text) and end <= SENTENCE_CHARS:
            return (esc(_clip(text[:start], SENTENCE_CHARS)) + "<mark>" + esc(text[start:end]) + "</mark>"
                    + esc(_clip(text[end:], max(SENTENCE_CHARS - end, 1))))
    return esc(_clip(text, SENTENCE_CHARS))


def _participants_cell(participants) -> str:
    items = []
    for p in participants or []:
        detail = ", ".join(x for x in (p.get("role"), p.get("title"), p.get("country")) if x)
        items.append(f"{esc(p.get('name'))} <span class=\"small\">({esc(detail)})</span>")
    return "<br>".join(items)


def _top_events_section(data: dict) -> str:
    columns, rows = data["top_events"]
    if not rows:
        return _section("Most reported events", svg.empty("No events in this output."), anchor="top-events")
    out = []
    for row in rows:
        r = dict(zip(columns, row))
        color = TYPE_COLORS.get(r["event_type"], "#888")
        when = " – ".join(esc(d) for d in dict.fromkeys((r["first_date"], r["last_date"])) if d)
        place = esc(r["place"]) + (f' <span class="small">({esc(r["place_country"])})</span>'
                                   if r["place_country"] else "")
        out.append(
            f'<tr><td><span class="tag" style="background:{color}">{esc(r["event_type"])}</span><br>'
            f'<span class="small">{esc(r["status"])}</span></td>'
            f'<td>{"<br>".join(esc(name) for name in r["participants"])}</td><td>{place}</td>'
            f'<td class="when">{when}</td><td>{r["sources"]:,}</td><td>{r["articles"]:,}</td>'
            f'<td class="best">{esc(_clip(r["best_evidence"], SENTENCE_CHARS))}<br>'
            f'<span class="mono">{esc(r["event_id"])}</span></td></tr>')
    head = ("<tr><th>event</th><th>participants</th><th>place</th><th>date</th><th>sources</th>"
            "<th>articles</th><th>best evidence</th></tr>")
    note = (f"The {len(rows)} distinct events with the most independent sources (a syndicated copy counts "
            "as its original's source), then articles: the view <code>real_events</code>, also "
            "<code>newsevents query DIR --example top_real_events</code>.")
    return _section("Most reported events", _table(head + "".join(out)), note, "top-events")


def _table_section(data: dict) -> str:
    rows = []
    for (day, event_date, precision, date_text, event_type, status, confidence, participants, location,
         sentence, trigger, obj, article, event_id) in data["table"]:
        color = TYPE_COLORS.get(event_type, "#888")
        when = esc(event_date) + f' <span class="small">({esc(precision)})</span>' if event_date else \
            f'<span class="small">published {esc(day)}</span>' if day else ""
        if date_text:
            when += f'<br><span class="small">“{esc(_clip(date_text, 60))}”</span>'
        place = ""
        if location:
            place = esc(location.get("name"))
            if location.get("country"):
                place += f' <span class="small">({esc(location["country"])})</span>'
            if location.get("inferred"):
                place += ' <span class="small">inferred</span>'
        article = article or {}
        published = article.get("published_at")
        published = published.date().isoformat() if isinstance(published, datetime) else esc(published)
        source = " · ".join(esc(x) for x in (article.get("source"), published) if x)
        url = f'<br><span class="mono">{esc(_clip(article["url"], 120))}</span>' if article.get("url") else ""
        what = f'<br><span class="small">{esc(_clip(obj, 120))}</span>' if obj else ""
        rows.append(
            f'<tr><td class="when">{when}</td>'
            f'<td><span class="tag" style="background:{color}">{esc(event_type)}</span><br>'
            f'<span class="small">{esc(status)} · {confidence:.2f}</span>{what}</td>'
            f"<td>{_participants_cell(participants)}</td><td>{place}</td>"
            f'<td class="ev">{_evidence(sentence, trigger)}</td>'
            f"<td>{esc(_clip(article.get('title'), 140))}<br><span class=\"small\">{source}</span>{url}"
            f'<br><span class="mono">{esc(article.get("article_id"))}<br>{esc(event_id)}</span></td></tr>')
    shown, total = len(rows), data["records"]
    if not rows:
        return _section("Events and their evidence", svg.empty("No events in this output."), anchor="evidence")
    head = ("<tr><th>date</th><th>event</th><th>participants</th><th>location</th>"
            "<th>evidence sentence (trigger marked)</th><th>article</th></tr>")
    note = f"All {total:,} event records (one per article and event), ordered by day and type."
    if shown < total:
        note = (f"Showing the first {shown:,} of {total:,} event records (ordered by day and type); the "
                f"table is capped at {data['max_events']:,} rows to keep this file small. Use "
                f"<code>newsevents query</code> for all of them.")
    return _section("Events and their evidence", _table(head + "".join(rows)), note, "evidence")


def render(data: dict, directory: str, generated_at: datetime | None = None) -> str:
    """The whole HTML page from ``gather``'s values."""
    generated_at = generated_at or datetime.now(timezone.utc).replace(microsecond=0)
    versions = "; ".join(esc(v) for v in data["versions"]) or "–"
    tiles = "".join([
        _tile(data["articles"], "articles"),
        _tile(data["articles_with_events"], "articles with events"),
        _tile(data["articles_skipped"], "articles skipped"),
        _tile(data["records"], "event records"),
        _tile(data["events"], "distinct events"),
        _tile(data["dead_letters"], "dead letters"),
    ])
    body = "".join([
        _per_day_section(data),
        _country_section(data),
        _participants_section(data),
        _status_section(data),
        _top_events_section(data),
        _table_section(data),
    ])
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{CSP}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>newsevents report – {esc(Path(directory).name or directory)}</title>
<style>{STYLE}</style></head>
<body><main>
<h1>newsevents report</h1>
<div class="meta">output <code>{esc(directory)}</code> · generated {esc(generated_at.isoformat())}
 · extractor / model: {versions}</div>
<div class="tiles">{tiles}</div>
{_no_date_callout(data)}
{body}
</main></body></html>
"""
