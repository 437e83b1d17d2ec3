"""Batches: mirrored output trees, skipping what is up to date, the manifest, crashed and hung
workers, stop signals, the bytes API and Dask, on generated reports."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from toolkit.cli import main

COITOOL = str(Path(sys.executable).with_name("coitool"))
MANIFEST_FIELDS = {"input", "sha256", "output", "status", "notes", "warnings", "error", "seconds", "worker"}


def run(*args, **kwargs):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False, **kwargs)


def run_process(*args, env_extra=None, timeout=120):
    env = dict(os.environ, **(env_extra or {}))
    return subprocess.run([COITOOL, *map(str, args)], capture_output=True, text=True, env=env, timeout=timeout)


def digest(path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def manifest(path) -> list[dict]:
    return [json.loads(line) for line in Path(path).read_text().splitlines()]


@pytest.fixture(scope="session")
def reports(tmp_path_factory):
    """Three different generated reports (seeds 1-3), each a few pages."""
    from toolkit.sample.generator import build_report

    folder = tmp_path_factory.mktemp("batch-reports")
    paths = []
    for seed in (1, 2, 3):
        path = folder / f"seed{seed}.pdf"
        build_report(path, seed=seed, chapters=1, target_pages=3)
        paths.append(path)
    return paths


@pytest.fixture()
def tree(tmp_path, reports):
    """in/a/report.pdf, in/b/report.pdf (same name, other report) and loose.pdf."""
    (tmp_path / "in" / "a").mkdir(parents=True)
    (tmp_path / "in" / "b").mkdir()
    shutil.copy(reports[0], tmp_path / "in" / "a" / "report.pdf")
    shutil.copy(reports[1], tmp_path / "in" / "b" / "report.pdf")
    shutil.copy(reports[2], tmp_path / "loose.pdf")
    return tmp_path


def outputs(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_mirrored_tree_and_manifest(tree):
    out, log = tree / "out", tree / "run.jsonl"
    result = run("extract", tree / "in", tree / "loose.pdf", "--out-dir", out, "--no-langid", "--jobs", "2",
                 "--manifest", log)
    assert result.exit_code == 0, result.output
    assert sorted(outputs(out)) == ["a/report.tei.xml", "b/report.tei.xml", "loose.tei.xml"]
    assert outputs(out)["a/report.tei.xml"] != outputs(out)["b/report.tei.xml"]
    assert "3 of 3 files extracted, 0 failed." in result.output
    lines = manifest(log)
    assert len(lines) == 3
    from toolkit.api import extract_bytes

    for line in lines:
        assert MANIFEST_FIELDS <= set(line)
        assert line["status"] == "ok" and line["error"] is None
        assert line["sha256"] == digest(line["input"])
        assert Path(line["output"]).is_file() and line["seconds"] > 0 and line["worker"].isdigit()
        expected = extract_bytes(Path(line["input"]).read_bytes(), "x.pdf", languages=False).summary
        assert line["notes"] == expected["notes"] > 0 and line["pages"] == expected["pages"]
    # the manifest is appended to, never overwritten
    assert run("extract", tree / "loose.pdf", "--out-dir", out, "--no-langid", "--manifest", log).exit_code == 0
    assert len(manifest(log)) == 4


def test_two_inputs_for_one_output_is_a_usage_error(tree):
    result = run("extract", tree / "in" / "a" / "report.pdf", tree / "in" / "b" / "report.pdf",
                 "--out-dir", tree / "out", "--no-langid")
    assert result.exit_code == 2
    assert "would both write" in result.output
    assert not (tree / "out").exists()


def test_skip_existing(tree, reports):
    out, log = tree / "out", tree / "run.jsonl"
    args = ["extract", tree / "in", tree / "loose.pdf", "--out-dir", out, "--no-langid", "--skip-existing", "--jobs", "2"]
    assert run(*args).exit_code == 0
    before = {p: p.stat().st_mtime_ns for p in out.rglob("*.xml")}
    result = run(*args, "--manifest", log)
    assert result.exit_code == 0, result.output
    assert "0 of 3 files extracted, 3 skipped (up to date), 0 failed." in result.output
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*.xml")} == before
    assert [line["status"] for line in manifest(log)] == ["skipped"] * 3
    # a changed input is redone, the others still skipped
    shutil.copy(reports[2], tree / "in" / "a" / "report.pdf")
    result = run(*args, "--manifest", log)
    assert "1 of 3 files extracted, 2 skipped (up to date), 0 failed." in result.output
    redone = [line for line in manifest(log)[3:] if line["status"] == "ok"]
    assert [Path(line["input"]).parts[-2:] for line in redone] == [("a", "report.pdf")]
    assert digest(reports[2]) in (out / "a" / "report.tei.xml").read_text()
    # other options: everything is redone
    result = run("extract", tree / "loose.pdf", "--out-dir", out, "--langid", "langdetect", "--skip-existing")
    assert result.exit_code == 0 and "skipped" not in result.output
    assert "langid=langdetect" in (out / "loose.tei.xml").read_text()


def test_skip_existing_needs_tei(tree):
    assert run("extract", tree / "loose.pdf", "--format", "json", "--skip-existing").exit_code == 2


def test_a_crashing_worker_marks_its_file_and_the_rest_goes_on(tree):
    out, log = tree / "out", tree / "run.jsonl"
    result = run_process("extract", tree / "in", tree / "loose.pdf", "--out-dir", out, "--no-langid", "--jobs", "1",
                         "--manifest", log, env_extra={"COITOOL_TEST_CRASH_ON": "loose.pdf"})
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "2 of 3 files extracted, 1 failed (1 crashed)." in result.stderr
    statuses = {Path(line["input"]).relative_to(tree).as_posix(): line["status"] for line in manifest(log)}
    assert statuses == {"in/a/report.pdf": "ok", "in/b/report.pdf": "ok", "loose.pdf": "crashed"}
    assert sorted(outputs(out)) == ["a/report.tei.xml", "b/report.tei.xml"]


def test_timeout_kills_the_worker_and_a_fresh_one_continues(tree):
    out, log = tree / "out", tree / "run.jsonl"
    started = time.monotonic()
    result = run_process("extract", tree / "in", tree / "loose.pdf", "--out-dir", out, "--no-langid", "--jobs", "1",
                         "--timeout", "4", "--manifest", log, env_extra={"COITOOL_TEST_SLEEP_ON": "report.pdf:60"})
    assert time.monotonic() - started < 40  # two 60 s sleeps would have taken two minutes
    assert result.returncode == 1 and "Traceback" not in result.stderr
    lines = manifest(log)
    assert sorted(line["status"] for line in lines) == ["ok", "timeout", "timeout"]
    assert all(line["seconds"] >= 4 for line in lines if line["status"] == "timeout")
    assert "1 of 3 files extracted, 2 failed (2 timeout)." in result.stderr
    assert sorted(outputs(out)) == ["loose.tei.xml"]


def test_files_from_stdin(tree):
    listing = f"# reports to do\n\n{tree / 'in' / 'b' / 'report.pdf'}\n   \n{tree / 'loose.pdf'}\n"
    result = run("extract", "--files-from", "-", "--out-dir", tree / "out", "--no-langid", input=listing)
    assert result.exit_code == 0, result.output
    assert sorted(outputs(tree / "out")) == ["loose.tei.xml", "report.tei.xml"]


def test_extract_bytes_is_extract_byte_for_byte(tree, tmp_path):
    from toolkit import Result, extract_bytes

    path = tree / "loose.pdf"
    assert run("extract", path, "--no-langid", "-o", tmp_path / "file.tei.xml").exit_code == 0
    result = extract_bytes(path.read_bytes(), "loose.pdf", languages=False)
    assert isinstance(result, Result)
    assert result.data == (tmp_path / "file.tei.xml").read_bytes()
    assert result.summary["pages"] > 1 and result.summary["warnings"] == len(result.warnings)
    assert digest(path) in result.data.decode()
    from toolkit.errors import InputError

    with pytest.raises(InputError, match="upload.pdf: not a PDF"):
        extract_bytes(b"hello", "upload.pdf")


def test_extract_bytes_from_threads(tree):
    from concurrent.futures import ThreadPoolExecutor

    from toolkit.api import extract_bytes

    data = (tree / "loose.pdf").read_bytes()
    with ThreadPoolExecutor(2) as pool:
        results = list(pool.map(lambda _: extract_bytes(data, "loose.pdf", languages=False).data, range(2)))
    assert results[0] == results[1]


def _workers(pid: int) -> set[int]:
    """The worker processes among ``pid``'s children (not multiprocessing's resource tracker)."""
    found = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        for child in (task / "children").read_text().split():
            if b"spawn_main" in Path(f"/proc/{child}/cmdline").read_bytes():
                found.add(int(child))
    return found


def _alive(pid: int) -> bool:
    """A process that exists and is no zombie (one the container's init never reaps)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.parametrize("signum, status", [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_a_stop_signal_ends_the_batch_cleanly(tree, signum, status):
    out, log = tree / "out", tree / "run.jsonl"
    env = dict(os.environ, COITOOL_TEST_SLEEP_ON="loose.pdf:60")
    proc = subprocess.Popen([COITOOL, "extract", tree / "in", tree / "loose.pdf", "--out-dir", out, "--no-langid",
                             "--jobs", "2", "--manifest", log], env=env, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not (log.exists() and len(log.read_text().splitlines()) >= 2):
        time.sleep(0.2)
    workers = _workers(proc.pid)
    assert workers, "no worker processes"
    proc.send_signal(signum)
    _, stderr = proc.communicate(timeout=30)
    assert proc.returncode == status
    assert "Traceback" not in stderr and f"Stopped by {signum.name}: 1 files not done." in stderr
    assert [pid for pid in workers if _alive(pid)] == []
    assert sorted(outputs(out)) == ["a/report.tei.xml", "b/report.tei.xml"]  # no partial or temporary file
    assert [line["status"] for line in manifest(log)] == ["ok", "ok"]


def test_dask_local_cluster_gives_the_same_outputs(tree):
    pytest.importorskip("distributed")
    args = [tree / "in", tree / "loose.pdf", "--no-langid", "--jobs", "2"]
    assert run("extract", *args, "--out-dir", tree / "pool").exit_code == 0
    log = tree / "dask.jsonl"
    result = run_process("extract", *args, "--out-dir", tree / "dask", "--dask", "local", "--manifest", log,
                         env_extra={"COITOOL_TEST_CRASH_ON": "nothing.pdf"})
    assert result.returncode == 0, result.stderr
    assert outputs(tree / "dask") == outputs(tree / "pool")
    lines = manifest(log)
    assert [line["status"] for line in lines] == ["ok"] * 3
    assert all(line["worker"].startswith("tcp://127.0.0.1:") for line in lines)


def test_dask_crash_marks_the_file_crashed(tree):
    pytest.importorskip("distributed")
    log = tree / "dask.jsonl"
    result = run_process("extract", tree / "in", tree / "loose.pdf", "--no-langid", "--jobs", "2", "--out-dir",
                         tree / "dask", "--dask", "local", "--manifest", log, env_extra={"COITOOL_TEST_CRASH_ON": "loose.pdf"})
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "2 of 3 files extracted, 1 failed (1 crashed)." in result.stderr
    assert sorted(line["status"] for line in manifest(log)) == ["crashed", "ok", "ok"]


def test_dask_missing_is_one_line(tree, monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)
    result = run("extract", tree / "loose.pdf", "--out-dir", tree / "out", "--dask", "local")
    assert result.exit_code == 1
    assert result.output.strip() == "Error: --dask needs dask.distributed: pip install 'coitool[dask]'"


def test_translate_and_validate_several_files(tree):
    tei = tree / "tei"
    assert run("extract", tree / "in", "--out-dir", tei, "--no-langid").exit_code == 0
    log = tree / "translate.jsonl"
    args = ["translate", tei, "--to", "en", "--no-cache", "--out-dir", tree / "en", "--skip-existing", "--manifest", log,
            "--jobs", "2"]
    result = run(*args)
    assert result.exit_code == 0, result.output
    assert sorted(outputs(tree / "en")) == ["a/report.en.tei.xml", "b/report.en.tei.xml"]
    from toolkit.tei.header import read_header_record

    record = read_header_record(tree / "en" / "a" / "report.en.tei.xml")
    assert record.translation.sha256 == digest(tei / "a" / "report.tei.xml")
    assert record.translation.options.startswith("Options: to=en, what=titles")
    assert record.extraction.sha256 == digest(tree / "in" / "a" / "report.pdf")
    assert "0 of 2 files translated, 2 skipped (up to date)" in run(*args).output
    (tei / "b" / "report.tei.xml").write_bytes((tei / "b" / "report.tei.xml").read_bytes().replace(b"</body>", b"<p>Nieuw.</p></body>"))
    assert "1 of 2 files translated, 1 skipped (up to date)" in run(*args).output
    statuses = [line["status"] for line in manifest(log)]
    assert statuses[:4] == ["ok", "ok", "skipped", "skipped"] and sorted(statuses[4:]) == ["ok", "skipped"]
    from toolkit.tei import validate_file

    assert validate_file(tree / "en" / "a" / "report.en.tei.xml") == []  # tei_all too: the header records are valid TEI

    broken = tree / "en" / "broken.en.tei.xml"
    broken.write_text((tree / "en" / "a" / "report.en.tei.xml").read_text().replace("<body>", '<body><p><ref target="#nowhere">x</ref></p>', 1))
    listing = tree / "list.txt"
    listing.write_text(f"{tree / 'en' / 'a' / 'report.en.tei.xml'}\n{broken}\n")
    result = run("validate", tree / "en" / "b", "--files-from", listing, "--no-schema", "--jobs", "2",
                 "--manifest", tree / "validate.jsonl")
    assert result.exit_code == 1
    assert "points nowhere" in result.output
    assert "2 of 3 files valid, 1 failed." in result.output
    statuses = {Path(line["input"]).name: line["status"] for line in manifest(tree / "validate.jsonl")}
    assert statuses == {"report.en.tei.xml": "ok", "broken.en.tei.xml": "failed"}


def test_urls_go_through_fsspec(tree):
    pytest.importorskip("fsspec")
    source, target = f"file://{tree / 'in'}", f"file://{tree / 'url-out'}"
    args = ["extract", source, "--out-dir", target, "--no-langid", "--skip-existing", "--manifest", tree / "url.jsonl"]
    assert run(*args).exit_code == 0
    assert sorted(outputs(tree / "url-out")) == ["a/report.tei.xml", "b/report.tei.xml"]
    assert "2 skipped (up to date)" in run(*args).output
    lines = manifest(tree / "url.jsonl")
    assert [line["status"] for line in lines] == ["ok", "ok", "skipped", "skipped"]
    assert {(line["input"], line["output"]) for line in lines} == {
        (f"{source}/{d}/report.pdf", f"{target}/{d}/report.tei.xml") for d in "ab"}
