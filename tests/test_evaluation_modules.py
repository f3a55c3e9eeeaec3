"""Unit tests of evaluation concerns the rule tests in test_evaluation.py do not reach."""
from __future__ import annotations

import pytest

from transforms.evaluation.attributes import date_ok
from transforms.evaluation.formatting import format_identity
from transforms.evaluation.gold import GoldDoc
from transforms.evaluation.identity import identity_scores
from transforms.evaluation.scores import scores_by_set


def doc(article_id: str, *keys: str) -> GoldDoc:
    return GoldDoc(article_id, (article_id, *keys), None, [], [], frozenset(), False, True)


def test_a_gold_doc_is_found_under_its_article_id_first_then_its_file_stem():
    assert doc("a1", "story").find({"story": 2, "a1": 1}) == 1
    assert doc("a1", "story").find({"story": 2}) == 2
    assert doc("a1").find({}, []) == []


@pytest.mark.parametrize(
    ("value", "date_range", "expected"),
    [
        ("2030-02", ["2030-01-01", "2030-02-28"], True),  # February ends on the 28th: inside
        ("2030-02", ["2030-02-02", "2030-02-28"], False),  # the 1st is outside
        ("2030", ["2030-01-01", "2030-12-31"], True),
        ("2030-03-01", ["2030-01-01", "2030-02-28"], False),
    ],
)
def test_a_predicted_date_counts_when_its_whole_interval_is_in_the_range(value, date_range, expected):
    gold = {"event_date": "2030-01", "date_precision": "month", "date_range": date_range}
    predicted = {"event_date": value, "date_precision": {4: "year", 7: "month", 10: "day"}[len(value)]}
    assert date_ok(gold, predicted, null_dates_scored=True) is expected


def test_identity_pairs_and_their_report():
    reports = [{"id": "r1", "group": "g", "event_type": "meeting"},
               {"id": "r2", "group": "g", "event_type": "meeting"},
               {"id": "r3", "group": "h", "event_type": "meeting"}]
    predictions = {"r1": [{"event_id": "e", "event_type": "meeting"}],
                   "r2": [{"event_id": "e", "event_type": "meeting"}],
                   "r3": [{"event_id": "e", "event_type": "state_visit"}]}  # another type: no pair
    scores = identity_scores(reports, predictions)
    assert (scores["gold_pairs"], scores["predicted_pairs"], scores["tp"]) == (1, 1, 1)
    assert format_identity(scores) == ("event identity over 3 reports in 2 groups: 1 gold pairs, 1 predicted, 1 right\n"
                                       "  pairwise P 100.0  R 100.0  F1 100.0")


def test_scores_by_set_adds_all_and_modern_only_when_they_differ():
    assert list(scores_by_set({"one": [doc("a1")]}, {})) == ["one"]
    both = scores_by_set({"old": [doc("reuters-1")], "new": [doc("wikinews:2")]}, {})
    assert list(both) == ["old", "new", "all", "modern (2010+)"]
    assert both["modern (2010+)"]["documents"] == 1
