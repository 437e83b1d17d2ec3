"""Offline translation model packages: install, list and remove Argos Translate packages.

A package is an ``.argosmodel`` zip holding one folder with ``metadata.json``, a
CTranslate2 model (``model/``) and a SentencePiece tokenizer. coitool installs packages
into one folder: ``COITOOL_MODELS_DIR``, else Argos's own ``ARGOS_PACKAGES_DIR``, else
the user's data folder (``~/.local/share/coitool/models`` on Linux). It also reads, as
it is and without copying anything, the folder argos-translate installs into
(``ARGOS_PACKAGES_DIR``, or Argos's settings.json, or
``~/.local/share/argos-translate/packages``): packages installed with ``argospm`` are
used where they are, and never changed or removed by coitool.

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
from typing import Sequence

from toolkit.errors import ModelError

log = logging.getLogger(__name__)

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


def argos_packages_dir() -> Path:
    """Where argos-translate installs packages: as argostranslate.settings finds it, without importing it.

    ``ARGOS_PACKAGES_DIR``, else the ``ARGOS_PACKAGES_DIR`` of Argos's settings.json, else
    ``<XDG data home>/argos-translate/packages`` (``$SNAP_USER_DATA`` standing for the home
    folder under snap). The folder may not exist.
    """
    value = os.environ.get("ARGOS_PACKAGES_DIR")
    if value:
        return Path(value).expanduser()
    home = Path(os.environ["SNAP_USER_DATA"]) if "SNAP" in os.environ and os.environ.get("SNAP_USER_DATA") else Path.home()
    config = Path(os.environ.get("XDG_CONFIG_HOME") or home / ".config") / "argos-translate" / "settings.json"
    try:
        settings = json.loads(config.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        settings = {}
    if isinstance(settings, dict) and isinstance(settings.get("ARGOS_PACKAGES_DIR"), str) and settings["ARGOS_PACKAGES_DIR"]:
        return Path(settings["ARGOS_PACKAGES_DIR"]).expanduser()
    return Path(os.environ.get("XDG_DATA_HOME") or home / ".local" / "share") / "argos-translate" / "packages"


def package_dirs(directory: Path | None = None) -> list[Path]:
    """The folders packages are read from: the install folder first, then Argos's own if it differs."""
    first = directory or models_dir()
    folders = [first]
    argos = argos_packages_dir()
    if _same_folder(argos, first) is False:
        folders.append(argos)
    return folders


