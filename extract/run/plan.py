"""Which files a refresh parses, which it withdraws, and the guard against withdrawing everything.

A file is parsed when it is new, its bytes or manifest row changed, ``--full`` was given,
an older parser read it, it comes back after leaving the folder (``removed``), or its last
error was about the folder rather than its bytes (an unreadable file, a link, a bad
manifest row), which may be fixed without the bytes changing. A file with a problem found
by the scan is not parsed but recorded as its error.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from extract import PARSER_VERSION
from extract.load.warehouse import KnownFile
from extract.run.exits import EXIT_REFUSED, Refused
from extract.run.manifest import overrides_hash
from extract.run.pool import FileJob

RETRY_ERRORS = frozenset({"bad_manifest_row", "unreadable_file", "link_outside_folder", "broken_link",
                          "not_a_regular_file"})


@dataclass
class Plan:
    """What one refresh will do to the folder's files."""

    todo: list[FileJob] = field(default_factory=list)
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    reparsed: int = 0
    problems: int = 0
    removed: list[str] = field(default_factory=list)
    withdrawing: int = 0
    loaded_known: int = 0


def _needs_parse(job: FileJob, previous: KnownFile, full: bool, manifest_usable: bool) -> str | None:
    """Why a known file is parsed again ('changed' or 'reparsed'), or None."""
    manifest_changed = manifest_usable and previous.manifest_hash != overrides_hash(job.overrides)
    if previous.sha256 != job.sha256 or manifest_changed:
        return "changed"
    if (full or previous.parser_version != PARSER_VERSION or previous.status == "removed"
            or previous.error_class in RETRY_ERRORS):
        return "reparsed"
    return None


def plan_files(jobs: list[FileJob], known: dict[str, KnownFile], full: bool = False,
               manifest_usable: bool = True) -> Plan:
    """Compare the folder with what raw holds. ``manifest_usable`` False: manifest rows are unknown,
    so a changed manifest hash alone re-parses nothing."""
    plan = Plan()
    for job in jobs:
        previous = known.get(job.rel)
        if job.problem is not None:
            plan.problems += 1
            plan.todo.append(job)
            continue
        reason = "new" if previous is None else _needs_parse(job, previous, full, manifest_usable)
        if reason is None:
            plan.unchanged += 1
            continue
        setattr(plan, reason, getattr(plan, reason) + 1)
        plan.todo.append(job)
    present = {job.rel for job in jobs}
    contents = {job.sha256 for job in jobs}
    for path, previous in known.items():
        if previous.status == "loaded":
            plan.loaded_known += 1
        if path not in present and previous.status != "removed":
            plan.removed.append(path)
            # a file moved or renamed keeps its report: only content gone from the folder withdraws one
            plan.withdrawing += previous.status == "loaded" and previous.sha256 not in contents
    return plan


def check_withdrawals(plan: Plan, allow_withdraw_all: bool = False, max_withdraw: float | None = None) -> None:
    """Refuse (exit 3) a run that would withdraw every loaded report, or more than ``max_withdraw`` of them.

    An unmounted share or a mistyped folder looks exactly like every report being withdrawn.
    """
    if not plan.withdrawing or allow_withdraw_all:
        return
    share = plan.withdrawing / max(plan.loaded_known, 1)
    if max_withdraw is not None and share > max_withdraw:
        raise Refused("withdraw_limit", f"this run would withdraw {plan.withdrawing} of {plan.loaded_known} loaded "
                      f"reports ({share:.0%}), more than --max-withdraw {max_withdraw:g} allows; nothing was changed. "
                      "Check the reports folder, or pass --allow-withdraw-all", EXIT_REFUSED)
    if plan.withdrawing >= plan.loaded_known:
        raise Refused("withdraw_all", f"this run would withdraw all {plan.loaded_known} loaded reports: their files "
                      "are gone from the reports folder (an empty or unmounted folder?); nothing was changed. "
                      "Pass --allow-withdraw-all if they really were all withdrawn", EXIT_REFUSED)
