"""The cost of lingua's first use: answers cached on disk, models loaded in a second process.

Neither may change a single answer: the TEI is byte-identical with and without them.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from toolkit.lang import cache as cache_module
from toolkit.lang import identify, modelproc
from toolkit.lang.cache import ScoreCache, default_path, make_key
from toolkit.lang.identify import LinguaEngine, RuleFirstIdentifier, lingua_scores

ROOT = Path(__file__).resolve().parent.parent
LANGS = ("nl", "en", "de", "ru")
# Short fragments that need the high-accuracy models (see test_langid), and some that do not.
FRAGMENTS = ["Haftbedingungen", "strenge Haftbedingungen", "Russische Polizei", "Human Rights", "Samenvatting",
             "rate is falling", "Kommersant", "in the", "De rechtbank wees het beroep af.", "Повестка", "FSB"]


def model_processes() -> set[int]:
    """PIDs of model processes started from this source tree (not from another checkout's)."""
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                cmdline = (entry / "cmdline").read_bytes().decode("utf-8", "replace")
            except OSError:
                continue
            if "toolkit.lang.modelproc import main" in cmdline and str(ROOT) in cmdline:
                found.add(int(entry.name))
    return found


def same_scores(these: list[dict[str, float]], those: list[dict[str, float]]) -> bool:
    """lingua's scores, up to the last bits: lingua itself varies there from call to call (its
    sums run in no fixed order). Whatever passes through JSON keeps every bit and the order."""
    return [list(s) for s in these] == [list(s) for s in those] and these == [
        pytest.approx(s, rel=1e-12, abs=1e-300) for s in those
    ]


def gone(pid: int, within: float = 10.0) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            status = Path(f"/proc/{pid}/stat").read_text().split()[2]
        except OSError:
            return True
        if status == "Z":  # ended, waiting for a parent that is not ours to reap it
            return True
        time.sleep(0.05)
    return False


@pytest.fixture()
def cache_file(tmp_path, monkeypatch):
    path = tmp_path / "cache" / "langid.sqlite3"
    monkeypatch.setenv("COITOOL_LANGID_CACHE", str(path))
    return path


@pytest.fixture()
def no_lingua_here(monkeypatch):
    """Fail if lingua runs in this process."""

    def refuse(*args, **kwargs):
        raise AssertionError("lingua ran in the main process")

    monkeypatch.setattr(identify, "lingua_scores", refuse)


# --- the cache ---------------------------------------------------------------------------------


def test_cache_location_follows_xdg_and_can_be_turned_off(monkeypatch, tmp_path):
    monkeypatch.delenv("COITOOL_LANGID_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert default_path() == tmp_path / "coitool" / "langid.sqlite3"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/ignored")  # the XDG spec: relative paths are invalid
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert default_path() == tmp_path / "home" / ".cache" / "coitool" / "langid.sqlite3"
    monkeypatch.setenv("COITOOL_LANGID_CACHE", "off")
    assert default_path() is None and cache_module.default_cache() is None


def test_cache_keeps_scores_exactly_and_in_order(tmp_path):
    cache = ScoreCache(tmp_path / "c.sqlite3")
    scores = lingua_scores(["Russische Polizei", "Human Rights"], ("de", "en", "nl"), accurate=True)
    keys = [make_key("lingua", "x", "accurate", ["de", "en", "nl"], text) for text in ("Russische Polizei", "Human Rights")]
    assert cache.put_many(dict(zip(keys, scores)))
    again = ScoreCache(tmp_path / "c.sqlite3").get_many(keys + [make_key("missing")])
    assert [again[k] for k in keys] == scores
    assert [list(again[k]) for k in keys] == [list(s) for s in scores]  # ties are broken by this order
    assert make_key("a", ["b"]) != make_key("a", "b") and len(make_key("a")) == 16
    # no text of a report is stored, only hashes and scores
    raw = (tmp_path / "c.sqlite3").read_bytes()
    assert b"Polizei" not in raw and b"Human" not in raw


def test_cache_is_bounded_least_recently_used_first(tmp_path, monkeypatch):
    cache = ScoreCache(tmp_path / "c.sqlite3", max_entries=100)
    clock = [1_000_000]
    monkeypatch.setattr(cache_module.time, "time", lambda: clock[0])
    first = {make_key(i): {"nl": 1.0} for i in range(60)}
    cache.put_many(first)
    clock[0] += 2 * cache_module.USED_RESOLUTION
    kept = [make_key(i) for i in range(10)]
    assert len(cache.get_many(kept)) == 10  # used again: stamped
    clock[0] += 1
    cache.put_many({make_key(i): {"en": 1.0} for i in range(60, 120)})
    assert cache.count() <= 100
    assert len(cache.get_many(kept)) == 10  # recently used: kept
    assert len(cache.get_many([make_key(i) for i in range(60, 120)])) == 60  # newest: kept
    assert len(cache.get_many([make_key(i) for i in range(10, 60)])) < 50  # oldest unused: pruned


def test_damaged_or_unusable_cache_never_fails_a_run(tmp_path):
    path = tmp_path / "c.sqlite3"
    path.write_bytes(b"this is not a database" * 100)
    cache = ScoreCache(path)
    assert cache.get_many([make_key(1)]) == {}
    assert cache.put_many({make_key(1): {"nl": 0.5}})  # replaced by a new one
    assert ScoreCache(path).get_many([make_key(1)]) == {make_key(1): {"nl": 0.5}}
    # a row that is not ours is a miss
    with sqlite3.connect(path) as db:
        db.execute("UPDATE scores SET value = '[1, 2]'")
    assert ScoreCache(path).get_many([make_key(1)]) == {}
    # a folder that cannot be created: no cache, no error
    blocked = tmp_path / "file"
    blocked.write_text("x")
    unusable = ScoreCache(blocked / "sub" / "c.sqlite3")
    assert unusable.get_many([make_key(1)]) == {} and not unusable.put_many({make_key(1): {"nl": 1.0}})


def _writer(path: str, start: int) -> None:
    cache = ScoreCache(Path(path))
    for batch in range(10):
        items = {make_key(start, batch, i): {"nl": 0.25, "en": 0.75} for i in range(20)}
        assert cache.put_many(items)
        assert len(cache.get_many(list(items))) == 20


def test_cache_is_safe_under_concurrent_processes(tmp_path):
    path = str(tmp_path / "c.sqlite3")
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_writer, args=(path, n)) for n in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
    assert [worker.exitcode for worker in workers] == [0, 0, 0, 0]
    assert ScoreCache(Path(path)).count() == 4 * 10 * 20


