"""Within-article actor resolution (actors.py) and the role patterns it serves (roles.py),
on short sentences written for these tests."""
from __future__ import annotations

import pytest

from transforms.ingest.articles import make_article, nlp_text
from transforms.extraction import extract_events
from transforms.extraction.organisations import acronym, clean_name, has_corporate_suffix


@pytest.fixture(scope="module")
def nlp():
    from transforms.nlp import load_model

    return load_model()


def run(nlp, text: str, **fields) -> list[dict]:
    article = make_article({"id": "t", "text": text, **fields})
    return extract_events(nlp(nlp_text(article)), article)


def of_type(events, event_type):
    return [event for event in events if event["event_type"] == event_type]


def people(event) -> dict:
    return {part["name"]: part for part in event["participants"]}


def test_name_helpers():
    assert clean_name("<Acme Widgets Corp>") == "Acme Widgets Corp"
    assert clean_name("the Orvex Group's") == "Orvex Group"
    assert acronym("London International Financial Futures Exchange") == "LIFFE"
    assert acronym("Banque de l'Union Europeenne") == "BUE"
    assert has_corporate_suffix("Delmar Holdings Inc") and not has_corporate_suffix("Delmar")


def test_country_hint_of_one_mention_holds_for_later_mentions(nlp):
    events = run(nlp, "Polish Prime Minister Jan Kowalski said the economy was growing. "
                      "Kowalski will visit Japan next week.")
    (visit,) = of_type(events, "state_visit")
    guest = people(visit)["Jan Kowalski"]
    assert guest["role"] == "guest" and guest["country"] == "Polish"


def test_host_named_by_a_city_is_its_country(nlp):
    events = run(nlp, "Canadian Trade Minister Paul Dubois arrived in Rabat on Monday.")
    (visit,) = of_type(events, "state_visit")
    host = [part for part in visit["participants"] if part["role"] == "host"]
    assert [(h["name"], h["entity_type"], h["country"]) for h in host] == [("Morocco", "GPE", "MAR")]
    assert "Rabat" in host[0]["aliases"]


def test_dateline_gives_an_unqualified_minister_a_country(nlp):
    text = "BONN, April 3 - Finance Minister Hans Weber said he will visit Japan next week."
    article = make_article({"id": "t", "text": text, "dateline": "BONN, April 3"})
    events = extract_events(nlp(nlp_text(article)), article)
    (visit,) = of_type(events, "state_visit")
    assert people(visit)["Hans Weber"]["country"] == "DEU"


def test_the_two_companies_are_the_two_organisations_of_the_story(nlp):
    events = run(nlp, "Acme Widgets Inc and Borlan Tools Corp said they would cooperate in Europe. "
                      "Acme Widgets Inc expects higher sales. The two companies signed an agreement on Monday.")
    signed = of_type(events, "agreement_signed")
    assert signed
    assert {"Acme Widgets Inc", "Borlan Tools Corp"} <= set(people(signed[0]))


def test_subsidiary_stands_for_its_parent_and_clause_names_the_partner(nlp):
    events = run(nlp, "Orvex Corp said its software subsidiary signed an agreement under which "
                      "Delmar Inc will distribute the new program.")
    (signed,) = of_type(events, "agreement_signed")
    assert {"Orvex Corp", "Delmar Inc"} <= set(people(signed))


def test_short_company_name_links_to_the_full_name(nlp):
    events = run(nlp, "Halvard Systems Corp said it expects a loss. "
                      "Halvard said it has opened an office in Singapore.")
    (opened,) = of_type(events, "facility_opened")
    assert [p["name"] for p in opened["participants"]] == ["Halvard Systems Corp"]
    assert opened["participants"][0]["entity_type"] == "ORG"


def test_talks_as_a_circumstance_give_the_subject_as_participant(nlp):
    events = run(nlp, "Gerald Brandt made his remarks after two days of talks with members of Congress.")
    (meeting,) = of_type(events, "meeting")
    names = set(people(meeting))
    assert "Gerald Brandt" in names and "Congress" in names


# --- country hints of people (attribute accuracy on unseen articles) ----------------------

US_PAPER = "https://www.foxnews.com/politics/some-story"


def resolved(nlp, text: str, **fields) -> list[dict]:
    from transforms.resolution import resolve_events

    article = make_article({"id": "t", "text": text, **fields})
    return resolve_events(extract_events(nlp(nlp_text(article)), article), article)


def test_a_nationality_of_two_words_is_kept_whole(nlp):
    events = run(nlp, "South African envoy Thabo Nkosi will visit Chile next week.")
    (visit,) = of_type(events, "state_visit")
    assert people(visit)["Thabo Nkosi"]["country"] == "South African"


