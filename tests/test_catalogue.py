"""The catalogue and the quality layer: docs site in a real browser, governance, metrics checked by hand."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import duckdb
import pytest
from conftest import REPORTS, ROOT
from render import make_report, to_tab_text

from extract.run.export_parts import PARTITIONED

GONGKAI = str(Path(sys.executable).with_name("gongkai"))
ARTIFACTS = ROOT / "build" / "artifacts"
PANEL = {2022: 11, 2023: 12}
PUBLIC_MARTS = ("dim_reports", "dim_agencies", "fct_report_cells", "fct_proactive_disclosures", "fct_requests",
                "fct_request_outcomes", "fct_review_litigation", "fct_published_totals", "fct_report_metrics", "fct_agency_year_metrics",
                "fct_data_quality", "fct_corrections", "fct_parse_issues", "fct_load_errors", "fct_refresh_runs",
                "fct_fetch_log")


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    root = tmp_path_factory.mktemp("catalogue")
    folder = root / "reports"
    shutil.copytree(REPORTS, folder)
    (folder / "panel").mkdir()
    for year, seed in PANEL.items():
        (folder / "panel" / f"{year}.txt").write_bytes(to_tab_text(make_report("2021", year=year, seed=seed)))
    db = root / "warehouse" / "gongkai.duckdb"
    result = subprocess.run([GONGKAI, "refresh", "--reports", str(folder), "--db", str(db)],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "docs: " + str(db.parent / "docs" / "index.html") in result.stdout
    return db


def _chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if shutil.which(name):
            return shutil.which(name)
    pytest.skip("no Chromium on this machine (Debian: apt-get install chromium; scripts/system-deps.sh does it)")


def _browser(url: str, profile: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [_chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         f"--user-data-dir={profile}", "--virtual-time-budget=15000", *extra, url],
        capture_output=True, text=True, timeout=180, check=False)


def _rendered_text(dom: str) -> str:
    """What the page shows: the DOM without scripts (the static page embeds the manifest in one)."""
    dom = re.sub(r"<script\b.*?</script>|<style\b.*?</style>", "", dom, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", dom))


@pytest.mark.parametrize(("model", "column", "data_type", "description"), [
    ("fct_agency_year_metrics", "substantive_disclosure_rate", "DOUBLE", "Substantive disclosure rate"),
    ("fct_report_cells", "cell_state", "VARCHAR", "blank (an empty cell: not zero"),
    ("dim_reports", "quality_status", "VARCHAR", "Filter on it before comparing reports"),
])
def test_docs_site_renders_marts_and_columns_in_chromium(warehouse, tmp_path, model, column, data_type, description):
    index = warehouse.parent / "docs" / "index.html"
    url = f"{index.as_uri()}#!/model/model.gongkai.{model}"
    result = _browser(url, tmp_path / "profile", "--dump-dom")
    assert result.returncode == 0, result.stderr[-2000:]
    text = _rendered_text(result.stdout)
    assert f"gongkai.marts.{model}" in text
    assert "Access public" in text and "Contract Enforced" in text
    assert re.search(rf"{column} {data_type} ", text), f"{column} {data_type} not rendered"
    assert description in text
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shot = ARTIFACTS / f"docs-{model}.png"
    _browser(url, tmp_path / "profile2", f"--screenshot={shot}", "--window-size=1400,1000", "--hide-scrollbars")
    assert shot.exists() and shot.stat().st_size > 10_000


def test_docs_overview_page_renders(warehouse, tmp_path):
    result = _browser((warehouse.parent / "docs" / "index.html").as_uri() + "#!/overview", tmp_path / "p", "--dump-dom")
    text = _rendered_text(result.stdout)
    assert "What the data cannot say" in text and "Accounting identities" in text
    assert "这些数据不能说明什么" in text and "勾稽关系与数据质量检查" in text


def test_docs_site_renders_a_mart_in_chinese(warehouse, tmp_path):
    url = f"{(warehouse.parent / 'docs' / 'index.html').as_uri()}#!/model/model.gongkai.fct_requests"
    text = _rendered_text(_browser(url, tmp_path / "profile", "--dump-dom").stdout)
    assert "中文：表三“收到和处理政府信息公开申请情况”" in text


CJK = re.compile(r"[\u4e00-\u9fff]")


def _chinese_paragraph(description: str) -> str:
    """The description's Chinese paragraph (``中文：…``), empty when it has none."""
    return next((para for para in description.split("\n\n") if para.startswith("中文：")), "")