def test_identifier_answers_from_the_cache_without_loading_models(cache_file, monkeypatch):
    monkeypatch.setattr(modelproc, "current", lambda: None)
    first = RuleFirstIdentifier(LinguaEngine(LANGS), LANGS, prior="nl").detect_many(FRAGMENTS)
    stored = ScoreCache(cache_file).count()
    assert stored >= 10  # kept even though the models were at hand (then lingua answers, not the cache)
    # a new process: no model loaded, every answer on disk
    monkeypatch.setattr(identify, "_loaded", {False: set(), True: set()})
    monkeypatch.setattr(identify, "lingua_scores", lambda *a, **k: pytest.fail("lingua ran despite the cache"))
    engine = LinguaEngine(LANGS)
    assert RuleFirstIdentifier(engine, LANGS, prior="nl").detect_many(FRAGMENTS) == first
    assert engine.unsaved == 0 and ScoreCache(cache_file).count() == stored
    # a fragment not seen before needs lingua; with the cache off, every one does
    with pytest.raises(pytest.fail.Exception):
        RuleFirstIdentifier(LinguaEngine(LANGS), LANGS, prior="nl").detect_many(["Menschenrechte"])
    monkeypatch.setenv("COITOOL_LANGID_CACHE", "off")
    with pytest.raises(pytest.fail.Exception):
        RuleFirstIdentifier(LinguaEngine(LANGS), LANGS, prior="nl").detect_many(FRAGMENTS)


# --- the model process ---------------------------------------------------------------------------


def test_model_process_gives_lingua_s_answers_and_ends_with_its_pipe():
    proc = modelproc.ModelProcess()
    try:
        proc.plan([(False, ("de", "nl"))])
        texts = ["Haftbedingungen", "strenge Haftbedingungen", "De rechtbank wees het beroep af."]
        for accurate in (False, True):
            remote = proc.scores(texts, ("de", "nl"), accurate)
            local = lingua_scores(texts, ("de", "nl"), accurate)
            assert same_scores(remote, local)
        assert proc.scores(["x"], ("xx", "nl"), True) is None  # an error there: stopped, the caller works alone
        assert not proc.alive
    finally:
        proc.stop()
    # closing the pipe ends it, even while it is loading models
    proc = modelproc.ModelProcess()
    proc.plan([(True, ("de",)), (True, ("en",))])
    proc._proc.stdin.close()
    assert proc._proc.wait(10) == 0
    proc.stop()


