"""Note labels and numbering runs: what a report prints for its n-th note, and where it restarts.

The generator numbers notes 1..N in marker order internally; a style's numbering scheme
turns that into printed labels. A numbering *run* is a stretch in which every label occurs
once: the whole document ("document"), a chapter ("chapter") or a page ("page"); a new run
begins where the numbering restarts, which is what :func:`toolkit.document.note_key`
counts. Per-page labels depend on where the layout puts the notes, so the generator lays
a per-page report out until the labels it assumed are the labels the pages get.
"""

from __future__ import annotations

from toolkit.document import note_key

# Symbols in the order of their use on a page; doubled and tripled when a page needs more.
SYMBOLS = ("*", "**", "†", "‡", "§", "¶", "††", "‡‡", "§§", "¶¶", "***", "†††", "‡‡‡", "§§§", "¶¶¶")
LETTERS = tuple("abcdefghijklmnopqrstuvwxyz") + tuple(ch * 2 for ch in "abcdefghijklmnopqrstuvwxyz")


def label(kind: str, index: int) -> str:
    """The printed label of the note at ``index`` (0-based) of its run."""
    if kind == "arabic":
        return str(index + 1)
    sequence = SYMBOLS if kind == "symbols" else LETTERS
    if index >= len(sequence):
        raise ValueError(f"{index + 1} notes in one numbering run: more than the {len(sequence)} {kind} labels "
                         "this generator prints; use a larger page or smaller notes")
    return sequence[index]


def runs_of(groups: list[object]) -> list[int]:
    """Run numbers (1-based) for notes in document order, given each note's run group
    (its chapter, its first page, or one group for the whole document)."""
    out: list[int] = []
    seen: dict[object, int] = {}
    for group in groups:
        out.append(seen.setdefault(group, len(seen) + 1))
    return out


def keys_of(labels: list[str], runs: list[int]) -> list[str]:
    keys = [note_key(lab, run) for lab, run in zip(labels, runs)]
    if len(set(keys)) != len(keys):  # pragma: no cover - a generator bug, not a user error
        raise RuntimeError("two notes got the same key")
    return keys
