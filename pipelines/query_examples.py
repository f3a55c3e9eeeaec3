"""The named example queries of `newsevents query --example` (docs/TUTORIAL.md walks through them)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pipelines.duckdb_views import EVENT_DAY_SQL, QueryError, run_query


@dataclass(frozen=True)
class Example:
    name: str
    description: str
    sql: str
    params: tuple[str, ...] = ()


EXAMPLES: dict[str, Example] = {
    ex.name: ex
    for ex in (
        Example(
            "events_per_type_per_day",
            "Distinct events per type per day (the event's own date when known to the day, "
            "else the article's publication day).",
            f"""select {EVENT_DAY_SQL} as day, e.event_type,
       count(distinct e.event_id) as events, count(*) as reports
from events e
group by all
order by day nulls last, e.event_type""",
        ),
        Example(
            "top_real_events",
            "The real-world events reported by the most independent sources (view real_events).",
            """select r.event_id, r.event_type, r.status,
       [p.name for p in r.participants] as participants,
       r.place, r.place_country, r.first_date, r.last_date, r.sources, r.articles, r.best_evidence
from real_events r
order by r.sources desc, r.articles desc, r.confidence desc, r.event_id
limit 20""",
        ),
        Example(
            "top_participants",
            "Participants in the most distinct events, with their roles and country.",
            """select p.name, any_value(p.country) as country,
       string_agg(distinct p.role, ', ' order by p.role) as roles,
       count(distinct e.event_id) as events
from events e, unnest(e.participants) as t(p)
group by p.name
order by events desc, p.name
limit 20""",
        ),
        Example(
            "top_participant_pairs",
            "Pairs of participants named in the same event report, by number of distinct events.",
            """with p as (
  select e.record_id, e.event_id, t.p.name as name
  from events e, unnest(e.participants) as t(p)
)
select a.name as participant_a, b.name as participant_b,
       count(distinct a.event_id) as events, count(distinct a.record_id) as reports
from p a join p b on a.record_id = b.record_id and a.name < b.name
group by all
order by events desc, participant_a, participant_b
limit 20""",
        ),
        Example(
            "events_by_country",
            "Distinct events per country of the event's location (ISO 3166-1 alpha-3).",
            """select coalesce(e.location.country, '(unknown)') as country,
       count(distinct e.event_id) as events, count(*) as reports,
       string_agg(distinct e.location.name, ', ' order by e.location.name) as places
from events e
group by all
order by events desc, country""",
        ),
        Example(
            "status_breakdown",
            "Event reports per type and status (occurred, planned, cancelled).",
            """select e.event_type, e.status, count(*) as reports, count(distinct e.event_id) as events
from events e
group by all
order by e.event_type, e.status""",
        ),
        Example(
            "dead_letter_reasons",
            "Dead letters per stage and error kind, with one example input location.",
            """select d.stage, split_part(d.error, ':', 1) as reason, count(*) as dead_letters,
       min(coalesce(d.source_file, '') || coalesce(':' || d.line_number, '')) as example
from dead_letters d
group by all
order by dead_letters desc, d.stage, reason""",
        ),
        Example(
            "events_in_period",
            "Event reports whose date overlaps a period, month- and year-precision dates included "
            "(event_start/event_end are DATE; dates as YYYY-MM-DD).",
            """select e.event_start, e.event_end, e.date_precision, e.event_type, e.status, e.cameo_code,
       [p.name for p in e.participants] as participants, e.location.name as place, e.event_id
from events e
where e.event_start <= cast($until as date) and e.event_end >= cast($since as date)
order by e.event_start, e.event_end, e.event_type, e.record_id""",
            ("since", "until"),
        ),
        Example(
            "events_by_code",
            "Distinct events per CAMEO code and PLOVER type and mode (docs/CODES.md; facility "
            "openings have no code).",
            """select e.cameo_code, e.plover_type, e.plover_mode, e.event_type,
       count(distinct e.event_id) as events, count(*) as reports
from events e
group by all
order by e.cameo_code nulls last, e.event_type, e.plover_mode nulls last""",
        ),
        Example(
            "articles_for_event",
            "The articles behind one event_id, with the evidence sentence each one gave.",
            """select a.article_id, a.published_at, a.source, a.title, a.url,
       e.record_id, e.status, e.sentence.text as evidence
from events e
join articles a on a.article_id = e.article.article_id
where e.event_id = $event_id
order by a.published_at nulls last, a.article_id, e.record_id""",
            ("event_id",),
        ),
    )
}


def run_example(con, name: str, params: dict[str, Any] | None = None) -> tuple[list[str], list[tuple]]:
    example = EXAMPLES.get(name)
    if example is None:
        raise QueryError(f"unknown example {name!r}; known: {', '.join(EXAMPLES)}")
    params = dict(params or {})
    missing = [p for p in example.params if p not in params]
    if missing:
        raise QueryError(f"example {name!r} needs " + " ".join(f"--param {p}=VALUE" for p in missing))
    return run_query(con, example.sql, {p: params[p] for p in example.params} or None)


def list_examples() -> str:
    lines = []
    for ex in EXAMPLES.values():
        needs = "".join(f" --param {p}=..." for p in ex.params)
        lines.append(f"{ex.name}{needs}\n    {ex.description}")
    return "\n".join(lines)