def test_every_public_mart_and_the_overview_read_in_chinese(manifest, warehouse):
    nodes, _ = manifest
    for node in nodes["nodes"].values():
        if node["resource_type"] == "model" and node["fqn"][1] == "marts":
            chinese = _chinese_paragraph(node["description"])
            assert len(CJK.findall(chinese)) >= 20, f"{node['name']} has no Chinese description"
            assert not node["description"].startswith("中文："), f"{node['name']}: the English comes first"
    overview = nodes["docs"]["doc.gongkai.__overview__"]["block_contents"]
    headings = [line for line in overview.splitlines() if line.startswith("## ")]
    assert len(headings) >= 8 and all(" · " in h and CJK.search(h.split(" · ")[1]) for h in headings), headings
    for section in re.split(r"^## ", overview, flags=re.M)[1:]:
        chinese = " ".join(line for line in section.splitlines() if line.startswith(">"))
        assert len(CJK.findall(chinese)) >= 30, f"the section {section.splitlines()[0]!r} has no Chinese paragraph"
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        comments = dict(con.execute("select table_name, comment from duckdb_tables() where schema_name = 'marts' "
                                    "union all select view_name, comment from duckdb_views() "
                                    "where schema_name = 'marts'").fetchall())
    finally:
        con.close()
    assert set(comments) == set(PUBLIC_MARTS)
    assert all(_chinese_paragraph(comment or "") for comment in comments.values()), comments


