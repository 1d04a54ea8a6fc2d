"""What a refresh shows while it runs: plain lines off a terminal, a rich bar with node counts on one."""

from __future__ import annotations

import os
import pty
import re
import shutil
import subprocess

from conftest import GONGKAI, REPORTS, SEEDS

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")  # anything but tab and newline


def test_off_a_terminal_the_refresh_prints_plain_lines_with_every_dbt_node(sample_warehouse):
    out = sample_warehouse.refresh.stdout + sample_warehouse.refresh.stderr
    assert not _CONTROL.search(out), "no escape sequences or carriage returns in a log"
    assert f"  loaded  {SEEDS['003']}: 198 cells, 0 parse issues" in out
    assert "  failed  broken.txt: empty_file" in out
    nodes = [tuple(map(int, m)) for m in re.findall(r"^  dbt (\d+) of (\d+) ", out, re.M)]
    total = nodes[0][1]
    assert total > 100 and sorted(nodes) == [(i, total) for i in range(1, total + 1)]
    assert f"gongkai refresh: dbt build: {total} nodes done" in out


def test_on_a_terminal_the_refresh_shows_bars_with_counts_rate_and_eta(tmp_path):
    folder = tmp_path / "reports"
    folder.mkdir()
    for seed in ("001", "003"):
        shutil.copy(REPORTS / SEEDS[seed], folder / SEEDS[seed])
    master, slave = pty.openpty()
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "160", "LINES": "40"}
    env.pop("NO_COLOR", None)
    process = subprocess.Popen([GONGKAI, "refresh", "--reports", str(folder), "--db", str(tmp_path / "w" / "g.duckdb")],
                               stdin=slave, stdout=slave, stderr=slave, env=env, close_fds=True)
    os.close(slave)
    chunks = []
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(master)
    assert process.wait(timeout=600) == 0
    screen = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", b"".join(chunks).decode("utf-8", "replace"))
    frames = re.split(r"[\r\n]", screen)
    assert any(re.search(r"extracting .*2/2 .*files/s .*eta", frame) for frame in frames), screen[-2000:]
    finished = [m.groups() for frame in frames if (m := re.search(r"dbt build \W*(\d+)/(\d+) .*nodes/s .*eta", frame))]
    assert finished and finished[-1][0] == finished[-1][1] and int(finished[-1][1]) > 100
    assert any(done != total for done, total in finished), "the bar moves during the build"
    assert "  dbt 1 of " not in screen, "on a terminal the bar replaces the per-node lines"
    assert "reports loaded: 2" in screen
