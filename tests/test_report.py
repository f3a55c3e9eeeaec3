"""`newsevents report`: a self-contained HTML page with charts and the evidence table.

Core tests on a small output built with pyarrow (tests/test_query.py); `shared` tests on the
dev-set output; the Chromium screenshot tests skip when no chromium is installed.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest

from pipelines import report, report_data, report_html, report_svg
from pipelines.cli import main as cli_main
from tests.test_query import HOSTILE, SAMPLE_ARTICLES, SAMPLE_EVENTS, VISIT_ARTICLES, VISIT_REPORTS, write_output

ROOT = Path(__file__).resolve().parents[1]
SCREENSHOT = ROOT / "scripts" / "screenshot_report.sh"
CHROMIUM = next((shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome") if shutil.which(n)), None)
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None,
    reason="no chromium on PATH (Debian: apt-get install -y chromium); the screenshot check needs a browser",
)

# an attribute that makes a browser fetch something: src=, href=, xlink:href=, srcset=, action=, ...
FETCHING_ATTR = re.compile(r"""\b(?:src|href|srcset|action|poster|data|background)\s*=\s*["']?\s*(?:https?:)?//""",
                           re.IGNORECASE)


@pytest.fixture()
def small_report(tmp_path) -> str:
    out = write_output(tmp_path / "out")
    return report.build_report(out, tmp_path / "report.html").read_text(encoding="utf-8")


def assert_self_contained(html: str) -> None:
    assert not FETCHING_ATTR.search(html), FETCHING_ATTR.search(html).group(0)
    lowered = html.lower()
    for needle in ("<script", "<link", "<iframe", "<object", "<embed", "@import", "url("):
        assert needle not in lowered, needle
    assert "Content-Security-Policy" in html and "default-src 'none'" in html


# ---- core -------------------------------------------------------------------------------

def test_report_has_every_chart_and_the_evidence_table(small_report):
    for title in ("Events per day by type", "Events by country", "Top participants", "Top participant pairs",
                  "Event status by type", "Dead letters (3)", "Events and their evidence"):
        assert title in small_report, title
    assert small_report.count("<svg") >= 6  # per day, country, participants, pairs, status, dead letters
    assert small_report.count("<tr><td") >= 4 + 2  # four evidence rows and the dead-letter rows
    assert "Iran (IRN)" in small_report
    assert "Emomali Rahmon (TJK)" in small_report
    assert "parse: JSONDecodeError" in small_report


def test_report_loads_nothing_from_the_network(small_report):
    assert_self_contained(small_report)
    # article URLs are shown as text, never as links
    assert "https://news.example/a1" in small_report
    assert "<a " not in small_report


def test_text_from_the_data_is_escaped(small_report):
    assert HOSTILE not in small_report
    assert "<script>alert" not in small_report
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in small_report
    assert '<img src="https://evil' not in small_report


def _tiles(html: str) -> dict[str, str]:
    return {label: value for value, label in re.findall(r'<div class="tile"><b>([^<]*)</b><span>([^<]*)</span>', html)}


def test_headline_shows_event_records_and_distinct_events_from_real_events(tmp_path):
    out = write_output(tmp_path / "out", events=SAMPLE_EVENTS + VISIT_REPORTS,
                       articles=SAMPLE_ARTICLES + VISIT_ARTICLES)
    html = report.build_report(out, tmp_path / "r.html").read_text()
    tiles = _tiles(html)
    assert tiles["event records"] == "9" and tiles["distinct events"] == "4"
    # the invented visit (five reports, three independent sources) heads the most reported events
    section = html[html.index('id="top-events"'):html.index('id="evidence"')]
    first_row = section[section.index("<tr><td"):section.index("</tr>", section.index("<tr><td"))]
    assert "state_visit" in first_row and "<td>3</td><td>5</td>" in first_row
    assert "2022-05-30 – 2022-05-31" in first_row and "occurred" in first_row
    assert section.count("<tr><td") == 4
    # status chart: one count per event, with its resolved status (the visit is occurred only)
    assert "state_visit / occurred: 2" in html and "state_visit / planned" not in html


def test_evidence_sentence_marks_the_trigger(small_report):
    assert "Rahmon <mark>visited</mark> Tehran on Monday." in small_report
    assert "Rahmon <mark>met</mark> Khamenei." in small_report


def test_evidence_table_is_capped_and_says_so(tmp_path):
    out = write_output(tmp_path / "out")
    html = report.build_report(out, tmp_path / "r.html", max_events=2).read_text()
    assert "Showing the first 2 of 4 event records" in html
    assert html.count('<td class="ev">') == 2


def test_report_of_an_empty_output(tmp_path):
    out = write_output(tmp_path / "out", events=[], articles=[], dead_letters=[])
    html = report.build_report(out, tmp_path / "r.html").read_text()
    assert "No events in this output." in html
    assert "No dead letters" in html
    assert_self_contained(html)