def test_a_nationality_without_an_office_word_counts(nlp):
    events = run(nlp, "Talks ended after Nigerian businessman Ade Bello met Dutch officials in Lagos on Friday.")
    (meeting,) = of_type(events, "meeting")
    assert people(meeting)["Ade Bello"]["country"] == "Nigerian"


def test_a_person_of_a_country(nlp):
    events = run(nlp, "President Ruiz of Ecuador will visit Spain next month.")
    (visit,) = of_type(events, "state_visit")
    assert people(visit)["Ruiz"]["country"] == "Ecuador"


def test_a_family_name_written_first_links_to_the_full_name(nlp):
    events = run(nlp, "Chinese Vice Premier Liu Wenhao arrived in Berlin on Monday. "
                      "Liu will meet German officials on Tuesday.")
    (meeting,) = of_type(events, "meeting")
    assert people(meeting)["Liu Wenhao"]["country"] == "Chinese"


def test_a_shared_family_name_links_to_nobody(nlp):
    from transforms.extraction.participants import PeopleIndex

    doc = nlp("Park Min-jun and Park Seo-yeon arrived. Park said nothing.")
    assert PeopleIndex(doc, 0).canonical("Park") == "Park"


def test_an_unqualified_president_in_a_us_paper_is_american(nlp):
    events = resolved(nlp, "President Adams met Canadian Prime Minister Jean Roy in Ottawa on Monday.",
                      url=US_PAPER, published_at="2019-03-06")
    (meeting,) = of_type(events, "meeting")
    assert {p["name"]: p["country"] for p in meeting["participants"]} == {"Adams": "USA", "Jean Roy": "CAN"}


def test_a_us_paper_gives_no_country_to_an_office_the_us_lacks(nlp):
    events = resolved(nlp, "Prime Minister Jean Roy met Lula in Brasilia on Monday.",
                      url=US_PAPER, published_at="2019-03-06")
    (meeting,) = of_type(events, "meeting")
    assert people(meeting)["Jean Roy"]["country"] is None


def test_abbreviated_us_titles_are_state_titles(nlp):
    events = resolved(nlp, "Sen. Mary Lott met Colombian officials in Bogota on Monday.",
                      url=US_PAPER, published_at="2019-03-06")
    (meeting,) = of_type(events, "meeting")
    lott = people(meeting)["Mary Lott"]
    assert (lott["title"], lott["country"]) == ("Sen.", "USA")


def test_the_headline_country_is_not_an_unqualified_officials(nlp):
    events = resolved(nlp, "President Adams met Prime Minister Sato in Tokyo on Monday.",
                      title="Peru protests as Adams and Sato meet", published_at="2019-03-06")
    (meeting,) = of_type(events, "meeting")
    assert {p["country"] for p in meeting["participants"]} == {None}


def test_the_dateline_country_only_for_an_office_it_has(nlp):
    text = "TOKYO, April 3 - President Adams will meet Prime Minister Sato on Thursday."
    events = resolved(nlp, text, dateline="TOKYO, April 3", published_at="1987-04-03")
    (meeting,) = of_type(events, "meeting")
    assert {p["name"]: p["country"] for p in meeting["participants"]} == {"Adams": None, "Sato": "JPN"}


def test_a_headline_speaker_is_not_the_next_names_country(nlp):
    events = resolved(nlp, "Ross will visit Peru next week.", title="Chilean minister: Ross to visit Peru",
                      published_at="2019-03-06")
    (visit,) = of_type(events, "state_visit")
    assert people(visit)["Ross"]["country"] is None


def test_talks_during_a_visit_are_where_the_visit_went(nlp):
    text = "WASHINGTON, May 4 - He said that during the visit to Lima he held talks with Peruvian officials."
    article = make_article({"id": "t", "text": text, "dateline": "WASHINGTON, May 4"})
    events = extract_events(nlp(nlp_text(article)), article)
    (meeting,) = of_type(events, "meeting")
    assert meeting["location"]["name"] == "Lima"


def test_a_company_placed_after_its_name(nlp):
    text = "DENVER, May 4 - Lorvan Inc said it signed an agreement with Peltro Machinery Co, Leeds, to supply pumps."
    events = run(nlp, text, dateline="DENVER, May 4")
    (deal,) = of_type(events, "agreement_signed")
    assert people(deal)["Peltro Machinery Co"]["country"] == "GBR"


def test_a_company_named_nowhere_else_takes_the_dateline_country(nlp):
    text = "DENVER, May 4 - Lorvan Inc said it signed an agreement with Peltro Ltd to sell pumps."
    events = run(nlp, text, dateline="DENVER, May 4")
    (deal,) = of_type(events, "agreement_signed")
    assert people(deal)["Peltro Ltd"]["country"] == "USA"


