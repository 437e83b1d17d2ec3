"""Installing, listing and removing Argos model packages; hostile archives are refused."""

from __future__ import annotations

import json
import stat
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from toolkit.cli import main
from toolkit.errors import ModelError
from toolkit.translate.packages import check_archive, install_package, installed_packages, remove_package, translation_route

pytestmark = pytest.mark.usefixtures("no_network")


def _files_under(path: Path) -> set[str]:
    return {str(p.relative_to(path)) for p in path.rglob("*")} if path.exists() else set()


def test_install_list_remove_through_argos_package_reader(models_home, argos_packages):
    installed, replaced = install_package(argos_packages["ru-en"], models_home)
    assert (installed.name, installed.pair, installed.version, replaced) == ("translate-ru_en-1_0", "ru-en", "1.0", [])
    assert (models_home / "translate-ru_en-1_0" / "model" / "model.bin").is_file()

    from argostranslate import package as argos_package

    pkg = argos_package.Package(installed.path)  # Argos itself reads what we installed
    assert (pkg.from_code, pkg.to_code, pkg.package_version) == ("ru", "en", "1.0")

    install_package(argos_packages["en-de"], models_home)
    assert [p.pair for p in installed_packages(models_home)] == ["en-de", "ru-en"]
    assert [p.pair for p in translation_route("ru", "de", models_home)] == ["ru-en", "en-de"]
    assert translation_route("ru", "nl", models_home) is None

    assert [p.pair for p in remove_package("en-de", models_home)] == ["en-de"]
    assert [p.name for p in remove_package("translate-ru_en-1_0", models_home)] == ["translate-ru_en-1_0"]
    assert installed_packages(models_home) == []
    with pytest.raises(ModelError, match="no installed package 'ru-en'"):
        remove_package("ru-en", models_home)


def test_a_new_package_for_the_same_pair_replaces_the_old(models_home, argos_packages, tmp_path):
    install_package(argos_packages["ru-en"], models_home)
    newer = _rewrite(argos_packages["ru-en"], tmp_path / "newer.argosmodel", folder="translate-ru_en-1_1",
                     metadata_changes={"package_version": "1.1"})
    installed, replaced = install_package(newer, models_home)
    assert installed.version == "1.1" and [p.version for p in replaced] == ["1.0"]
    assert [p.name for p in installed_packages(models_home)] == ["translate-ru_en-1_1"]


def _rewrite(source: Path, target: Path, folder: str | None = None, metadata_changes=None, extra=(), drop=()):
    """Copy a package archive, renaming its folder, editing metadata, adding raw members."""
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w") as out:
        old_folder = src.namelist()[0].split("/")[0]
        for info in src.infolist():
            name = info.filename
            if name.split("/", 1)[-1] in drop:
                continue
            data = src.read(info)
            if name == f"{old_folder}/metadata.json" and metadata_changes is not None:
                metadata = json.loads(data)
                metadata.update(metadata_changes)
                data = json.dumps(metadata).encode()
            new_name = name.replace(old_folder, folder or old_folder, 1)
            out.writestr(new_name, data)
        for info, data in extra:
            out.writestr(info, data)
    return target


def _symlink_member(name: str, target: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name)
    info.create_system = 3
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    return info


@pytest.mark.parametrize(
    "case, message",
    [
        ("dotdot", "escapes the package folder"),
        ("absolute", "absolute path"),
        ("symlink", "link"),
        ("no-metadata", "missing translate-ru_en-1_0/metadata.json"),
        ("bad-code", "is not a language code"),
        ("same-codes", "into itself"),
        ("two-folders", "exactly one folder"),
        ("no-model", "model.bin"),
    ],
)
def test_unsafe_or_broken_archives_are_refused_before_writing(case, message, models_home, argos_packages, tmp_path):
    source = argos_packages["ru-en"]
    bad = tmp_path / f"{case}.argosmodel"
    folder = "translate-ru_en-1_0"
    if case == "dotdot":
        _rewrite(source, bad, extra=[(f"{folder}/../../escaped.txt", b"owned")])
    elif case == "absolute":
        _rewrite(source, bad, extra=[(zipfile.ZipInfo("/tmp/escaped-absolute.txt"), b"owned")])
    elif case == "symlink":
        _rewrite(source, bad, extra=[(_symlink_member(f"{folder}/evil", "/etc/passwd"), b"/etc/passwd")])
    elif case == "no-metadata":
        _rewrite(source, bad, drop={"metadata.json"})
    elif case == "bad-code":
        _rewrite(source, bad, metadata_changes={"from_code": "russian"})
    elif case == "same-codes":
        _rewrite(source, bad, metadata_changes={"to_code": "ru"})
    elif case == "two-folders":
        _rewrite(source, bad, extra=[("other/readme.txt", b"x")])
    elif case == "no-model":
        _rewrite(source, bad, drop={"model/model.bin"})
    before = _files_under(tmp_path)
    with pytest.raises(ModelError, match=message):
        install_package(bad, models_home)
    assert _files_under(tmp_path) == before  # refused before anything was written
    assert not Path("/tmp/escaped-absolute.txt").exists()


