"""The report in a real browser: from a 360 px phone to a desktop, no sideways scrolling, chart
text readable (>= 10 px as rendered), bars inside their charts.

Headless Chromium driven by selenium through the system chromedriver (Debian: apt-get install
-y chromium chromium-driver; .ci/run installs them when it can). Selenium Manager is never
asked for a driver or a browser, so nothing is downloaded. Without Chromium the tests skip.
Screenshots are saved under the test's tmp_path.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pipelines import report
from tests.test_query import SAMPLE_ARTICLES, SAMPLE_EVENTS, _article, _event, write_output

CHROMIUM = next((shutil.which(n) for n in ("chromium", "chromium-browser") if shutil.which(n)), None)
CHROMEDRIVER = shutil.which("chromedriver")
WIDTHS = (360, 400, 1400)

# Measured in the page: sideways overflow, visible SVG text smaller than 10 px as rendered
# (computed font size x the SVG's scale), and bars or charts reaching outside their box.
MEASURE = """
const out = {innerWidth: window.innerWidth, scrollWidth: document.documentElement.scrollWidth,
             small: [], outside: [], charts: 0, texts: 0};
for (const svg of document.querySelectorAll('svg')) {
  if (!svg.getClientRects().length) continue;  // a variant for another viewport (display: none)
  out.charts += 1;
  const box = svg.getBoundingClientRect();
  const scale = box.width / svg.viewBox.baseVal.width;
  if (box.left < -0.5 || box.right > window.innerWidth + 0.5) out.outside.push('svg ' + svg.getAttribute('aria-label'));
  for (const text of svg.querySelectorAll('text')) {
    out.texts += 1;
    const px = parseFloat(getComputedStyle(text).fontSize) * scale;
    if (px < 10) out.small.push([text.textContent, Math.round(px * 10) / 10]);
  }
  for (const rect of svg.querySelectorAll('rect')) {
    const r = rect.getBoundingClientRect();
    if (r.right > box.right + 0.5 || r.left < box.left - 0.5) out.outside.push('bar ' + rect.textContent);
  }
}
return out;
"""


@pytest.fixture(scope="module")
def browser():
    if CHROMIUM is None or CHROMEDRIVER is None:
        pytest.skip("no chromium/chromedriver on PATH (Debian: apt-get install -y chromium chromium-driver): "
                    "the responsive report check needs a browser")
    webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed (the [test] extra)")
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--no-first-run", "--disable-extensions", "--hide-scrollbars"):
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options, service=Service(executable_path=CHROMEDRIVER))
    try:
        yield driver
    finally:
        driver.quit()


def _crowded_output(root: Path) -> Path:
    """The sample output plus what strains a layout: long names, many countries and days,
    one country written three ways, events without a date."""
    articles = list(SAMPLE_ARTICLES)
    events = list(SAMPLE_EVENTS)
    for i in range(40):
        article = _article(f"c{i}", f"2022-{1 + i % 12:02d}-{1 + i % 27:02d}T08:00:00")
        articles.append(article)
        guest = ("Her Excellency the Minister for Foreign Affairs and International Cooperation "
                 f"of the Federated Republic number {i}")
        host = ("U.S", "United States", "US")[i % 3] if i % 2 else f"Host {i}"
        events.append((_event("state_visit" if i % 2 else "meeting",
                              [(guest, "guest", "DEU"), (host, "host", "USA")],
                              f"A very long place name of a small town in province {i}", ("USA", "DEU", "FRA")[i % 3],
                              None if i % 4 == 0 else f"2022-{1 + i % 12:02d}-{1 + i % 27:02d}",
                              "unknown" if i % 4 == 0 else "day"), article))
    return write_output(root, events=events, articles=articles)


@pytest.fixture(scope="module")
def crowded_report(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("responsive")
    return report.build_report(_crowded_output(root / "out"), root / "report.html")


def assert_fits(browser, html: Path, width: int, png: Path) -> None:
    """Open ``html`` in a ``width`` px viewport, save a full-page screenshot, check the layout."""
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                            {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": False})
    browser.get(html.as_uri())
    measured = browser.execute_script(MEASURE)
    height = browser.execute_script("return document.documentElement.scrollHeight")
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                            {"width": width, "height": min(height, 6000), "deviceScaleFactor": 1, "mobile": False})
    assert browser.save_screenshot(str(png)) and png.stat().st_size > 10_000

    assert measured["innerWidth"] == width
    assert measured["scrollWidth"] <= measured["innerWidth"], f"the page scrolls sideways: {measured}"
    assert measured["charts"] >= 5 and measured["texts"] > 30  # one visible variant of every chart
    assert not measured["small"], f"SVG text under 10 px at {width} px: {measured['small'][:5]}"
    assert not measured["outside"], f"outside its box at {width} px: {measured['outside'][:5]}"


@pytest.mark.parametrize("width", WIDTHS)
def test_report_fits_the_viewport_with_readable_charts(browser, crowded_report, tmp_path, width):
    assert_fits(browser, crowded_report, width, tmp_path / f"report-{width}px.png")


@pytest.mark.shared
@pytest.mark.slow
@pytest.mark.parametrize("width", (400, 1400))
def test_dev_set_report_fits_the_viewport(browser, dev_output, tmp_path, width):
    html = report.build_report(dev_output, tmp_path / "report.html")
    assert_fits(browser, html, width, tmp_path / f"dev-report-{width}px.png")