def test_a_company_placed_outside_the_gazetteer_keeps_no_country(nlp):
    text = ("DENVER, May 4 - Lorvan Inc said it has also signed an agreement for Peltro Engineers Ltd "
            "of British Columbia to recoup the cost of its services.")
    events = run(nlp, text, dateline="DENVER, May 4")
    (deal,) = of_type(events, "agreement_signed")
    assert people(deal)["Peltro Engineers Ltd"]["country"] is None


def test_a_meeting_in_a_country_is_in_its_one_named_city(nlp):
    events = run(nlp, "Ana Ruiz flew to Oslo on Monday. She met Norwegian officials in Norway on Tuesday.")
    (meeting,) = of_type(events, "meeting")
    assert meeting["location"]["name"] == "Oslo"


def test_a_visit_to_a_country_stays_in_the_country(nlp):
    events = run(nlp, "Ana Ruiz met officials in Oslo on Monday. She will visit Norway again in May.")
    visit = [e for e in of_type(events, "state_visit") if e["location"]["name"] in ("Norway", "Oslo")]
    assert [e["location"]["name"] for e in visit] == ["Norway"]



def test_an_international_officials_country_is_not_the_outlets(nlp):
    events = resolved(nlp, "NATO Secretary General Lars Brekke met Polish officials in Warsaw on Monday.",
                      url=US_PAPER, published_at="2019-03-06")
    (meeting,) = of_type(events, "meeting")
    assert people(meeting)["Lars Brekke"]["country"] is None


def test_an_office_of_an_institution_is_not_a_name_after_its_article(nlp):
    """ "the Leader of the Islamic Revolution": the words after "the" are the office's body, not a name."""
    from transforms.extraction.titles import titled_names

    doc = nlp("Emomali Rahmon expressed his pleasure at meeting with the Leader of the Islamic Revolution.")
    found, _ = titled_names(doc)
    assert [doc[start:end].text for _, start, end in found] == []
    doc = nlp("He met the President of Ukraine Volodymyr Zelenskyy on Monday.")
    found, _ = titled_names(doc)
    assert [doc[start:end].text for _, start, end in found] == ["Volodymyr Zelenskyy"]


@pytest.mark.parametrize("text, name", [
    ("Vladimir Putin held talks with President of the French Republic Emmanuel Macron at the Kremlin.", "Emmanuel Macron"),
    ("Minister for Foreign Affairs of Ukraine Dmytro Kuleba met with the delegation.", "Dmytro Kuleba"),
    ("Talks with European Commissioner for Trade Cecilia Malmstrom ended on Friday.", "Cecilia Malmstrom"),
])
def test_a_title_phrase_ends_at_its_holder(nlp, text, name):
    """The holder of "President of X" is the name that ends the phrase, not a venue after it
    ("... Emmanuel Macron at the Kremlin"); "Minister for" opens a title as "Minister of" does."""
    from transforms.extraction.titles import titled_names

    doc = nlp(text)
    found, _ = titled_names(doc)
    assert [doc[start:end].text for _, start, end in found] == [name]


@pytest.mark.parametrize("text, names", [
    # "and" inside the body of a title, before a word that is not a body word itself
    ("The president met with Minister for Europe and Foreign Affairs of France Claire Dubois in Kyiv.", ["Claire Dubois"]),
    # "and" before a country and an office opens the next title
    ("Zelenskyy met with US Secretary of State Mark Ellison and US Secretary of Defense Paul Hart on Sunday.",
     ["Mark Ellison", "Paul Hart"]),
    # a bracketed acronym of the body
    ("Andriy Sybiha met with Secretary General of the Parliamentary Assembly of the Black Sea Economic "
     "Cooperation (PABSEC) Asaf Demirov.", ["Asaf Demirov"]),
    # the second word of a two-word country is the body, not the name
    ("The accord was signed by Minister for Foreign Affairs and Trade of New Zealand Aroha Tane.", ["Aroha Tane"]),
    # a holder's name ends the title: "and" after it starts the next party, whatever follows
    ("U.S. Secretary of State Mark Ellison and Soviet Foreign Minister Ivan Petrov met today in Moscow.", ["Mark Ellison"]),
    # "and" before capitalised words that lead to an office opens the next title
    ("The president met Director of the National Space Agency Pavel Orlov and Amur Region Governor Ilya Serov.",
     ["Pavel Orlov"]),
])
def test_long_official_titles_end_at_their_holders(nlp, text, names):
    """Official releases write titles whole: "Minister for Europe and Foreign Affairs of France
    X", "US Secretary of State X and US Secretary of Defense Y"."""
    from transforms.extraction.titles import titled_names

    doc = nlp(text)
    found, _ = titled_names(doc)
    assert [doc[start:end].text for _, start, end in found] == names