def test_wrong_language_pair_is_refused(argos_packages):
    with pytest.raises(ModelError, match="translates en-de, expected ru-en"):
        check_archive(argos_packages["en-de"], "ru", "en")


def test_not_a_zip_is_refused(models_home, tmp_path):
    fake = tmp_path / "fake.argosmodel"
    fake.write_text("not a zip")
    with pytest.raises(ModelError, match="not a zip archive"):
        install_package(fake, models_home)


def test_models_cli(models_home, argos_packages):
    runner = CliRunner()
    done = runner.invoke(main, ["models", "list"])
    assert done.exit_code == 0 and "No models installed" in done.output and str(models_home) in done.output
    done = runner.invoke(main, ["models", "install", str(argos_packages["ru-en"])])
    assert done.exit_code == 0, done.output
    assert "Installed translate-ru_en-1_0 (ru-en, version 1.0)" in done.output
    done = runner.invoke(main, ["models", "list"])
    assert "translate-ru_en-1_0  ru-en   version 1.0" in done.output
    done = runner.invoke(main, ["models", "remove", "ru-en"])
    assert done.exit_code == 0 and "Removed translate-ru_en-1_0" in done.output
    done = runner.invoke(main, ["models", "remove", "ru-en"])
    assert done.exit_code == 1 and done.output.strip().startswith("Error: no installed package 'ru-en'")
    assert len(done.output.strip().splitlines()) == 1
    done = runner.invoke(main, ["models", "install", str(models_home / "missing.argosmodel")])
    assert done.exit_code == 1 and "no such file" in done.output
    assert runner.invoke(main, ["models", "install"]).exit_code == 2
    for args in (["models", "--help"], ["models", "install", "--help"], ["models", "list", "-h"]):
        done = runner.invoke(main, args)
        assert done.exit_code == 0 and "Example" in done.output


def _unpack_like_argospm(archive: Path, folder: Path) -> Path:
    """What ``argospm install`` leaves: the package folder unpacked into Argos's packages folder."""
    folder.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(archive) as zipped:
        zipped.extractall(folder)
    return folder


def _snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    return {str(p.relative_to(folder)): (p.stat().st_size, p.stat().st_mtime_ns) for p in folder.rglob("*")}


def test_an_existing_argos_packages_folder_is_used_as_it_is(models_home, argos_packages, tmp_path, monkeypatch, mt_glossary):
    from toolkit.translate.engine import TranslationEngine

    argos = _unpack_like_argospm(argos_packages["ru-en"], tmp_path / "argos-packages")
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(argos))
    before = _snapshot(argos)

    (pkg,) = installed_packages()
    assert (pkg.pair, pkg.path.parent) == ("ru-en", argos)
    engine = TranslationEngine(mt_glossary)
    assert [p.name for p in engine.route("en")] == ["translate-ru_en-1_0"]
    assert engine.translate_text("Повестка пришла.", "en").text == "Summons пришла."
    engine.close()
    assert _snapshot(argos) == before  # nothing written into Argos's folder
    assert not any(p.name == "translate-ru_en-1_0" for p in models_home.rglob("*"))  # nothing copied

    runner = CliRunner()
    done = runner.invoke(main, ["models", "list"])
    assert done.exit_code == 0, done.output
    assert f"Argos Translate's packages folder: {argos} (read as it is, never changed)" in done.output
    assert f"translate-ru_en-1_0  ru-en   version 1.0  [{argos}]" in done.output
    assert "en: ready (translate-ru_en-1_0)" in done.output
    assert "nl: glossary-only; Dutch (nl) needs translate-ru_en and translate-en_nl (through English), missing translate-en_nl" in done.output
    done = runner.invoke(main, ["models", "remove", "ru-en"])
    assert done.exit_code == 1 and done.output.count("\n") == 1
    assert "Argos Translate's packages folder" in done.output and "argospm remove translate-ru_en-1_0" in done.output
    assert _snapshot(argos) == before

    # a package of coitool's own folder comes before Argos's for the same pair
    install_package(argos_packages["ru-en"], models_home)
    assert [p.path.parent for p in installed_packages()] == [models_home, argos]
    assert translation_route("ru", "en")[0].path.parent == models_home