def test_report_of_a_folder_holding_only_an_unfinished_run_is_one_line_exit_1(tmp_path, capsys):
    from pipelines import outputs

    out = tmp_path / "out"
    (out / f"{outputs.STAGING_PREFIX}run1" / "avro").mkdir(parents=True)
    assert report.main([str(out), "--out", str(tmp_path / "r.html")]) == 1
    lines = [line for line in capsys.readouterr().err.splitlines() if line.strip()]
    assert len(lines) == 1 and "incomplete run" in lines[0]
    assert not (tmp_path / "r.html").exists()


def test_time_buckets_choose_the_granularity_and_fill_gaps():
    unit, labels, values = report_html.time_buckets({date(2022, 5, 30): {"meeting": 2}, date(2022, 6, 2): {"meeting": 1}})
    assert unit == "day"
    assert labels == ["2022-05-30", "2022-05-31", "2022-06-01", "2022-06-02"]
    assert values == {("2022-05-30", "meeting"): 2, ("2022-06-02", "meeting"): 1}
    unit, labels, values = report_html.time_buckets({date(1987, 3, 4): {"a": 1}, date(1987, 3, 6): {"a": 1},
                                                date(1987, 10, 19): {"b": 1}})
    assert unit == "week" and labels[0] == "1987-03-02" and labels[-1] == "1987-10-19"
    assert values[("1987-03-02", "a")] == 2
    unit, labels, _ = report_html.time_buckets({date(2000, 1, 5): {"a": 1}, date(2004, 3, 1): {"a": 1}})
    assert unit == "month" and labels[0] == "2000-01" and labels[-1] == "2004-03" and len(labels) == 51
    unit, labels, _ = report_html.time_buckets({date(1900, 1, 1): {"a": 1}, date(2020, 1, 1): {"a": 1}})
    assert unit == "year" and len(labels) == 121
    assert report_html.time_buckets({}) == ("day", [], {})


def test_country_names_are_the_ones_extraction_and_resolution_give():
    from transforms.resolution.countries import country_name

    expected = {"DEU": "Germany", "USA": "United States", "RUS": "Russia", "IRN": "Iran", "TUR": "Turkey",
                "GBR": "United Kingdom", "SUN": "Soviet Union", "BES": "Bonaire, Saint Eustatius and Saba"}
    assert {code: report_data.country_name(code) for code in expected} == expected
    assert all(report_data.country_name(code) == country_name(code) for code in expected)
    assert report_data.country_name("XYZ") == "XYZ"


def test_svg_charts_escape_labels_and_handle_no_data():
    chart = report_svg.hbar_chart([("<b>&</b>", 3), ("plain", 1)], "a <label>")
    assert "<b>" not in chart and "&lt;b&gt;&amp;&lt;/b&gt;" in chart
    assert 'aria-label="a &lt;label&gt;"' in chart
    assert chart.count("<rect") == 2
    assert "No data" in report_svg.hbar_chart([], "x")
    columns = report_svg.stacked_column_chart(["d1", "d2"], ["a", "b"], {("d1", "a"): 1, ("d1", "b"): 2},
                                              {"a": "#111", "b": "#222"}, "per day")
    assert columns.count("<rect") == 2 and "d1 / b: 2" in columns


def test_newsevents_report_subcommand(tmp_path, capsys):
    out = write_output(tmp_path / "out")
    target = tmp_path / "nested" / "report.html"
    assert cli_main(["report", str(out), "--out", str(target)]) == 0
    assert target.is_file() and "wrote" in capsys.readouterr().out
    assert cli_main(["report", str(tmp_path / "missing"), "--out", str(target)]) == 2
    assert "holds no newsevents output" in capsys.readouterr().err


# ---- the dev set ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def dev_report(dev_output, tmp_path_factory) -> Path:
    return report.build_report(dev_output, tmp_path_factory.mktemp("dev_report") / "report.html")


@pytest.mark.shared
@pytest.mark.slow
def test_dev_set_report_has_charts_and_evidence(dev_report):
    html = dev_report.read_text(encoding="utf-8")
    for title in ("Events by country", "Top participants", "Top participant pairs", "Event status by type",
                  "Dead letters (0)", "Events and their evidence"):
        assert title in html, title
    assert re.search(r"Events per (day|week|month|year) by type", html)
    assert html.count("<svg") >= 5
    rows = html.count('<td class="ev">')
    assert rows > 20 and html.count("<mark>") >= 0.8 * rows  # triggers highlighted in their sentences
    assert_self_contained(html)
    assert len(html.encode()) < 2_000_000


def _screenshot(html: Path, tmp_path: Path) -> Path:
    png = tmp_path / "report.png"
    result = subprocess.run([str(SCREENSHOT), str(html), str(png), "1400x2400"], capture_output=True,
                            text=True, timeout=90, env={**os.environ, "CHROMIUM": CHROMIUM})
    assert result.returncode == 0, result.stderr
    return png


