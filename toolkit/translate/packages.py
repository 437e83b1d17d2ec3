"""Offline translation model packages: install, list and remove Argos Translate packages.

A package is an ``.argosmodel`` zip holding one folder with ``metadata.json``, a
CTranslate2 model (``model/``) and a SentencePiece tokenizer. Packages live in one
folder: ``COITOOL_MODELS_DIR``, else Argos's own ``ARGOS_PACKAGES_DIR``, else the
user's data folder (``~/.local/share/coitool/models`` on Linux).

Archives are checked before anything is written (no ``..`` or absolute paths, no
links, one package folder, a sane ``metadata.json``) and extracted into a staging
folder inside the models folder, then renamed into place, so a bad or hostile
archive never writes outside that folder and never leaves half a package behind.
Argos's ``install_from_path``/``uninstall`` are not called: they import
``argostranslate.translate``, whose sentence splitter pulls in onnxruntime, which
writes a device id under ``~/.cache``. Argos's :class:`argostranslate.package.Package`
still reads each installed package, with Argos's settings pointed at the models
folder so that the library neither writes elsewhere nor reaches the network.
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import stat
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from toolkit.errors import ModelError

log = logging.getLogger(__name__)

# Where Argos's settings module may create its data/config/cache folders.
ARGOS_STATE_DIR = ".argos"
# Where the translation cache lives inside the models folder.
CACHE_DIR = ".cache"

_LANG_CODE = re.compile(r"^[a-z]{2,3}$")
_SAFE_FOLDER = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,120}$")
MAX_UNPACKED_BYTES = 4 * 1024**3


@dataclass(frozen=True)
class ModelPackage:
    """One installed translation package."""

    name: str  # folder name, e.g. "translate-ru_en-1_9"
    from_code: str
    to_code: str
    version: str
    path: Path
    argos_version: str = ""

    @property
    def pair(self) -> str:
        return f"{self.from_code}-{self.to_code}"

    @property
    def label(self) -> str:
        """How translations credit this package: ``translate-ru_en-1_9 (ru-en, version 1.9)``."""
        return f"{self.name} ({self.pair}, version {self.version or 'unknown'})"


def models_dir() -> Path:
    """The folder packages are installed into (it may not exist yet)."""
    for variable in ("COITOOL_MODELS_DIR", "ARGOS_PACKAGES_DIR"):
        value = os.environ.get(variable)
        if value:
            return Path(value).expanduser()
    return _user_data_dir() / "coitool" / "models"


def _user_data_dir() -> Path:
    home = Path.home()
    if sys.platform == "win32":
        return Path(os.environ.get("LOCALAPPDATA") or home / "AppData" / "Local")
    if sys.platform == "darwin":
        return home / "Library" / "Application Support"
    return Path(os.environ.get("XDG_DATA_HOME") or home / ".local" / "share")


def argos_package_module(directory: Path):
    """Import ``argostranslate.package`` with its settings confined to ``directory``.

    ``argostranslate.settings`` reads the environment and creates its folders when it
    is first imported, so the environment is pointed at the models folder for the
    import and restored afterwards; the module's package folder is re-pointed on every
    call because the models folder may change within one process.
    """
    overrides = {
        "ARGOS_PACKAGES_DIR": str(directory),
        "XDG_DATA_HOME": str(directory / ARGOS_STATE_DIR / "data"),
        "XDG_CONFIG_HOME": str(directory / ARGOS_STATE_DIR / "config"),
        "XDG_CACHE_HOME": str(directory / ARGOS_STATE_DIR / "cache"),
        "ARGOS_PACKAGE_INDEX": "file:///nonexistent/",  # never the network
        "ARGOS_CHUNK_TYPE": "NONE",
    }
    if "argostranslate.settings" not in sys.modules:
        saved = {key: os.environ.get(key) for key in overrides}
        os.environ.update(overrides)
        try:
            import argostranslate.settings  # noqa: F401
        finally:
            for key, value in saved.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value
    from argostranslate import package, settings

    settings.package_data_dir = directory
    settings.package_dirs = [directory]
    return package


def installed_packages(directory: Path | None = None) -> list[ModelPackage]:
    """Every package in the models folder, sorted by language pair."""
    directory = directory or models_dir()
    if not directory.is_dir():
        return []
    package_module = argos_package_module(directory)
    found: list[ModelPackage] = []
    for path in sorted(directory.iterdir()):
        if path.name.startswith(".") or not path.is_dir():
            continue
        try:
            pkg = package_module.Package(path)
        except (OSError, ValueError) as error:
            log.warning("skipping %s: not a readable package (%s)", path.name, error)
            continue
        if pkg.type != "translate" or not pkg.from_code or not pkg.to_code:
            continue
        found.append(
            ModelPackage(
                name=path.name,
                from_code=pkg.from_code,
                to_code=pkg.to_code,
                version=str(pkg.package_version or ""),
                path=path,
                argos_version=str(pkg.argos_version or ""),
            )
        )
    return sorted(found, key=lambda p: (p.from_code, p.to_code, p.name))


def find_package(from_code: str, to_code: str, directory: Path | None = None) -> ModelPackage | None:
    for pkg in installed_packages(directory):
        if pkg.from_code == from_code and pkg.to_code == to_code:
            return pkg
    return None


def translation_route(
    from_code: str, to_code: str, directory: Path | None = None, pivot: str = "en"
) -> list[ModelPackage] | None:
    """The packages that take ``from_code`` to ``to_code``: direct, else through ``pivot``."""
    by_pair = {}
    for pkg in installed_packages(directory):
        by_pair.setdefault((pkg.from_code, pkg.to_code), pkg)
    if (from_code, to_code) in by_pair:
        return [by_pair[from_code, to_code]]
    if (from_code, pivot) in by_pair and (pivot, to_code) in by_pair:
        return [by_pair[from_code, pivot], by_pair[pivot, to_code]]
    return None


def missing_pairs(from_code: str, to_code: str, directory: Path | None = None, pivot: str = "en") -> list[str]:
    """The packages a user still needs for ``from_code`` → ``to_code`` (via ``pivot``)."""
    pairs = {pkg.pair for pkg in installed_packages(directory)}
    if f"{from_code}-{to_code}" in pairs:
        return []
    if to_code == pivot or from_code == pivot:
        return [f"{from_code}-{to_code}"]
    return [pair for pair in (f"{from_code}-{pivot}", f"{pivot}-{to_code}") if pair not in pairs]


@dataclass(frozen=True)
class ArchiveCheck:
    folder: str
    metadata: dict


def check_archive(archive_path: Path, from_code: str | None = None, to_code: str | None = None) -> ArchiveCheck:
    """Refuse an archive that could write outside its folder or is not a translation package."""
    name = archive_path.name
    if not archive_path.is_file():
        raise ModelError(f"{archive_path}: no such file")
    if not zipfile.is_zipfile(archive_path):
        raise ModelError(f"{name}: not an Argos model package (not a zip archive)")
    try:
        with zipfile.ZipFile(archive_path) as archive:
            members = archive.infolist()
            folders: set[str] = set()
            total = 0
            for info in members:
                _check_member(name, info)
                total += info.file_size
                folders.add(PurePosixPath(info.filename).parts[0])
            if total > MAX_UNPACKED_BYTES:
                raise ModelError(f"{name}: unpacks to {total} bytes, more than a model package can be")
            if len(folders) != 1:
                raise ModelError(f"{name}: a package holds exactly one folder, found {len(folders)}")
            folder = folders.pop()
            if not _SAFE_FOLDER.match(folder):
                raise ModelError(f"{name}: unusable package folder name {folder!r}")
            names = {info.filename.rstrip("/") for info in members}
            if f"{folder}/metadata.json" not in names:
                raise ModelError(f"{name}: missing {folder}/metadata.json")
            try:
                metadata = json.loads(archive.read(f"{folder}/metadata.json").decode("utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError) as error:
                raise ModelError(f"{name}: metadata.json is not valid JSON ({error})") from None
            if f"{folder}/model/model.bin" not in names:
                raise ModelError(f"{name}: missing the CTranslate2 model {folder}/model/model.bin")
            if f"{folder}/sentencepiece.model" not in names:
                raise ModelError(f"{name}: missing {folder}/sentencepiece.model (only SentencePiece packages are supported)")
    except zipfile.BadZipFile as error:
        raise ModelError(f"{name}: damaged zip archive ({error})") from None
    _check_metadata(name, metadata, from_code, to_code)
    return ArchiveCheck(folder=folder, metadata=metadata)


def _check_member(archive_name: str, info: zipfile.ZipInfo) -> None:
    filename = info.filename
    if "\\" in filename or "\x00" in filename:
        raise ModelError(f"{archive_name}: unsafe path {filename!r} in archive")
    if filename.startswith("/") or re.match(r"^[A-Za-z]:", filename):
        raise ModelError(f"{archive_name}: absolute path {filename!r} in archive")
    parts = PurePosixPath(filename).parts
    if not parts or any(part in ("..", ".") for part in parts):
        raise ModelError(f"{archive_name}: path {filename!r} escapes the package folder")
    kind = stat.S_IFMT(info.external_attr >> 16)
    if kind == stat.S_IFLNK:
        raise ModelError(f"{archive_name}: link {filename!r} in archive")
    if kind and kind not in (stat.S_IFREG, stat.S_IFDIR):
        raise ModelError(f"{archive_name}: special file {filename!r} in archive")


def _check_metadata(archive_name: str, metadata: object, from_code: str | None, to_code: str | None) -> None:
    if not isinstance(metadata, dict):
        raise ModelError(f"{archive_name}: metadata.json must hold an object")
    if metadata.get("type", "translate") != "translate":
        raise ModelError(f"{archive_name}: not a translation package (type {metadata.get('type')!r})")
    source, target = metadata.get("from_code"), metadata.get("to_code")
    for key, code in (("from_code", source), ("to_code", target)):
        if not isinstance(code, str) or not _LANG_CODE.match(code):
            raise ModelError(f"{archive_name}: metadata.json {key} {code!r} is not a language code")
    if source == target:
        raise ModelError(f"{archive_name}: translates {source} into itself")
    if from_code and source != from_code or to_code and target != to_code:
        raise ModelError(
            f"{archive_name}: package translates {source}-{target}, expected {from_code or source}-{to_code or target}"
        )


def install_package(
    archive_path: Path | str,
    directory: Path | None = None,
    from_code: str | None = None,
    to_code: str | None = None,
) -> tuple[ModelPackage, list[ModelPackage]]:
    """Install an ``.argosmodel`` file; returns the new package and the ones it replaced.

    A package for the same language pair replaces the installed one, so a pair never has
    two competing models.
    """
    archive_path = Path(archive_path)
    directory = directory or models_dir()
    checked = check_archive(archive_path, from_code, to_code)
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ModelError(f"cannot create the models folder {directory}: {error.strerror}") from None
    package_module = argos_package_module(directory)
    with package_module.package_lock:
        staging = Path(tempfile.mkdtemp(prefix=".install-", dir=directory))
        try:
            _extract(archive_path, staging)
            unpacked = staging / checked.folder
            package_module.Package(unpacked)  # Argos must be able to read what we install
            pair = (checked.metadata["from_code"], checked.metadata["to_code"])
            replaced = [
                pkg for pkg in installed_packages(directory)
                if (pkg.from_code, pkg.to_code) == pair or pkg.name == checked.folder
            ]
            for pkg in replaced:
                _remove_folder(pkg.path, directory)
            os.replace(unpacked, directory / checked.folder)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    installed = next(pkg for pkg in installed_packages(directory) if pkg.name == checked.folder)
    return installed, replaced


def _extract(archive_path: Path, destination: Path) -> None:
    """Write each member below ``destination`` only, regular files and folders only."""
    root = destination.resolve()
    with zipfile.ZipFile(archive_path) as archive:
        for info in archive.infolist():
            target = (root / info.filename).resolve()
            if target != root and root not in target.parents:
                raise ModelError(f"{archive_path.name}: path {info.filename!r} escapes the package folder")
            if info.is_dir():
                target.mkdir(parents=True, exist_ok=True)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            with archive.open(info) as source, open(target, "xb") as sink:
                shutil.copyfileobj(source, sink, 1024 * 1024)
            os.chmod(target, 0o644)


def _remove_folder(path: Path, directory: Path) -> None:
    resolved, root = path.resolve(), directory.resolve()
    if root not in resolved.parents:
        raise ModelError(f"refusing to remove {path}: not inside the models folder {directory}")
    shutil.rmtree(resolved)


def remove_package(spec: str, directory: Path | None = None) -> list[ModelPackage]:
    """Remove packages named ``spec`` (folder name) or translating ``spec`` (``ru-en``)."""
    directory = directory or models_dir()
    packages = installed_packages(directory)
    chosen = [pkg for pkg in packages if spec in (pkg.name, pkg.pair, f"{pkg.from_code}_{pkg.to_code}")]
    if not chosen:
        known = ", ".join(pkg.name for pkg in packages) or "none installed"
        raise ModelError(f"no installed package {spec!r} (installed: {known})")
    package_module = argos_package_module(directory)
    with package_module.package_lock:
        for pkg in chosen:
            _remove_folder(pkg.path, directory)
    return chosen


def install_hint(pairs: list[str] | None = None) -> str:
    """What to tell a user who has no model for a translation."""
    needed = f" for {', '.join(pairs)}" if pairs else ""
    return (
        f"a translation model{needed} is needed for full translation; "
        "install one with `coitool models install FILE.argosmodel`"
    )