def test_docs_serve_on_localhost_only(warehouse):
    process = subprocess.Popen([GONGKAI, "docs", "--db", str(warehouse), "--serve", "--port", "0"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = process.stdout.readline()
        match = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        assert match, line
        deadline = time.time() + 20
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{match[1]}/index.html", timeout=5) as response:
                    body = response.read()
                break
            except OSError:
                if time.time() > deadline:
                    raise
                time.sleep(0.2)
        assert b"dbt" in body and len(body) > 100_000
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="module")
def manifest(warehouse):
    target = warehouse.parent / "dbt_target"
    return (json.loads((target / "manifest.json").read_text(encoding="utf-8")),
            json.loads((target / "catalog.json").read_text(encoding="utf-8")))


def test_every_model_source_and_column_is_described(manifest):
    nodes, catalog = manifest
    undocumented = []
    for unique_id, node in {**nodes["nodes"], **nodes["sources"]}.items():
        if node["resource_type"] not in ("model", "seed", "source"):
            continue
        if not node["description"].strip():
            undocumented.append(unique_id)
        built = catalog["nodes"].get(unique_id) or catalog["sources"].get(unique_id)
        assert built, f"{unique_id} not in the catalogue"
        for column in built["columns"]:
            if not node["columns"].get(column, {}).get("description", "").strip():
                undocumented.append(f"{unique_id}.{column}")
    assert undocumented == []
    assert "What the data cannot say" in nodes["docs"]["doc.gongkai.__overview__"]["block_contents"]


def test_every_model_has_a_primary_key_test_and_public_marts_have_contracts(manifest):
    nodes, _ = manifest
    tests = [n for n in nodes["nodes"].values() if n["resource_type"] == "test" and n.get("test_metadata")]
    keyed: dict[str, set[str]] = {}
    relationships: set[tuple[str, str]] = set()
    for test in tests:
        name = test["test_metadata"]["name"]
        model = test.get("attached_node")
        column = test.get("column_name")
        if name in ("unique", "not_null") and model:
            keyed.setdefault(f"{model}:{column}", set()).add(name)
        if name == "relationships" and model:
            relationships.add((model.split(".")[-1], column))
    models = [n for n in nodes["nodes"].values() if n["resource_type"] == "model"]
    combined = {test.get("attached_node") for test in tests if test["test_metadata"]["name"] == "unique_combination"}
    assert "model.gongkai.stg_raw__cells" in combined  # the cell key, by its four parts
    # a view of the cells passes stg_raw__cells' key and report through: tested there once (doc cell_tests)
    passes_cells = {model["name"] for model in models if model["config"]["materialized"] == "view" and any(
        "tested once, on `stg_raw__cells`" in column["description"] for column in model["columns"].values())}
    assert {"fct_report_cells", "int_cells_labelled"} <= passes_cells
    for model in models:
        assert any(k.startswith(model["unique_id"] + ":") and v == {"unique", "not_null"} for k, v in keyed.items()) \
            or model["unique_id"] in combined or model["name"] in passes_cells, f"{model['name']} has no primary-key test"
    marts = {m["name"]: m for m in models if m["fqn"][1] == "marts"}
    assert set(marts) == set(PUBLIC_MARTS)
    for name, model in marts.items():
        assert model["access"] == "public", name
        assert model["config"]["contract"]["enforced"], name
        assert all(column.get("data_type") for column in model["columns"].values()), name
    for name in PUBLIC_MARTS:
        if name.startswith("fct_") and name not in ("fct_load_errors", "fct_refresh_runs", *passes_cells):
            assert (name, "report_id") in relationships, f"{name}.report_id has no relationships test"
    unit_tests = [n for n in nodes["unit_tests"].values()]
    assert {u["model"] for u in unit_tests} >= {"int_measures_summed", "int_identities_checked", "fct_report_metrics"}


def _metrics(con, path) -> dict:
    cursor = con.execute("select m.* from marts.fct_agency_year_metrics m join marts.dim_reports d "
                         "using (report_id) where d.source_path = ?", [path])
    return dict(zip([c[0] for c in cursor.description], cursor.fetchone(), strict=True))


def test_metrics_match_the_tables_by_hand(warehouse):
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        huaian = _metrics(con, "szfgs2024.pdf")
        # 淮安市 2024 表三 总计 column: 3119 new, 34 carried over, 1362 + 454 disclosed of 3050, 103 carried forward.
        assert huaian["workload"] == 3119 + 34 and huaian["total_processed"] == 3050
        assert huaian["clearance_ratio"] == pytest.approx(3050 / 3153)
        assert huaian["carry_over_ratio"] == pytest.approx(103 / 3153)
        assert huaian["full_grant_rate"] == pytest.approx(1362 / 3050)
        assert huaian["substantive_disclosure_rate"] == pytest.approx((1362 + 454) / 3050)
        denied = 2 + 31 + 5 + 6 + 8 + 12 + 9 + 105
        assert huaian["denied"] == denied and huaian["denial_rate"] == pytest.approx(denied / 3050)
        assert huaian["merits_disclosure_rate"] == pytest.approx((1362 + 454) / (1362 + 454 + denied))
        assert huaian["denied_admin_query_share"] == pytest.approx(105 / denied)
        assert huaian["not_held_rate"] == pytest.approx(769 / 3050)
        assert huaian["reconsideration_rate"] == pytest.approx(351 / 3050)
        assert huaian["litigation_rate"] == pytest.approx((26 + 20) / 3050)
        assert huaian["reconsideration_correction_rate"] == pytest.approx(64 / (351 - 37))
        assert huaian["litigation_after_reconsideration_correction_rate"] == pytest.approx(1 / (20 - 6))
        assert not huaian["denial_rate_small_n"] and huaian["litigation_direct_correction_rate_small_n"]
        hongze = _metrics(con, "hzq2023_working.pdf")
        # 洪泽区 2023 prints 表四 复议 总计 0 beside 10 and 1: no concluded cases to divide by.
        assert hongze["reconsideration_closed"] == 0
        assert hongze["reconsideration_correction_rate"] is None
        assert hongze["denial_rate_small_n"] and hongze["reconsideration_correction_rate_small_n"]
        zhangdian = _metrics(con, "000_35face73a1b4546e.txt")
        # 000 has no 表四 and only 总计 cells: rates that need missing parts are NULL, not 0.
        for column in ("reconsideration_rate", "litigation_rate", "reconsideration_correction_rate"):
            assert zhangdian[column] is None, column
        long = con.execute("select count(*), count(metric_value) from marts.fct_report_metrics").fetchone()
        assert long[0] == 10 * 22 and 0 < long[1] < long[0]
    finally:
        con.close()


def test_quality_status_and_completeness(warehouse):
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        rows = dict(con.execute("select source_path, (quality_status, missing_tables, missing_rows) "
                                "from marts.dim_reports").fetchall())
        assert rows["002_ef120c27ccfc7a4f.txt"] == ("incomplete", 0, 8)
        assert rows["hzq2024_working.pdf"] == ("consistent", 0, 0)
        assert rows["szfgs2024.pdf"] == ("consistent", 0, 0)
        c2 = con.execute("select count(*) from marts.fct_data_quality q join marts.dim_reports d using (report_id) "
                         "where check_id = 'C2' and d.source_path like 'hzq%' and passed").fetchone()[0]
        assert c2 == 6, "one-row （六）其他处理 satisfies the 2021 template"
    finally:
        con.close()


def test_year_over_year_and_cross_year_checks_on_a_panel(warehouse):
    """Two years of one agency: YoY changes and the S1/S2 checks, against the generated tables."""
    first, second = (make_report("2021", year=year, seed=seed) for year, seed in PANEL.items())
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        row = _metrics(con, "panel/2023.txt")
        before = int(first.expected[(3, "new_received", "total")])
        after = int(second.expected[(3, "new_received", "total")])
        assert row["new_received_previous_year"] == before
        assert row["new_received_yoy_change"] == pytest.approx((after - before) / before)
        assert row["substantive_disclosure_rate_yoy_change"] == pytest.approx(
            row["substantive_disclosure_rate"] - _metrics(con, "panel/2022.txt")["substantive_disclosure_rate"])
        checks = dict(con.execute(
            "select check_id || ':' || subject, passed from marts.fct_data_quality q join marts.dim_reports d "
            "using (report_id) where d.source_path = 'panel/2023.txt' and check_family = 'cross_year'").fetchall())
        for col in ("natural_person", "commercial_enterprise", "total"):
            carried = first.expected[(3, "carried_forward", col)] == second.expected[(3, "carried_over", col)]
            assert checks[f"S1:{col}"] is carried
        for item in ("regulations", "normative_documents"):
            keys = [(2, item, k) for k in ("in_force", "issued", "repealed")]
            last, this = ([int(r.expected[k] or 0) if r.expected[k] else None for k in keys] for r in (first, second))
            if None in this or None in last:
                assert checks[f"S2:{item}"] is None
            else:
                assert checks[f"S2:{item}"] is (last[0] + this[1] - this[2] == this[0])
    finally:
        con.close()


def test_export_command_writes_every_mart(warehouse, tmp_path):
    result = subprocess.run([GONGKAI, "export", "--db", str(warehouse), "--out", str(tmp_path / "x"), "--csv"],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    names = {p.name for p in (tmp_path / "x").iterdir()}
    assert {m if m in PARTITIONED else f"{m}.parquet" for m in PUBLIC_MARTS} <= names
    assert {"fct_requests.csv", "_manifest.json"} <= names
    con = duckdb.connect()
    rows = con.execute("select count(*) from read_parquet(?, hive_partitioning = true)",
                       [str(tmp_path / "x" / "dim_reports" / "**" / "*.parquet")]).fetchone()[0]
    assert rows == 10


def test_exports_keep_the_marts_types(warehouse, tmp_path):
    """Parquet carries each mart's own column types (counts BIGINT, amounts DECIMAL, rates DOUBLE); the
    CSV prints counts as whole numbers, never 23.000000."""
    import csv

    result = subprocess.run([GONGKAI, "export", "--db", str(warehouse), "--out", str(tmp_path / "x"), "--csv"],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        for mart in PUBLIC_MARTS:
            published = con.execute(f"describe marts.{mart}").fetchall()
            files = tmp_path / "x" / (f"{mart}/**/*.parquet" if mart in PARTITIONED else f"{mart}.parquet")
            exported = con.execute("describe select * from read_parquet(?, hive_partitioning = false)",
                                   [str(files)]).fetchall()
            extra = [] if mart not in PARTITIONED else [("report_bucket", "INTEGER")] if any(
                r[0] == "report_year" for r in published) else [("report_year", "INTEGER"), ("report_bucket", "INTEGER")]
            assert [(r[0], r[1]) for r in exported] == [(r[0], r[1]) for r in published] + extra, mart
        counts = [r[0] for r in con.execute("select column_name from duckdb_columns() where schema_name = 'marts' "
                                            "and table_name = 'fct_requests' and data_type = 'BIGINT'").fetchall()]
    finally:
        con.close()
    assert {"new_received", "carried_over"} <= set(counts)
    with (tmp_path / "x" / "fct_requests.csv").open(encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    assert rows and all("." not in row[c] for row in rows for c in counts if row[c])
