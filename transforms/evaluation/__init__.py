"""Scoring predicted events against gold files (pure Python, no Beam).

One module per concern, in the order a score is made: ``gold`` (reading gold files),
``matching`` (predictions to gold events), ``attributes`` (judging a matched pair),
``scores`` (P/R/F1 tables), ``reliability`` (is confidence calibrated?), ``formatting``
(text tables) and ``identity`` (event identity across reports).  The rules are in each
module's docstring.  The names callers use are re-exported here.
"""
from transforms.evaluation.attributes import date_ok, name_score
from transforms.evaluation.formatting import format_identity, format_report
from transforms.evaluation.gold import GoldDoc, attach_text, load_gold, locate_evidence
from transforms.evaluation.identity import identity_scores
from transforms.evaluation.reliability import RELIABILITY_BUCKETS, record_outcomes
from transforms.evaluation.scores import evaluate, scores_by_set

__all__ = [
    "RELIABILITY_BUCKETS", "GoldDoc", "attach_text", "date_ok", "evaluate", "format_identity", "format_report",
    "identity_scores", "load_gold", "locate_evidence", "name_score", "record_outcomes", "scores_by_set",
]
