"""Text tables of the evaluator's results (pure Python, no Beam)."""
from __future__ import annotations


def _pct(value) -> str:
    return "    -" if value is None else f"{100 * value:5.1f}"


def format_report(result: dict, title: str = "", errors: bool = False, reliability: bool = False) -> str:
    """A readable text table of ``evaluate``'s result (optionally reliability and errors)."""
    lines = [f"== {title} ({result['documents']} docs, {result['gold_events']} gold events)"] if title else []
    header = f"{'':26}{'TP':>5}{'FP':>5}{'FN':>5}{'P':>7}{'R':>7}{'F1':>7}"

    def table(name: str, rows: dict) -> None:
        lines.extend([name, header])
        for label, row in rows.items():
            lines.append(
                f"  {label:24}{row['tp']:5}{row['fp']:5}{row['fn']:5}"
                f"  {_pct(row['precision'])}  {_pct(row['recall'])}  {_pct(row['f1'])}"
            )

    table("detection", result["detection"])
    table("participants (matched events)", result["participants"])
    table("full record (TP with participants, location, date right)", result["full_record"])
    lines.append("attribute accuracy (matched events)")
    for name, value in result["attributes"].items():
        lines.append(f"  {name:24}{value['correct']:5} / {value['total']:<5} {_pct(value['accuracy'])}")
    lines.append(f"ignored predictions (don't care / out of precision scope): {result['ignored_predictions']}")
    if reliability and "reliability" in result:
        lines.append(format_reliability(result))
    if errors:
        lines.append("errors")
        for error in result["errors"]:
            lines.append(f"  {error['kind']:7} {error['article_id']} {error['event_type']} [{error['status']}] "
                         f"{error['text'][:160]}")
            lines.extend(f"          - {problem}" for problem in error["problems"])
    return "\n".join(lines)


def format_reliability(result: dict) -> str:
    """The reliability table of ``evaluate``'s result."""
    data = result["reliability"]
    lines = ["reliability (predictions by confidence; P = right / (right + FP), in precision scope)",
             f"{'':14}{'n':>5}{'TP':>5}{'FP':>5}{'dc':>5}{'P':>7}{'fullP':>8}"]

    def row(label: str, value: dict) -> str:
        return (f"  {label:12}{value['count']:5}{value['tp']:5}{value['fp']:5}{value['ignored']:5}"
                f"  {_pct(value['precision'])}   {_pct(value['full_precision'])}")

    lines.extend(row(label, value) for label, value in data["buckets"].items())
    lines.append(row(f">= {data['high']['threshold']:.1f}", data["high"]))
    if data["ece"] is not None:
        lines.append(f"  expected calibration error {data['ece']:.3f}")
    if data["no_confidence"]:
        lines.append(f"  predictions without a confidence: {data['no_confidence']}")
    return "\n".join(lines)


def format_identity(scores: dict) -> str:
    """The two lines of ``identity_scores``'s result."""
    return (f"event identity over {scores['reports']} reports in {scores['groups']} groups: "
            f"{scores['gold_pairs']} gold pairs, {scores['predicted_pairs']} predicted, {scores['tp']} right\n"
            f"  pairwise P {100 * scores['precision']:.1f}  R {100 * scores['recall']:.1f}  F1 {100 * scores['f1']:.1f}")