def _same_folder(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return a == b


def _user_data_dir() -> Path:
    home = Path.home()
    if sys.platform == "win32":
        return Path(os.environ.get("LOCALAPPDATA") or home / "AppData" / "Local")
    if sys.platform == "darwin":
        return home / "Library" / "Application Support"
    return Path(os.environ.get("XDG_DATA_HOME") or home / ".local" / "share")


def argos_package_module(directory: Path):
    """Import ``argostranslate.package`` with its settings confined, reading packages in ``directory``.

    ``argostranslate.settings`` reads the environment and creates its data, config and
    cache folders when it is first imported. The import therefore runs with the
    environment pointed at a temporary folder, removed right after, so that nothing is
    written into the user's home or into an Argos packages folder coitool only reads;
    the module's package folder is re-pointed on every call because the folder read
    changes (coitool's own, then Argos's).
    """
    if "argostranslate.settings" not in sys.modules:
        state = Path(tempfile.mkdtemp(prefix="coitool-argos-"))
        overrides = {
            "ARGOS_PACKAGES_DIR": str(directory),
            "XDG_DATA_HOME": str(state / "data"),
            "XDG_CONFIG_HOME": str(state / "config"),
            "XDG_CACHE_HOME": str(state / "cache"),
            "ARGOS_PACKAGE_INDEX": "file:///nonexistent/",  # never the network
            "ARGOS_CHUNK_TYPE": "NONE",
        }
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
            shutil.rmtree(state, ignore_errors=True)
    from argostranslate import package, settings

    settings.package_data_dir = directory
    settings.package_dirs = [directory]
    return package


def installed_packages(directory: Path | Sequence[Path] | None = None) -> list[ModelPackage]:
    """Every package in the given folder(s) (default: :func:`package_dirs`), sorted by language pair.

    Of two packages for one pair, the one in the earlier folder comes first.
    """
    if directory is None:
        folders = package_dirs()
    elif isinstance(directory, (str, os.PathLike)):
        folders = [Path(directory)]
    else:
        folders = [Path(d) for d in directory]
    found: list[tuple[int, ModelPackage]] = []
    for rank, folder in enumerate(folders):
        if folder.is_dir():
            found += [(rank, pkg) for pkg in _packages_in(folder)]
    return [pkg for _, pkg in sorted(found, key=lambda item: (item[1].from_code, item[1].to_code, item[0], item[1].name))]


def _packages_in(directory: Path) -> list[ModelPackage]:
    package_module = argos_package_module(directory)
    found: list[ModelPackage] = []
    for path in sorted(directory.iterdir()):
        if path.name.startswith(".") or not path.is_dir():
            continue
        try:
            pkg = package_module.Package(path)
        except (OSError, ValueError, KeyError) as error:
            log.warning("skipping %s: not a readable package (%s)", path, error)
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
    return found


def find_package(
    from_code: str, to_code: str, directory: Path | Sequence[Path] | None = None
) -> ModelPackage | None:
    for pkg in installed_packages(directory):
        if pkg.from_code == from_code and pkg.to_code == to_code:
            return pkg
    return None


def translation_route(
    from_code: str, to_code: str, directory: Path | Sequence[Path] | None = None, pivot: str = "en"
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


def missing_pairs(
    from_code: str, to_code: str, directory: Path | Sequence[Path] | None = None, pivot: str = "en"
) -> list[str]:
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

    def named(pkg: ModelPackage) -> bool:
        return spec in (pkg.name, pkg.pair, f"{pkg.from_code}_{pkg.to_code}")

    chosen = [pkg for pkg in packages if named(pkg)]
    if not chosen:
        elsewhere = [pkg for pkg in installed_packages(package_dirs(directory)[1:]) if named(pkg)]
        if elsewhere:
            raise ModelError(
                f"{elsewhere[0].name} is in Argos Translate's packages folder {elsewhere[0].path.parent}, which "
                f"coitool reads but never changes; remove it with argospm (argospm remove {elsewhere[0].name})"
            )
        known = ", ".join(pkg.name for pkg in packages) or "none installed"
        raise ModelError(f"no installed package {spec!r} (installed: {known})")
    package_module = argos_package_module(directory)
    with package_module.package_lock:
        for pkg in chosen:
            _remove_folder(pkg.path, directory)
    return chosen


# Where Argos Translate packages come from: the index argospm reads, which links every
# .argosmodel file (named here, never fetched: coitool does not use the network).
PACKAGE_INDEX = "the Argos Translate package index (github.com/argosopentech/argospm-index, whose index.json links every .argosmodel file)"


def package_name(pair: str) -> str:
    """How the Argos index names the package of a language pair: ``ru-en`` → ``translate-ru_en``."""
    return "translate-" + pair.replace("-", "_")


def needed_pairs(from_code: str, to_code: str, pivot: str = "en") -> list[str]:
    """The packages a target language is reached with: one, or two through ``pivot``."""
    if pivot in (from_code, to_code):
        return [f"{from_code}-{to_code}"]
    return [f"{from_code}-{pivot}", f"{pivot}-{to_code}"]


def install_hint(pairs: list[str] | None = None, folders: Sequence[Path] | None = None) -> str:
    """What to tell a user who lacks the packages ``pairs``: where they come from, how to install them."""
    missing = ", ".join(f"{package_name(pair)} ({pair})" for pair in pairs or []) or "a translation package"
    folders = list(folders) if folders is not None else package_dirs()
    argos = argos_packages_dir()
    where = (
        f"ARGOS_PACKAGES_DIR = {argos}" if os.environ.get("ARGOS_PACKAGES_DIR")
        else f"{argos}, or set ARGOS_PACKAGES_DIR to another one"
    )
    lines = [
        f"Missing: {missing}. Packages come from {PACKAGE_INDEX}; download them on a connected machine.",
        "Install a downloaded package with `coitool models install FILE.argosmodel`. Packages that "
        f"argos-translate installed (argospm install {package_name((pairs or ['ru-en'])[0])}) are used from "
        f"its folder as they are, without copying: {where}.",
        "Looked for packages in: " + ", ".join(str(f) for f in folders) + ".",
    ]
    return "\n".join(lines)


def target_needs(from_code: str, to_code: str, pivot: str = "en") -> str:
    """``Dutch (nl) needs translate-ru_en and translate-en_nl (through English)``."""
    names = {"en": "English", "nl": "Dutch", "de": "German"}
    pairs = needed_pairs(from_code, to_code, pivot)
    via = f" (through {names.get(pivot, pivot)})" if len(pairs) > 1 else ""
    return f"{names.get(to_code, to_code)} ({to_code}) needs " + " and ".join(package_name(p) for p in pairs) + via