GOVERNMENT_SITE = "https://www.president.gov.ua/en/news/some-release"


def visit_places(nlp, text: str, url: str) -> list:
    """The places of the visits proposed in ``text`` (before the learned decision)."""
    from transforms.extraction import propose_events

    article = make_article({"id": "t", "text": text, "url": url, "published_at": "2022-05-31"})
    return [d.event["location"] for d in propose_events(nlp(nlp_text(article)), article)
            if d.event["event_type"] == "state_visit"]


def test_our_country_on_a_government_site_is_that_country(nlp):
    """ "on a visit to our country" in a release of Ukraine's president: a visit to Ukraine,
    at the span of the words; "our capital" is Kyiv."""
    text = "President of Ukraine Volodymyr Zelenskyy met with Prime Minister of Norway Erna Lind, who is on a visit to our country."
    (place,) = visit_places(nlp, text, GOVERNMENT_SITE)
    assert place["name"] == "Ukraine" and text[place["start"]:place["end"]] == "our country"
    capital = "This is the second visit of Prime Minister of Norway Erna Lind to our capital since February."
    assert [p["name"] for p in visit_places(nlp, capital, GOVERNMENT_SITE)] == ["Kyiv"]


def test_our_country_in_a_newspaper_is_nobodys(nlp):
    """A newspaper's "our country" may be any speaker's: it places nothing."""
    text = "Prime Minister Jan Novak, who is on a visit to our country, met the governor."
    assert [p for p in visit_places(nlp, text, US_PAPER) if p is not None] == []


def test_a_visitor_to_a_government_sites_country_is_not_its_official(nlp):
    """A government's own site names its officials without nationality, so a person it names
    without one is taken to be of its country; not the guest of a visit to that country, which
    that country hosts."""
    from transforms.resolution import resolve_events
    from transforms.shapes import make_event, make_location, make_participant

    text = "Asaf Demirov, who is on a visit to our country, met the President."
    span = {"text": text, "start": 0, "end": len(text)}
    guest = make_participant("Asaf Demirov", "guest", "PERSON", "Secretary General", None, 0, 12)
    visit = make_event("state_visit", "occurred", {"text": "visit", "start": 27, "end": 32}, span, [guest],
                       make_location("Ukraine", 36, 47))
    article = make_article({"id": "t", "text": text, "url": GOVERNMENT_SITE, "published_at": "2022-05-31"})
    (event,) = resolve_events([visit], article)
    assert {p["name"]: (p["role"], p["country"]) for p in event["participants"]} == {
        "Asaf Demirov": ("guest", None), "Ukraine": ("host", "UKR")}


KREMLIN = "http://en.kremlin.ru/events/president/news/1"
TALKS = ("Vladimir Putin held talks with Prime Minister of Norway Erna Lind in Oslo. Vladimir Putin thanked "
         "Erna Lind for the invitation. Vladimir Putin also met business leaders. Vladimir Putin laid a wreath.\n\n"
         "On February 16, the President of Russia will hold talks with President of Brazil Caio Mendes.")


def test_the_president_on_a_government_site_is_its_head_of_state(nlp):
    """ "the President of Russia" on kremlin.ru is the president the story is about, named elsewhere
    without his title; in a newspaper the words stay a description."""
    def partners(url):
        (talks,) = [e for e in of_type(run(nlp, TALKS, url=url, published_at="2022-02-10"), "meeting")
                    if "Caio Mendes" in people(e)]
        return set(people(talks))

    assert partners(KREMLIN) == {"Vladimir Putin", "Caio Mendes"}
    assert partners(US_PAPER) == {"President of Russia", "Caio Mendes"}


def test_two_titled_holders_joined_by_and_both_take_part(nlp):
    """ "U.S. Secretary of State A B and Soviet Foreign Minister C D met": the first title ended
    at its holder, so both holders meet (the first one was swallowed into the second's title)."""
    from transforms.extraction import propose_events

    text = "U.S. Secretary of State Mark Ellison and Soviet Foreign Minister Ivan Petrov met today in Moscow."
    article = make_article({"id": "t", "text": text, "published_at": "1987-03-04"})
    meetings = [d.event for d in propose_events(nlp(nlp_text(article)), article) if d.event["event_type"] == "meeting"]
    assert {p["name"] for m in meetings for p in m["participants"]} == {"Mark Ellison", "Ivan Petrov"}