def assert_not_blank(png: Path) -> None:
    from PIL import Image  # a dependency of apache-beam

    with Image.open(png) as image:
        assert image.size == (1400, 2400)
        small = image.convert("RGB").resize((140, 240))
    raw = small.tobytes()
    pixels = [tuple(raw[i:i + 3]) for i in range(0, len(raw), 3)]
    background = max(set(pixels), key=pixels.count)
    differing = sum(1 for p in pixels if sum(abs(a - b) for a, b in zip(p, background)) > 30)
    assert len(set(pixels)) > 50, "the screenshot has almost no colours"
    assert differing / len(pixels) > 0.05, "the screenshot is almost all background"
    # the charts' colours are there (blue bars of the palette)
    assert any(abs(r - 0x4e) < 30 and abs(g - 0x79) < 30 and abs(b - 0xa7) < 30 for r, g, b in pixels)


@needs_chromium
def test_small_report_screenshot_is_not_blank(tmp_path):
    out = write_output(tmp_path / "out")
    html = report.build_report(out, tmp_path / "report.html")
    assert_not_blank(_screenshot(html, tmp_path))


@pytest.mark.shared
@pytest.mark.slow
@needs_chromium
def test_dev_set_report_screenshot_is_not_blank(dev_report, tmp_path):
    assert_not_blank(_screenshot(dev_report, tmp_path))


def test_a_large_output_gives_a_small_capped_page(tmp_path):
    from tests.test_query import SAMPLE_EVENTS, _article

    articles = [_article(f"big{i}", f"2021-{1 + i % 12:02d}-{1 + i % 28:02d}T08:00:00", text="0123456789 " + "x" * 5000)
                for i in range(1200)]
    events = [(SAMPLE_EVENTS[i % 3][0], article) for i, article in enumerate(articles)]
    out = write_output(tmp_path / "big", events=events, articles=articles)
    html = report.build_report(out, tmp_path / "r.html").read_text()
    assert html.count('<td class="ev">') == 500
    assert "Showing the first 500 of 1,200 event records" in html
    assert "Events per month by type" not in html and "Events per week by type" in html
    assert len(html.encode()) < 1_000_000


# ---- one name per country, the no-date notice ---------------------------------------------

def test_a_country_written_several_ways_is_one_participant(tmp_path):
    """"U.S" (the tokenizer's split of a sentence-final "U.S."), "US" and "United States" all
    carry the code USA: the charts count them as one participant under one name."""
    from tests.test_query import _article, _event

    articles = [_article(f"u{i}", f"2022-05-{10 + i}T08:00:00") for i in range(4)]
    hosts = ("U.S", "United States", "US", "U.S.")
    events = [(_event("state_visit", [("Emomali Rahmon", "guest", "TJK"), (host, "host", "USA")],
                      "Washington", "USA", f"2022-05-{10 + i}", "day"), article)
              for i, (host, article) in enumerate(zip(hosts, articles))]
    events.append((_event("meeting", [("U.S", "participant", "USA"), ("United States", "participant", "USA"),
                                      ("Emomali Rahmon", "participant", "TJK")], "Washington", "USA",
                          sentence="Rahmon met Khamenei.", trigger="met"), articles[0]))
    data = report.gather(write_output(tmp_path / "out", events=events, articles=articles))
    assert [p for p in data["participants"] if p[1] == "USA"] == [("United States", "USA", 5)]
    # one record naming "U.S" and "United States" is no pair of the country with itself
    assert all({a, b} != {"United States"} for a, b, _ in data["pairs"])
    assert ("Emomali Rahmon", "United States", 5) in data["pairs"]
    html = report.render(data, "out")
    assert "United States (USA)" in html and "U.S (USA)" not in html and "US (USA)" not in html


def test_participant_label_keeps_people_and_bodies():
    assert report_data.participant_label("U.S", "USA") == "United States"
    assert report_data.participant_label("the United Kingdom", "GBR") == "United Kingdom"
    assert report_data.participant_label("White House", "USA") == "White House"
    assert report_data.participant_label("Joe Biden", "USA") == "Joe Biden"
    assert report_data.participant_label("U.S", None) == "U.S"


def test_events_without_a_date_are_announced_near_the_top(small_report):
    callout = re.search(r'<div class="callout" role="note" id="no-date">(.*?)</div>', small_report)
    assert callout, "no no-date callout"
    # the meeting and the agreement carry no date of their own (of three distinct events)
    assert "<b>2 of 3 events (67 %) have no date of their own.</b>" in callout.group(1)
    assert small_report.index('id="no-date"') < small_report.index("<section")


def test_no_callout_when_every_event_has_a_date(tmp_path):
    from tests.test_query import RAHMON_VISIT

    out = write_output(tmp_path / "out", events=[(RAHMON_VISIT, SAMPLE_ARTICLES[0])])
    assert 'id="no-date"' not in report.build_report(out, tmp_path / "r.html").read_text()


def test_sentence_final_abbreviations_are_country_forms():
    """spaCy splits a sentence-final "the U.S." into "U.S" and "."; countries.yaml lists the
    period-less spelling so that mention resolves and counts among the country's names."""
    from transforms.resolution.countries import country_code, country_forms

    for form, code in (("U.S", "USA"), ("U.K", "GBR"), ("U.A.E", "ARE"), ("Netherland", "NLD")):
        assert form in country_forms(code), form
        assert country_code(form, scan=False) == code
