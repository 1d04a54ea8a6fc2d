"""Which reports a build recomputes: all of them (a full build) or the build scope (an incremental one).

After every successful build the state of each report it was built from is kept in
``raw.built_reports``: a hash of its ``raw.reports`` row (a re-read, a withdrawal or a new
parser changes it) and of its rows in ``raw.corrections``, with its agency (``agency_group``: the
report's ``agency_id``). The next build
compares raw with it. The reports whose state differs (added, re-read, withdrawn, deleted,
corrected) and every other report of their agencies, before and after, are the scope
(``raw.build_scope``): the incremental models (``macros/build_scope.sql``) delete and insert
those reports' rows only. The agency closes the scope because the primary document among
duplicates, the cross-year checks and the year-over-year metrics read the agency's other reports.

A build is full (``dbt build --full-refresh``) when asked (``--full``), when nothing was
recorded yet, or when the project or the parser changed (:func:`extract.run.build.build_fingerprint`):
a changed model, macro, seed (label aliases, template rows) or parser version may change any row.
"""

from __future__ import annotations

from typing import NamedTuple

import duckdb

# The agency a report belongs to: its agency_id, computed as stg_raw__reports computes it (keep the two
# equal). Not the raw group it is hashed from: two groups whose hashes share 12 hex digits are one agency
# in the marts, so they must be one agency of the scope too.
_AGENCY_GROUP = ("'ag_' || substr(md5(coalesce(reports.agency_key, reports.agency_name, "
                 "'unknown:' || reports.report_id)), 1, 12)")

REPORT_STATES_SQL = f"""
select
    reports.report_id,
    {_AGENCY_GROUP} as agency_group,
    hash(reports, coalesce(corrected.digest, 0)) as state
from raw.reports as reports
left join (
    select report_id, bit_xor(hash(line_no, source_path, table_no_text, row_key, col_key, value_text, note,
                                   table_no, value, cell_state, unit, problem)) as digest
    from raw.corrections
    where report_id is not null
    group by report_id
) as corrected on corrected.report_id = reports.report_id
"""

SCOPE_SQL = f"""
insert into raw.build_scope
with current_states as ({REPORT_STATES_SQL}),
changed as (
    select current_states.agency_group as new_group, built.agency_group as old_group
    from current_states
    full outer join raw.built_reports as built on built.report_id = current_states.report_id
    where current_states.state is distinct from built.state
        or current_states.agency_group is distinct from built.agency_group
),
groups as (
    select new_group as agency_group from changed where new_group is not null
    union
    select old_group from changed where old_group is not null
)
select report_id from current_states where agency_group in (select agency_group from groups)
union
select report_id from raw.built_reports where agency_group in (select agency_group from groups)
"""


class BuildPlan(NamedTuple):
    """A full build (and why), or an incremental one over ``scope`` of the ``reports`` in raw (the rows of
    reports gone from raw are deleted besides)."""

    full: bool
    reason: str
    scope: int
    reports: int


def plan_build(con: duckdb.DuckDBPyConnection, full_requested: bool, project_changed: bool) -> BuildPlan:
    """Decide the build and write ``raw.build_scope`` (empty for a full build, which ignores it)."""
    con.execute("delete from raw.build_scope")
    reports = con.execute("select count(*) from raw.reports").fetchone()[0]
    recorded = con.execute("select value from raw.build_state where key = 'built_reports'").fetchone()
    if full_requested:
        return BuildPlan(True, "--full", reports, reports)
    if recorded is None:
        return BuildPlan(True, "no incremental build recorded yet", reports, reports)
    if project_changed:
        return BuildPlan(True, "the dbt project or the parser version changed", reports, reports)
    con.execute(SCOPE_SQL)
    scope = con.execute("select count(*) from raw.build_scope "
                        "where report_id in (select report_id from raw.reports)").fetchone()[0]
    return BuildPlan(False, "incremental", scope, reports)


def record_built_reports(con: duckdb.DuckDBPyConnection, incremental: bool = False) -> None:
    """After a successful build: the state of every report it was built from, and an empty scope.

    After an incremental build only the rows of the scope's reports are replaced (those gone from raw
    deleted): a report outside the scope is in raw with the state and agency recorded (else it would have
    changed, and be in the scope), so its row is current already."""
    if incremental:
        in_scope = "report_id in (select report_id from raw.build_scope)"
        con.execute(f"delete from raw.built_reports where {in_scope}")
        con.execute(f"insert into raw.built_reports select * from ({REPORT_STATES_SQL}) where {in_scope}")
    else:
        con.execute("delete from raw.built_reports")
        con.execute(f"insert into raw.built_reports {REPORT_STATES_SQL}")
    con.execute("delete from raw.build_scope")
    con.execute("insert or replace into raw.build_state values ('built_reports', 'recorded')")
