"""The dbt project is laid out as its readers expect (dbt Labs' guide, jaffle-shop): checked on the files."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
MODELS = ROOT / "models"
AUDIENCES = {"disclosure", "quality", "ops"}


def _models(folder: str) -> list[Path]:
    return sorted((MODELS / folder).rglob("*.sql"))


def test_marts_are_grouped_by_audience_with_one_yaml_per_model():
    marts = _models("marts")
    assert marts and all(path.parent.name in AUDIENCES and path.parent.parent == MODELS / "marts" for path in marts)
    for path in marts:
        properties = yaml.safe_load(path.with_suffix(".yml").read_text(encoding="utf-8"))
        assert [model["name"] for model in properties["models"]] == [path.stem], path


def test_names_follow_the_conventions():
    assert all(re.fullmatch(r"stg_raw__[a-z_]+", path.stem) for path in _models("staging"))
    assert all(re.fullmatch(r"int_[a-z_]+_[a-z]+ed", path.stem) for path in _models("intermediate"))
    assert all(re.fullmatch(r"(fct|dim)_[a-z_]+", path.stem) for path in _models("marts"))


def test_materialisation_is_set_by_folder_not_in_model_files():
    for path in MODELS.rglob("*.sql"):
        assert "materialized" not in path.read_text(encoding="utf-8").replace("not materialized", ""), path


def test_the_yaml_is_written_by_hand():
    for path in MODELS.rglob("*.yml"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"[&*]id\d+", text), f"{path}: a YAML anchor (a machine dump)"
        assert "config:\n      contract" not in text, f"{path}: contracts are set by folder in dbt_project.yml"


def test_every_quality_check_is_in_the_seed_and_in_one_intermediate():
    checks = [line.split(",")[0] for line in (ROOT / "seeds" / "quality_checks.csv").read_text().splitlines()[1:]]
    assert checks == ["I1", "I2", "I3", "I4", "C1", "C2", "S1", "S2", "D1", "K1"]
    sources = {path.stem: path.read_text(encoding="utf-8") for path in _models("intermediate")}
    sources["macros/identity_checks"] = (ROOT / "macros" / "identity_checks.sql").read_text(encoding="utf-8")
    for check in checks:
        holders = [name for name, text in sources.items() if f"'{check}'" in text]
        assert len(holders) == 1, (check, holders)


def test_every_incremental_model_reads_the_build_scope():
    """An incremental model computes the rows of the build scope's reports only (macros/build_scope.sql), or of
    their agencies (dim_agencies)."""
    project = yaml.safe_load((ROOT / "dbt_project.yml").read_text(encoding="utf-8"))
    incremental = set(re.findall(r"(\w+): \{\+materialized: incremental[,}]", (ROOT / "dbt_project.yml").read_text()))
    assert "dim_agencies" in incremental
    assert len(incremental) >= 12 and project["models"]["gongkai"]["+incremental_strategy"] == "report_scope"
    for path in MODELS.rglob("*.sql"):
        reads_scope = "in_build_scope('" in path.read_text(encoding="utf-8")
        assert reads_scope == (path.stem in incremental), path