def test_argos_folder_is_found_as_argos_finds_it(tmp_path, monkeypatch):
    from toolkit.translate.packages import argos_packages_dir, package_dirs

    monkeypatch.delenv("ARGOS_PACKAGES_DIR", raising=False)
    monkeypatch.delenv("SNAP", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    assert argos_packages_dir() == tmp_path / "data" / "argos-translate" / "packages"
    settings = tmp_path / "config" / "argos-translate" / "settings.json"
    settings.parent.mkdir(parents=True)
    settings.write_text(json.dumps({"ARGOS_PACKAGES_DIR": str(tmp_path / "elsewhere")}))
    assert argos_packages_dir() == tmp_path / "elsewhere"
    settings.write_text("{not json")
    assert argos_packages_dir() == tmp_path / "data" / "argos-translate" / "packages"
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "env"))
    assert argos_packages_dir() == tmp_path / "env"
    # installing into Argos's own folder (no COITOOL_MODELS_DIR): one folder, not two
    monkeypatch.delenv("COITOOL_MODELS_DIR", raising=False)
    assert package_dirs() == [tmp_path / "env"]
    monkeypatch.setenv("COITOOL_MODELS_DIR", str(tmp_path / "mine"))
    assert package_dirs() == [tmp_path / "mine", tmp_path / "env"]


def test_without_models_the_messages_say_what_to_get_and_how(models_home, argos_packages, mt_glossary):
    from toolkit.translate.engine import TranslationEngine

    engine = TranslationEngine(mt_glossary)
    notices = {lang: engine.notice(lang) for lang in ("en", "nl", "de")}
    assert "English (en) needs translate-ru_en." in notices["en"]
    assert "Dutch (nl) needs translate-ru_en and translate-en_nl (through English)." in notices["nl"]
    assert "German (de) needs translate-ru_en and translate-en_de (through English)." in notices["de"]
    for notice in notices.values():
        assert "argospm-index" in notice and "coitool models install FILE.argosmodel" in notice
        assert "used from its folder as they are, without copying" in notice
        assert str(models_home) in notice

    done = CliRunner().invoke(main, ["models", "list"])
    assert "No models installed." in done.output
    assert "Missing: translate-ru_en (ru-en), translate-en_nl (en-nl), translate-en_de (en-de)." in done.output
    install_package(argos_packages["ru-en"], models_home)
    done = CliRunner().invoke(main, ["models", "list"])
    assert "en: ready (translate-ru_en-1_0)" in done.output
    assert "de: glossary-only; German (de) needs translate-ru_en and translate-en_de (through English), missing translate-en_de" in done.output
    assert "Missing: translate-en_nl (en-nl), translate-en_de (en-de)." in done.output
    install_package(argos_packages["en-nl"], models_home)
    install_package(argos_packages["en-de"], models_home)
    done = CliRunner().invoke(main, ["models", "list"])
    assert "de: ready (translate-ru_en-1_0 + translate-en_de-1_0)" in done.output and "Missing" not in done.output


def test_a_fresh_process_writes_nothing_into_the_argos_folder(argos_packages, tmp_path, mt_glossary_path):
    """Argos's settings module creates folders when first imported: never in a folder coitool only reads."""
    import os
    import subprocess
    import sys

    argos = _unpack_like_argospm(argos_packages["ru-en"], tmp_path / "argos-packages")
    before = _snapshot(argos)
    home, mine = tmp_path / "home", tmp_path / "mine"
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XDG_", "COITOOL_", "ARGOS_"))}
    env.update(HOME=str(home), COITOOL_MODELS_DIR=str(mine), ARGOS_PACKAGES_DIR=str(argos), COITOOL_MT_THREADS="1")
    code = (
        "from toolkit.translate.engine import TranslationEngine\n"
        "from toolkit.translate.pipeline import load_glossary\n"
        f"engine = TranslationEngine(load_glossary([{str(mt_glossary_path)!r}], include_default=False))\n"
        "print(engine.translate_text('Повестка пришла.', 'en').text)\n"
        "engine.close()\n"
    )
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["Summons пришла."]
    assert _snapshot(argos) == before
    assert list(home.iterdir()) == []
    assert sorted(str(p.relative_to(mine)) for p in mine.rglob("*")) == [".cache", ".cache/translations.sqlite3"]