def test_preload_waits_for_nothing_when_the_document_was_cached(tmp_path):
    cache = ScoreCache(tmp_path / "c.sqlite3")
    pdf = tmp_path / "r.pdf"
    pdf.write_bytes(b"%PDF-1.4 a report")
    document = {"source": str(pdf), "cache": str(cache.path), "identity": ["lingua", "v"]}
    steps = [[False, ["de", "en", "nl"]], [True, ["nl"]]]
    preloader = modelproc._Preloader()
    preloader.plan({"plan": steps, "document": document})
    assert preloader.pending == [(False, ("de", "en", "nl")), (True, ("nl",))]
    from toolkit.io import sha256_of

    cache.add_document(make_key("document", sha256_of(pdf), "lingua", "v"))
    cached = modelproc._Preloader()
    cached.plan({"plan": steps, "document": document})
    assert cached.pending == []
    cached.plan({"plan": steps, "document": None})  # another document of the same run: loads
    assert len(cached.pending) == 2


def test_dead_model_process_falls_back_to_this_process(monkeypatch):
    monkeypatch.setenv("COITOOL_LANGID_CACHE", "off")
    expected = lingua_scores(["strenge Haftbedingungen"], ("de", "nl"), True)
    proc = modelproc.start([(False, ("de", "en", "nl"))])
    assert proc is not None and modelproc.current() is proc
    try:
        os.kill(proc.pid, signal.SIGKILL)
        proc._proc.wait(10)
        assert modelproc.current() is None
        engine = LinguaEngine(LANGS)
        assert same_scores(engine.scores(["strenge Haftbedingungen"], ("de", "nl")), expected)
        # one that stops answering mid-request is the same
        proc = modelproc.start([])
        monkeypatch.setattr(modelproc, "REPLY_TIMEOUT", 0.0)
        os.kill(proc.pid, signal.SIGSTOP)
        assert same_scores(engine.scores(["strenge Haftbedingungen"], ("de", "nl")), expected)
        assert gone(proc.pid)
    finally:
        modelproc.stop()


def test_forked_child_leaves_the_parent_s_model_process_alone():
    proc = modelproc.start([])
    try:
        pid = os.fork()
        if pid == 0:  # the child: no model process of its own until it starts one
            os._exit(0 if modelproc.current() is None else 1)
        assert os.waitpid(pid, 0)[1] == 0
        assert modelproc.current() is proc and proc.alive
        assert proc.scores(["Haftbedingungen"], ("de", "nl"), False) is not None
    finally:
        modelproc.stop()


def test_model_process_never_outlives_its_parent(tmp_path):
    code = (
        "import sys, time\n"
        "from toolkit.lang import modelproc\n"
        "proc = modelproc.start([(True, ('de',)), (True, ('en',)), (True, ('nl',))])\n"
        "print(proc.pid, flush=True)\n"
        "time.sleep(60)\n"
    )
    parent = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, cwd=ROOT, text=True)
    child = int(parent.stdout.readline())
    assert child in model_processes()
    parent.kill()  # no atexit, no cleanup: only the closed pipe tells it
    parent.wait()
    assert gone(child)


def test_extract_cli_leaves_no_process_behind_and_help_starts_none(make_report, tmp_path):
    pdf, _truth = make_report(chapters=1)
    before = model_processes()
    env = dict(os.environ, COITOOL_LANGID_CACHE=str(tmp_path / "c.sqlite3"), COITOOL_LANGID_PROCESS="on")
    for args in (["extract", str(pdf), "-o", str(tmp_path / "one.xml")],
                 ["extract", str(pdf), str(pdf.with_name("copy.pdf")), "--out-dir", str(tmp_path / "batch"), "-j", "2"]):
        if len(args) > 4:
            pdf.with_name("copy.pdf").write_bytes(pdf.read_bytes())
        command = [sys.executable, "-c", "from toolkit.cli import main; main()", *args]
        result = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
        assert "Traceback" not in result.stderr
        assert all(gone(pid, within=0.5) for pid in model_processes() - before)
    code = "import sys, toolkit.cli; toolkit.cli.main(['--help'])"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert "extract" in result.stdout
    code = (
        "import sys\nfrom click.testing import CliRunner\nimport toolkit.cli\n"
        "CliRunner().invoke(toolkit.cli.main, ['--help'])\nCliRunner().invoke(toolkit.cli.main, ['extract', '--help'])\n"
        "print(sorted(m for m in ('toolkit.lang.modelproc', 'toolkit.lang.cache', 'sqlite3', 'lingua') if m in sys.modules))\n"
    )
    assert subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True).stdout.strip() == "[]"


