"""``coitool translate`` and ``coitool models``: argument parsing only.

The work happens in :mod:`toolkit.translate.engine` (the engine), :mod:`toolkit.translate.pipeline`
(TEI files) and :mod:`toolkit.translate.packages` (installed model packages).
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from toolkit.cli import CONTEXT_SETTINGS, run_guarded
from toolkit.cli.batchopts import batch_options, check_dask, guarded, run_and_report

from toolkit.text import TARGET_LANGUAGES as LANGUAGES


def _quiet() -> bool:
    ctx = click.get_current_context(silent=True)
    while ctx is not None:
        if isinstance(ctx.obj, dict) and ctx.obj.get("quiet"):
            return True
        ctx = ctx.parent
    return False


def _warn(message: str) -> None:
    if not _quiet():
        click.echo(f"Warning: {message}", err=True)


def _info(message: str) -> None:
    if not _quiet():
        click.echo(message, err=True)


@click.command("translate", context_settings=CONTEXT_SETTINGS)
@click.argument("sources", nargs=-1, metavar="[IN.tei.xml... | -]")
@click.option("--to", "lang", type=click.Choice(LANGUAGES), required=True, help="Target language.")
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=str),
    help="Where to write the translated TEI ('-' for stdout). Default: IN.<lang>.tei.xml beside the input.",
)
@click.option(
    "--glossary", "glossaries", multiple=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Extra glossary file (TSV or TBX); repeat for several, later files win.",
)
@click.option("--no-default-glossary", is_flag=True, help="Use only the --glossary files, not the built-in one.")
@click.option(
    "--what", type=click.Choice(("titles", "all-ru")), default="titles", show_default=True,
    help="titles: Russian <title>s of cited sources; all-ru: every Russian element.",
)
@click.option("--text", "text", metavar="TEXT", help="Translate TEXT and print the result instead of a TEI file.")
@click.option("--no-cache", is_flag=True, help="Do not read or write the on-disk translation cache.")
@click.option("--schema", is_flag=True, help="Also validate the output against tei_all (slow: ~10 s to load the schema).")
@click.option(
    "--device", type=click.Choice(("auto", "cpu", "cuda")), default="auto", show_default=True,
    help="Where CTranslate2 runs the models: auto takes a GPU when CTranslate2 sees one.",
)
@click.option(
    "--threads", type=click.IntRange(min=0), default=None, metavar="N",
    help="CPU threads per model (default: COITOOL_MT_THREADS, else CTranslate2's choice).",
)
@click.option(
    "--placeholder", default="ZXQ", show_default=True, metavar="LETTERS", callback=lambda ctx, param, value: _placeholder(value),
    help="Letters of the placeholders glossary terms become for the model (LETTERS1, LETTERS2, …).",
)
@click.option("--out-dir", metavar="DIR", help="Folder for the outputs of several inputs, mirroring the input folders.")
@batch_options
@click.pass_context
def translate(ctx, sources, lang, output, glossaries, no_default_glossary, what, text, no_cache, schema, device, threads,
              placeholder, out_dir, files_from, manifest, skip_existing, timeout, jobs, dask, silent):
    """Translate the Russian fragments of a TEI file offline (argostranslate + glossary).

    Each Russian fragment keeps its original; the translation is added beside it
    (<title type="translated"> or <note type="translation">), glossary terms are
    marked <term ref="#gloss-…">, and the header names the engine, model packages
    and glossary. Running it again replaces earlier translations into the same
    language. With no model installed, only glossary terms are translated
    (glossary-only mode) and a warning says how to install a model.

    \b
    Examples:
      coitool translate report.tei.xml --to en
      coitool translate report.tei.xml --to de -o report.de.tei.xml --what all-ru
      coitool translate report.tei.xml --to nl --glossary my-terms.tsv
      coitool translate reports/big.tei.xml --to en --device cuda
      coitool translate report.tei.xml --to de --device cpu --threads 2
      coitool translate --text "Ему пришла повестка из военкомата." --to en
      printf 'повестка\\nвоенкомат\\n' | coitool translate - --to de
      coitool translate tei/ --to en --out-dir tei-en/ --skip-existing --manifest run.jsonl --jobs 2

    Several files, folders (searched for *.tei.xml) or --files-from LIST run as a batch
    (docs/batch.md): outputs beside the inputs, or mirrored under --out-dir; one model
    load per worker process.
    """
    batch = len(sources) > 1 or bool(files_from) or bool(out_dir) or any(Path(s).is_dir() for s in sources if s != "-") \
        or bool(manifest or skip_existing or timeout or dask)
    if batch:
        if text is not None or "-" in sources:
            raise click.UsageError("--text and stdin ('-') translate one text; give TEI files for a batch")
        if output is not None:
            raise click.UsageError("-o/--output takes one input; use --out-dir for several")
        check_dask(dask)
        _translate_batch(ctx, sources, files_from, out_dir, lang, what, glossaries, no_default_glossary, no_cache, schema,
                         device, threads, placeholder, manifest, skip_existing, timeout, jobs, dask, silent)
        return
    source = sources[0] if sources else None
    if text is not None and source is not None:
        raise click.UsageError("give either IN.tei.xml (or -) or --text, not both")
    if text is None and source is None:
        raise click.UsageError("missing IN.tei.xml, '-' (stdin) or --text")
    if device == "cuda":  # asked for explicitly: say at once when there is no GPU
        from toolkit.translate.backends import resolve_device

        run_guarded(resolve_device, device)
    options = {"device": device, "threads": threads, "placeholder": placeholder}
    if source == "-" or text is not None:
        if output is not None:
            raise click.UsageError("-o/--output applies to TEI files; --text and stdin print to stdout")
        run_guarded(_translate_lines, text, lang, glossaries, no_default_glossary, no_cache, options)
        return
    run_guarded(_translate_file, Path(source), output, lang, what, glossaries, no_default_glossary, no_cache, schema, options)


def _translate_batch(ctx, sources, files_from, out_dir, lang, what, glossaries, no_default_glossary, no_cache, schema,
                     device, threads, placeholder, manifest, skip_existing, timeout, jobs, dask, silent) -> None:
    import os

    from toolkit.api import translation_options
    from toolkit.batch import Task, collect
    from toolkit.batch.inputs import plan_outputs
    from toolkit.text import TARGET_LANGUAGES

    # A folder searched for TEI files skips the translations a run left beside them.
    found = guarded(collect, sources, files_from, (".xml",), tuple(f".{code}.tei.xml" for code in TARGET_LANGUAGES))
    suffix = f".{lang}.tei.xml"
    if out_dir:
        pairs = guarded(plan_outputs, found, out_dir, (".tei.xml", ".xml"), suffix)
    else:
        pairs = [(item.source, str(default_output(Path(item.source), lang))) for item in found]
    glossary_files = [os.path.abspath(g) for g in glossaries]
    options = {
        "to": lang, "what": what, "glossaries": glossary_files, "default_glossary": not no_default_glossary,
        "cache": not no_cache, "placeholder": placeholder.letters, "device": device, "threads": threads, "schema": schema,
    }
    options["record"] = translation_options(lang, what, glossaries=glossary_files, default_glossary=not no_default_glossary,
                                            placeholder=placeholder.letters)
    tasks = [Task(i, "translate", source, target, options, skip_existing) for i, (source, target) in enumerate(pairs)]
    run_and_report(ctx, tasks, verb="translated", label="Translating", jobs=jobs, timeout=timeout, manifest=manifest,
                   dask=dask, silent=silent)


def _placeholder(value: str):
    from toolkit.errors import CoitoolError
    from toolkit.translate.placeholders import PlaceholderForm

    try:
        return PlaceholderForm.parse(value)
    except CoitoolError as error:
        raise click.BadParameter(str(error).removeprefix(f"placeholder {value!r}: ")) from None


def _engine(glossaries, no_default_glossary: bool, no_cache: bool, options: dict):
    from toolkit.translate.engine import TranslationEngine
    from toolkit.translate.pipeline import load_glossary

    glossary = load_glossary(list(glossaries), include_default=not no_default_glossary)
    return TranslationEngine(glossary, disk_cache=not no_cache, **options)


def _translate_lines(text, lang, glossaries, no_default_glossary, no_cache, options) -> None:
    engine = _engine(glossaries, no_default_glossary, no_cache, options)
    notice = engine.notice(lang)
    if notice:
        _warn(notice)
    unenforced: dict[str, int] = {}
    lines = rendered = 0
    try:
        if text is not None:
            batches = [[text]]
        else:
            batches = _stdin_batches()
        for batch in batches:
            results = engine.translate(batch, lang)
            for line, result in zip(batch, results):
                click.echo(result.text if line.strip() else line)
                lines += bool(line.strip())
                rendered += bool(result.terms)
                for term in result.unenforced:
                    unenforced[term] = unenforced.get(term, 0) + 1
    finally:
        engine.close()
    if unenforced:
        _warn("glossary terms not enforced (the model dropped them): " + ", ".join(sorted(unenforced)))
    if notice:
        _info(
            f"Glossary-only: rendered glossary terms into {lang} in {rendered} of {lines} lines; "
            "no model translated them, the rest stays Russian"
        )


def _stdin_batches(size: int = 64):
    """Lines of stdin in batches, so a long stream is translated as it arrives."""
    batch: list[str] = []
    for line in sys.stdin:
        batch.append(line.rstrip("\r\n"))
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def default_output(source: Path, lang: str) -> Path:
    """report.tei.xml -> report.en.tei.xml: the input is never overwritten."""
    name = source.name
    stem = name[: -len(".tei.xml")] if name.endswith(".tei.xml") else source.stem
    return source.with_name(f"{stem}.{lang}.tei.xml")


def _translate_file(source: Path, output, lang, what, glossaries, no_default_glossary, no_cache, schema, options) -> None:
    import os
    import tempfile

    from toolkit.api import translation_options
    from toolkit.translate.pipeline import summary_line, translate_tei

    to_stdout = output == "-"
    if to_stdout:
        fd, temporary = tempfile.mkstemp(suffix=".tei.xml")
        os.close(fd)
        target = Path(temporary)
    else:
        target = Path(output) if output else default_output(source, lang)
    try:
        engine = _engine(glossaries, no_default_glossary, no_cache, options)
        record = translation_options(lang, what, glossaries=[os.path.abspath(g) for g in glossaries],
                                     default_glossary=not no_default_glossary, placeholder=options["placeholder"])
        report = translate_tei(source, target, to=lang, what=what, engine=engine, schema=schema, options=record)
        if to_stdout:
            sys.stdout.buffer.write(target.read_bytes())
            sys.stdout.flush()
    finally:
        if to_stdout:
            target.unlink(missing_ok=True)
    if report.notice:
        _warn(report.notice)
    if report.input_problems:
        _warn(f"{source} was not valid TEI before translation ({report.input_problems} problems); no new ones were added")
    if report.unenforced:
        _warn("glossary terms not enforced (the model dropped them): " + ", ".join(sorted(report.unenforced)))
    _info(summary_line(report, "stdout" if to_stdout else str(target)))


# -- models ---------------------------------------------------------------------------


@click.group("models", context_settings=CONTEXT_SETTINGS)
def models():
    """Install, list and remove offline translation models (Argos Translate packages).

    Packages are installed into COITOOL_MODELS_DIR, else ARGOS_PACKAGES_DIR, else
    ~/.local/share/coitool/models; the folder argos-translate installs into is read as
    it is, without copying. Nothing is downloaded: get the .argosmodel files from the
    Argos Translate package index on a connected machine and install them from disk.
    English needs translate-ru_en; Dutch and German go through English (translate-ru_en
    plus translate-en_nl / translate-en_de).

    \b
    Examples:
      coitool models install translate-ru_en-1_9.argosmodel
      coitool models list
      coitool models remove ru-en
    """


@models.command("install", context_settings=CONTEXT_SETTINGS)
@click.argument("archive", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE.argosmodel")
def models_install(archive: Path):
    """Install a package from a local .argosmodel file (checked before it is unpacked).

    \b
    Example:
      coitool models install ~/Downloads/translate-ru_en-1_9.argosmodel
    """
    from toolkit.translate import packages as store

    installed, replaced = run_guarded(store.install_package, archive)
    for old in replaced:
        if old.name != installed.name or old.version != installed.version:
            _info(f"Replaced {old.label}")
    click.echo(f"Installed {installed.label} into {installed.path.parent}")


@models.command("list", context_settings=CONTEXT_SETTINGS)
def models_list():
    """List installed packages, the folders read, and what each target language still needs.

    Packages are read from coitool's models folder and, as they are, from the folder
    argos-translate installs into (ARGOS_PACKAGES_DIR, else
    ~/.local/share/argos-translate/packages).

    \b
    Example:
      coitool models list
    """
    from toolkit.text import PIVOT_LANGUAGE, SOURCE_LANGUAGE
    from toolkit.translate import packages as store

    directory = store.models_dir()
    folders = store.package_dirs(directory)
    packages = run_guarded(store.installed_packages, folders)
    click.echo(f"Models folder: {directory} (coitool installs here{'' if directory.is_dir() else '; not created yet'})")
    for folder in folders[1:]:
        state = "read as it is, never changed" if folder.is_dir() else "not found"
        click.echo(f"Argos Translate's packages folder: {folder} ({state})")
    if not packages:
        click.echo("No models installed.")
    else:
        width = max(len(pkg.name) for pkg in packages)
        for pkg in packages:
            where = "" if pkg.path.parent == directory else f"  [{pkg.path.parent}]"
            click.echo(f"{pkg.name:<{width}}  {pkg.pair:<6}  version {pkg.version or '?'}{where}")
    missing_all: list[str] = []
    for lang in LANGUAGES:
        route = store.translation_route(SOURCE_LANGUAGE, lang, folders, PIVOT_LANGUAGE)
        if route:
            click.echo(f"{lang}: ready ({' + '.join(pkg.name for pkg in route)})")
            continue
        missing = store.missing_pairs(SOURCE_LANGUAGE, lang, folders, PIVOT_LANGUAGE)
        missing_all += [pair for pair in missing if pair not in missing_all]
        click.echo(
            f"{lang}: glossary-only; {store.target_needs(SOURCE_LANGUAGE, lang, PIVOT_LANGUAGE)}, missing "
            + ", ".join(store.package_name(pair) for pair in missing)
        )
    if missing_all:
        click.echo(store.install_hint(missing_all, folders))


@models.command("remove", context_settings=CONTEXT_SETTINGS)
@click.argument("spec", metavar="NAME|FROM-TO")
def models_remove(spec: str):
    """Remove an installed package by folder name or language pair.

    \b
    Examples:
      coitool models remove ru-en
      coitool models remove translate-ru_en-1_9
    """
    from toolkit.translate import packages as store

    for pkg in run_guarded(store.remove_package, spec):
        click.echo(f"Removed {pkg.label}")
