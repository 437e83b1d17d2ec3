"""Shared fixtures: generated reports (one per layout style), extracted once per session."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def report_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("reports")


@pytest.fixture(scope="session")
def make_report(report_dir):
    """Build (once) a generated report for a style and return (pdf path, truth)."""
    from toolkit.sample.generator import build_report

    cache: dict = {}

    def make(style: str = "default", **options):
        key = (style, tuple(sorted(options.items())))
        if key not in cache:
            path = report_dir / f"{style}-{len(cache)}.pdf"
            truth = build_report(path, style=style, **options)
            cache[key] = (path, truth)
        return cache[key]

    return make


@pytest.fixture(scope="session")
def extracted(make_report):
    """(document, truth, pdf path) for a style, extracted once without language tagging."""
    from toolkit.extract.pipeline import extract

    cache: dict = {}

    def get(style: str = "default"):
        if style not in cache:
            path, truth = make_report(style)
            cache[style] = (extract(path, languages=False, citations=False), truth, path)
        return cache[style]

    return get


@pytest.fixture()
def small_pdf(tmp_path):
    """A plain two-page PDF with a text layer."""
    import pymupdf

    path = tmp_path / "small.pdf"
    doc = pymupdf.open()
    for i in range(2):
        page = doc.new_page()
        page.insert_text((72, 100), f"Dit is pagina {i + 1} van een klein verslag.", fontsize=11)
    doc.save(path)
    return path


# -- translation: a genuine tiny Argos package, a test glossary, no network ----------------

TEST_GLOSSARY_TSV = """\
# name: test-asylum
# version: 3
id\tterm\tpos\ten\tnl\tde\tdo_not_translate\tforms\tnote
povestka\tповестка\tnoun\tsummons\toproep\tEinberufungsbescheid\tno\tde:nom.pl=Einberufungsbescheide; de:dat.pl=Einberufungsbescheiden; de:gen.sg=Einberufungsbescheids\tEUAA COI Russia military service
voenkomat\tвоенкомат\tnoun\tmilitary enlistment office\tmilitair commissariaat\tKreiswehrersatzamt\tno\t\t
inoagent\tиностранный агент\tphrase\tforeign agent\tbuitenlandse agent\tausländischer Agent\tno\t\t
nezhelatelnaya\tнежелательная организация\tphrase\tundesirable organisation\tongewenste organisatie\tunerwünschte Organisation\tno\t\t
fsb\tФСБ\tabbr\tFSB\tFSB\tFSB\tyes\t\tFederal Security Service
"""


@pytest.fixture(scope="session")
def argos_packages(tmp_path_factory):
    """``{"ru-en": path, "en-nl": path, "en-de": path}``: copy-model ``.argosmodel`` files, built once."""
    from argos_fixture import build_packages

    return build_packages(tmp_path_factory.mktemp("argos-packages"))


@pytest.fixture()
def no_network(monkeypatch):
    """Any attempt to open a network connection fails the test loudly."""
    import socket

    def refuse(*args, **kwargs):
        raise RuntimeError("network access attempted in an offline test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


@pytest.fixture()
def models_home(tmp_path, monkeypatch):
    """An empty models folder that coitool (and Argos) use for this test."""
    directory = tmp_path / "models"
    monkeypatch.setenv("COITOOL_MODELS_DIR", str(directory))
    # Argos's own packages folder is read too: keep the machine's out of the test
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "argos-packages"))
    monkeypatch.setenv("COITOOL_MT_THREADS", "1")
    return directory


@pytest.fixture()
def installed_models(models_home, argos_packages):
    """The models folder with ru-en, en-nl and en-de copy models installed."""
    from toolkit.translate.packages import install_package

    for archive in argos_packages.values():
        install_package(archive, models_home)
    return models_home


@pytest.fixture(scope="session")
def mt_glossary_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("glossary") / "test-asylum.tsv"
    path.write_text(TEST_GLOSSARY_TSV, encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def mt_glossary(mt_glossary_path):
    from toolkit.glossary import Glossary

    return Glossary.load([mt_glossary_path], include_default=False)


@pytest.fixture(scope="session", autouse=True)
def _language_cache(tmp_path_factory):
    """Language identification answers are cached in a folder of the test session, not the user's."""
    mp = pytest.MonkeyPatch()
    mp.setenv("COITOOL_LANGID_CACHE", str(tmp_path_factory.mktemp("langid-cache") / "langid.sqlite3"))
    yield
    mp.undo()