def test_no_model_process_where_it_cannot_help(monkeypatch):
    monkeypatch.setenv("COITOOL_LANGID_PROCESS", "off")
    assert not modelproc.wanted()
    monkeypatch.delenv("COITOOL_LANGID_PROCESS")
    monkeypatch.setattr(os, "getloadavg", lambda: (0.5, 0.5, 0.5))
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1})
    assert modelproc.wanted()
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0})  # one core
    assert not modelproc.wanted()
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1})
    monkeypatch.setattr(os, "getloadavg", lambda: (1.5, 0.5, 0.5))  # the second core is busy
    assert not modelproc.wanted()
    monkeypatch.setenv("COITOOL_LANGID_PROCESS", "on")
    assert modelproc.wanted()
    monkeypatch.undo()
    started = []
    monkeypatch.setattr(modelproc, "start", lambda *a, **k: started.append(a))
    identify.warm_up("langdetect")
    monkeypatch.setattr(LinguaEngine, "models_loaded", lambda self: True)
    identify.warm_up("lingua")
    assert started == []


# --- the same TEI, whichever way the scores came ----------------------------------------------


def _tei(pdf: Path) -> bytes:
    from toolkit.extract.pipeline import extract
    from toolkit.tei import document_to_tei, serialize

    return serialize(document_to_tei(extract(pdf)))


def _in_fresh_process(pdf: Path, env: dict[str, str], check: str = "") -> bytes:
    """The TEI of ``pdf`` extracted in a new interpreter (no models loaded yet), as the CLI would."""
    code = (
        "import sys\n"
        "sys.path.insert(0, %r)\n"
        "from test_langid_coldstart import _tei\n"
        "from toolkit.lang import modelproc, identify\n"
        "tei = _tei(%r)\n"
        "%s\n"
        "sys.stdout.buffer.write(tei)\n"
    ) % (str(Path(__file__).parent), str(pdf), check)
    result = subprocess.run([sys.executable, "-c", code], env={**os.environ, **env}, cwd=ROOT, capture_output=True)
    assert result.returncode == 0, result.stderr.decode()
    return result.stdout


def test_tei_is_identical_with_model_process_and_cache(make_report, tmp_path):
    pdf, _truth = make_report(chapters=1)
    cache = str(tmp_path / "c.sqlite3")
    plain = _in_fresh_process(pdf, {"COITOOL_LANGID_CACHE": "off", "COITOOL_LANGID_PROCESS": "off"},
                              "assert modelproc.current() is None")
    used_process = (
        "proc = modelproc.current()\n"
        "assert proc is not None and proc.requests > 0 and not identify._lingua_detectors, 'lingua ran here'\n"
        "assert [[True, ['nl', 'en', 'de']]] == [step for step in proc.status()['loaded'] if step[0]]"
    )
    with_process = _in_fresh_process(pdf, {"COITOOL_LANGID_CACHE": cache, "COITOOL_LANGID_PROCESS": "on"}, used_process)
    # the document is remembered: the second run finds every answer on disk and loads no model anywhere
    from_cache = _in_fresh_process(
        pdf, {"COITOOL_LANGID_CACHE": cache, "COITOOL_LANGID_PROCESS": "on"},
        "proc = modelproc.current()\n"
        "assert proc.requests == 0 and proc.status() == {'loaded': [], 'pending': []}, proc.status()\n"
        "assert not identify._lingua_detectors, 'lingua ran despite the cache'",
    )
    assert b'xml:lang="en"' in plain or b"xml:lang='en'" in plain
    assert with_process == plain
    assert from_cache == plain
