"""A second process reading the published warehouse never blocks the pipeline and sees whole states."""

import json
import subprocess
import sys
import textwrap

import duckdb

from orchestration.demo.generator import generate

READER = textwrap.dedent("""
    import json, sys, time, duckdb
    path, stop = sys.argv[1], sys.argv[2]
    held = duckdb.connect(path, read_only=True)  # held open for the whole test
    seen_held, seen_fresh = set(), set()
    import os
    while not os.path.exists(stop):
        seen_held.add(held.execute("SELECT count(*), sum(rows_read) FROM raw._loads").fetchone()[1])
        try:
            with duckdb.connect(path, read_only=True) as fresh:
                seen_fresh.add(fresh.execute("SELECT sum(rows_read) FROM raw._loads").fetchone()[0])
        except duckdb.IOException:
            pass
        time.sleep(0.02)
    print(json.dumps({"held": sorted(seen_held), "fresh": sorted(seen_fresh)}))
""")


def test_pipeline_runs_twice_while_a_reader_holds_the_published_file(tmp_path, data_dir):
    sources = tmp_path / "network"
    generate(sources, plants=4, items=6, days=40)
    run = [sys.executable, "-m", "orchestration.cli", "run", "--config", str(sources / "network.yaml")]
    assert subprocess.run(run, capture_output=True, timeout=600).returncode == 0
    published = data_dir / "published" / "warehouse.duckdb"
    with duckdb.connect(str(published), read_only=True) as con:
        first_total = con.execute("SELECT sum(rows_read) FROM raw._loads").fetchone()[0]

    stop = tmp_path / "stop"
    reader = subprocess.Popen([sys.executable, "-c", READER, str(published), str(stop)], stdout=subprocess.PIPE,
                              text=True)
    # New source data arrives: a re-sent work-center file with one more work center.
    work_centers = next((sources / "DE3" / "generic" / "work_centers").glob("*.csv"))
    work_centers.write_text(work_centers.read_text() + "A9,Spare assembly cell,8.0\n")
    for _ in range(2):
        finished = subprocess.run(run, capture_output=True, text=True, timeout=600)
        assert finished.returncode == 0, finished.stderr[-2000:]
    stop.touch()
    seen = json.loads(reader.communicate(timeout=60)[0])
    with duckdb.connect(str(published), read_only=True) as con:
        final_total = con.execute("SELECT sum(rows_read) FROM raw._loads").fetchone()[0]
    assert final_total > first_total
    assert seen["held"] == [first_total]  # the held connection keeps its whole, old state
    assert set(seen["fresh"]) <= {first_total, final_total}  # fresh readers see old or new, nothing between
