"""Shared configuration and inline suppression, modelled on Vale.

A team keeps its settings in ``[tool.rhetoric]`` of ``pyproject.toml`` or in a
``.rhetoric.toml`` (top-level keys), found by walking up from the input's folder
(the nearest wins; in one folder ``.rhetoric.toml`` beats ``pyproject.toml``):

    categories = ["loaded_language", "hedging"]
    min_confidence = 0.3
    lexicons = ["newsroom.tsv"]        # our own terms (docs/lexicons.md format)
    ignore = ["crisis", "slammed"]     # never flag these words or phrases
    ignore_labels = ["so_called"]      # never flag findings with these labels
    models = true

Command-line options override the file. In the text itself,
``<!-- rhetoric: ignore -->`` silences the paragraph that follows,
``rhetoric: ignore-line`` the line it is on, and ``<!-- rhetoric: off -->`` ...
``<!-- rhetoric: on -->`` a stretch. Suppression drops findings; it never edits
the text, so offsets are unchanged.

``Analyzer`` puts it together: built once per process (a batch worker, a Dask
worker), it turns an ``InputDoc`` into a ``Report``.
"""

from __future__ import annotations

import bisect
import difflib
import os
import re
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from .core.document import BLANK_LINE, LINE_BREAK, normalize
from .core.lexicon import Lexicon, LexiconError, base_forms, parse_lexicon
from .core.report import CATEGORIES, Finding, Report
from .detectors.base import LexiconDetector
from .io.inputs import InputDoc

__all__ = [
    "Analyzer",
    "Config",
    "ConfigError",
    "Options",
    "find_config",
    "load_config",
    "suppressed_ranges",
]

CONFIG_NAMES = (".rhetoric.toml", "pyproject.toml")
KEYS = ("categories", "min_confidence", "lexicons", "ignore", "ignore_labels", "models")


class ConfigError(ValueError):
    """A configuration file that cannot be used; the message names file and key."""


@dataclass(frozen=True)
class Config:
    """Settings read from one file (``path``); ``None`` means "not set"."""

    path: str | None = None
    categories: tuple[str, ...] | None = None
    min_confidence: float | None = None
    lexicons: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    ignore_labels: tuple[str, ...] = ()
    models: bool | None = None


@dataclass(frozen=True)
class Options:
    """What the command line asked for; set values override the config file.
    ``config``: an explicit file (no search); ``search``: look for one."""

    categories: tuple[str, ...] | None = None
    min_confidence: float | None = None
    models: bool | None = None
    config: str | None = None
    search: bool = True


def _load_toml(path: Path) -> dict[str, Any]:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib
    try:
        with path.open("rb") as f:
            return tomllib.load(f)
    except OSError as e:
        raise ConfigError(f"{path}: cannot read ({e.strerror or e})") from None
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(f"{path}: invalid TOML ({e})") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not UTF-8 (TOML files are UTF-8)") from None
    except RecursionError:  # x = [[[[...]]]] thousands deep
        raise ConfigError(f"{path}: invalid TOML (nested too deeply)") from None
    except ValueError as e:  # an integer of thousands of digits
        why = "a number with too many digits" if "digits" in str(e) else str(e)
        raise ConfigError(f"{path}: invalid TOML ({why})") from None


def _table(path: Path) -> tuple[dict[str, Any] | None, str]:
    """The settings table of a config file and its name for messages, or
    ``None`` for a pyproject.toml without ``[tool.rhetoric]``."""
    data = _load_toml(path)
    if path.name == "pyproject.toml":
        tool = data.get("tool", {})
        table = tool.get("rhetoric") if isinstance(tool, dict) else None
        if table is None:
            return None, ""
        if not isinstance(table, dict):
            raise ConfigError(f"{path}: [tool.rhetoric] must be a table")
        return table, "tool.rhetoric."
    return data, ""


def _strings(value: Any, where: str) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}: expected a list of strings")
    return tuple(value)


def load_config(path: str | Path) -> Config:
    """Read and check one config file. Raises ``ConfigError`` naming the key."""
    path = Path(path)
    table, prefix = _table(path)
    if table is None:
        raise ConfigError(f"{path}: no [tool.rhetoric] table")
    for key in table:
        if key not in KEYS:
            raise ConfigError(f"{path}: unknown key '{prefix}{key}' (known: {', '.join(KEYS)})")

    def where(key: str) -> str:
        return f"{path}: key '{prefix}{key}'"

    cfg: dict[str, Any] = {"path": str(path)}
    if "categories" in table:
        cats = _strings(table["categories"], where("categories"))
        bad = [c for c in cats if c not in CATEGORIES]
        if bad or not cats:
            raise ConfigError(
                f"{where('categories')}: unknown category {bad[0] if bad else '(none)'!r}; "
                f"choose from {', '.join(CATEGORIES)}"
            )
        cfg["categories"] = cats
    if "min_confidence" in table:
        v = table["min_confidence"]
        if isinstance(v, bool) or not isinstance(v, int | float) or not 0 <= v <= 1:
            raise ConfigError(f"{where('min_confidence')}: expected a number from 0 to 1")
        cfg["min_confidence"] = float(v)
    if "models" in table:
        if not isinstance(table["models"], bool):
            raise ConfigError(f"{where('models')}: expected true or false")
        cfg["models"] = table["models"]
    user_labels: set[str] = set()
    if "lexicons" in table:
        files = []
        for name in _strings(table["lexicons"], where("lexicons")):
            p = (path.parent / name).resolve()
            lex = _user_lexicon(str(p), where("lexicons"))  # check it now, fail early
            user_labels.update(e.label for e in lex.entries)
            files.append(str(p))
        cfg["lexicons"] = tuple(files)
    if "ignore" in table:
        terms = _strings(table["ignore"], where("ignore"))
        if any(not t.strip() for t in terms):
            raise ConfigError(f"{where('ignore')}: empty term")
        cfg["ignore"] = tuple(" ".join(normalize(t).split()) for t in terms)
    if "ignore_labels" in table:
        labels = _strings(table["ignore_labels"], where("ignore_labels"))
        known = builtin_labels() | user_labels
        for label in labels:
            if label not in known:
                raise ConfigError(f"{where('ignore_labels')}: {_unknown_label(label, known)}")
        cfg["ignore_labels"] = labels
    return Config(**cfg)


@lru_cache(maxsize=1)
def builtin_labels() -> frozenset[str]:
    """Every label a shipped detector can give a finding (``Finding.label``, what
    ``ignore_labels`` matches), worked out on first use, never at import: the
    labels in the rows of the lexicons the detectors use, and the labels the
    glossary documents (``rhetoric explain``: it covers the labels code and the
    trained models give, such as ``scare_quotes``, ``biased_wording`` and the
    PTC techniques; a test holds it to what the detectors emit)."""
    from .core.glossary import load_glossary
    from .detectors import DEFAULT_DETECTORS

    labels = {e.label for d in _lexicon_detectors(DEFAULT_DETECTORS) for e in d.lexicon.entries}
    labels.update(k for k, e in load_glossary().items() if e.get("category") != "category")
    return frozenset(labels)


def _lexicon_detectors(detectors: Iterable[Any]) -> list[LexiconDetector]:
    return [d for d in detectors if isinstance(d, LexiconDetector)]


def _unknown_label(label: str, known: frozenset[str] | set[str]) -> str:
    """The message for an ``ignore_labels`` entry no detector gives: a likely
    meant label (a near spelling, or the label of a detector named like it),
    then the labels to choose from."""
    from .detectors import DEFAULT_DETECTORS

    # "subjective" names a detector (loaded_language.subjective), not a label
    aliases: dict[str, tuple[str, set[str]]] = {}
    for d in _lexicon_detectors(DEFAULT_DETECTORS):
        short = d.name.rpartition(".")[2]
        emits = {e.label for e in d.lexicon.entries}
        if short not in known and len(emits) <= 3:
            aliases[short] = (d.name, emits)
    words = {w.lower(): w for w in (*sorted(known), *aliases)}
    close = difflib.get_close_matches(label.lower(), words, n=1, cutoff=0.75)
    hint = ""
    if label in CATEGORIES:
        hint = f" ({label!r} is a category: leave it out of 'categories' instead)"
    elif close and words[close[0]] in aliases:
        detector, emits = aliases[words[close[0]]]
        hint = f" ({detector} findings are labelled {' or '.join(map(repr, sorted(emits)))})"
    elif close:
        hint = f" (did you mean {words[close[0]]!r}?)"
    choices = ", ".join(map(repr, sorted(known, key=str.lower)))  # labels may hold commas
    return f"unknown label {label!r}{hint}; choose from {choices}"


#: A folder holding one of these is the root of a repository: the search
#: for a configuration file goes no higher.
REPOSITORY_MARKERS = (".git", ".hg", ".svn", ".jj")


def search_boundary(folder: Path) -> Path:
    """The highest folder whose configuration applies to ``folder``: the
    root of the repository it is in; else your home folder, when it is under
    it; else the working folder, when it is under that; else ``folder``
    itself. A stray ``.rhetoric.toml`` in ``/tmp`` or ``/`` is never used for
    everything below it."""
    for f in (folder, *folder.parents):
        if any((f / m).exists() for m in REPOSITORY_MARKERS):
            return f
    for base in (_home(), _cwd()):
        if base is not None and folder.is_relative_to(base):
            return base
    return folder


def _home() -> Path | None:
    try:
        return Path.home().resolve()
    except (RuntimeError, OSError, KeyError):  # no home directory
        return None


def _cwd() -> Path | None:
    try:
        return Path.cwd().resolve()
    except OSError:
        return None


def find_config(start: str | Path | None) -> Path | None:
    """The nearest config file at or above ``start`` (a file or folder; the
    working directory when None), up to ``search_boundary``:
    ``.rhetoric.toml``, or a ``pyproject.toml`` that has ``[tool.rhetoric]``."""
    here = Path(start) if start is not None else Path.cwd()
    here = here.resolve()
    if not here.is_dir():
        here = here.parent
    stop = search_boundary(here)
    for folder in (here, *here.parents):
        for name in CONFIG_NAMES:
            p = folder / name
            if p.is_file():
                if name == "pyproject.toml" and _table(p)[0] is None:
                    continue
                return p
        if folder == stop:
            break
    return None


def _user_lexicon(path: str, where: str) -> Lexicon:
    """A user lexicon file (read when an ``Analyzer`` plans for its
    configuration, once per analyser)."""
    try:
        with open(path, encoding="utf-8") as f:
            lex = parse_lexicon(f, os.path.basename(path))
    except OSError as e:
        raise ConfigError(f"{where}: cannot read {path} ({e.strerror or e})") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{where}: {path} is not UTF-8") from None
    except LexiconError as e:
        raise ConfigError(f"{where}: {e}") from None
    if lex.category not in CATEGORIES:
        raise ConfigError(
            f"{where}: {path} needs a '# category:' header line, one of {', '.join(CATEGORIES)}"
        )
    if lex.family == os.path.basename(path):
        lex.family = Path(path).stem
    return lex


@dataclass(frozen=True)
class UserLexiconDetector(LexiconDetector):
    """A lexicon detector over a user's TSV file rather than a shipped one."""

    user_lexicon: Lexicon | None = field(default=None, compare=False, hash=False)

    @property
    def lexicon(self) -> Lexicon:  # type: ignore[override]
        assert self.user_lexicon is not None
        return self.user_lexicon


# Suppression comments. Vale's are the model: an HTML comment in Markdown,
# or the bare marker anywhere on a line of plain text.
_IGNORE_NEXT = re.compile(r"<!--\s*rhetoric:\s*ignore\s*-->", re.IGNORECASE)
_IGNORE_LINE = re.compile(r"rhetoric:\s*ignore-line", re.IGNORECASE)
_OFF = re.compile(r"<!--\s*rhetoric:\s*off\s*-->", re.IGNORECASE)
_ON = re.compile(r"<!--\s*rhetoric:\s*on\s*-->", re.IGNORECASE)


def suppressed_ranges(text: str) -> list[tuple[int, int]]:
    """Character ranges whose findings are dropped: the paragraph after each
    ``<!-- rhetoric: ignore -->`` (or the rest of the paragraph it opens), each
    line holding ``rhetoric: ignore-line``, and each ``off`` ... ``on`` stretch.

    Linear in the text however many markers it holds: the blank lines, line
    ends and ``on`` markers are found once, and each marker looks up its own
    by binary search (each ``off`` searching to the end was quadratic). Lines
    end in ``\n``, ``\r\n`` or ``\r``, as for paragraphs (``Document``)."""
    if "rhetoric:" not in text.lower():
        return []
    out: list[tuple[int, int]] = []
    ignores = list(_IGNORE_NEXT.finditer(text))
    if ignores:
        gaps = [m.start() for m in BLANK_LINE.finditer(text)]
        for m in ignores:
            pos = m.end()
            while pos < len(text) and text[pos].isspace():
                pos += 1
            i = bisect.bisect_left(gaps, pos)
            out.append((m.start(), gaps[i] if i < len(gaps) else len(text)))
    lines = list(_IGNORE_LINE.finditer(text))
    if lines:
        breaks = [(b.start(), b.end()) for b in LINE_BREAK.finditer(text)]
        ends = [b for b, _ in breaks]
        for m in lines:
            i = bisect.bisect_left(ends, m.start())  # the breaks before the marker
            j = bisect.bisect_left(ends, m.end())  # the first one after it
            start = breaks[i - 1][1] if i > 0 else 0
            out.append((start, ends[j] if j < len(ends) else len(text)))
    offs = list(_OFF.finditer(text))
    if offs:
        ons = [(m.start(), m.end()) for m in _ON.finditer(text)]
        on_starts = [a for a, _ in ons]
        for m in offs:
            i = bisect.bisect_left(on_starts, m.end())
            out.append((m.start(), ons[i][1] if i < len(ons) else len(text)))
    return sorted(out)


@dataclass
class _Plan:
    """Everything ``analyze`` needs for documents under one config file."""

    categories: tuple[str, ...] | None
    min_confidence: float
    detectors: tuple[Any, ...]
    ignore: frozenset[str]
    ignore_labels: frozenset[str]


class Analyzer:
    """Turns documents into reports with the options and the configuration
    that applies to each; cheap to keep, so build one per process."""

    def __init__(self, options: Options | None = None) -> None:
        self.options = options or Options()
        self._dir_config: dict[str, Path | None] = {}
        self._configs: dict[str, Config] = {}
        self._plans: dict[str | None, _Plan] = {}
        self._explicit = load_config(self.options.config) if self.options.config else None

    def config_for(self, origin: str | None) -> Config | None:
        """The configuration for an input (a path; None: the working directory)."""
        if self._explicit is not None:
            return self._explicit
        if not self.options.search:
            return None
        folder = os.path.dirname(os.path.abspath(origin)) if origin else os.getcwd()
        if origin and os.path.isdir(origin):
            folder = os.path.abspath(origin)
        if folder not in self._dir_config:
            self._dir_config[folder] = find_config(folder)
        path = self._dir_config[folder]
        if path is None:
            return None
        key = str(path)
        if key not in self._configs:  # read once per analyser, not per document
            self._configs[key] = load_config(path)
        return self._configs[key]

    def describe_config(self, origin: str | None) -> str:
        """Which configuration applies to an input, in words (``--verbose``)."""
        cfg = self.config_for(origin)
        if cfg is not None:
            how = "given with --config" if self._explicit is not None else "found"
            return f"configuration {cfg.path} ({how})"
        if not self.options.search:
            return "no configuration (search off)"
        folder = Path(os.path.abspath(origin) if origin else os.getcwd())
        if not folder.is_dir():
            folder = folder.parent
        top = search_boundary(folder.resolve())
        return f"no configuration file in {folder} or above it up to {top}"

    def _plan(self, cfg: Config | None) -> _Plan:
        key = cfg.path if cfg else None
        hit = self._plans.get(key)
        if hit is not None:
            return hit
        from .detectors import DEFAULT_DETECTORS, RULE_DETECTORS

        o = self.options
        models = o.models if o.models is not None else (cfg.models if cfg else None)
        detectors: tuple[Any, ...] = DEFAULT_DETECTORS if models in (None, True) else RULE_DETECTORS
        if cfg and cfg.lexicons:
            where = f"{cfg.path}: key 'lexicons'"
            detectors = (
                *detectors,
                *(
                    UserLexiconDetector(f"user.{lex.family}", os.path.basename(p), user_lexicon=lex)
                    for p in cfg.lexicons
                    for lex in (_user_lexicon(p, where),)
                ),
            )
        cats = o.categories or (cfg.categories if cfg else None)
        conf = o.min_confidence
        if conf is None:
            conf = cfg.min_confidence if cfg and cfg.min_confidence is not None else 0.0
        plan = _Plan(
            cats,
            conf,
            detectors,
            frozenset(cfg.ignore if cfg else ()),
            frozenset(cfg.ignore_labels if cfg else ()),
        )
        self._plans[key] = plan
        return plan

    def analyze(self, doc: InputDoc) -> Report:
        """Analyse one document under its configuration and inline comments."""
        from .pipeline.analyze import analyze

        plan = self._plan(self.config_for(doc.origin))
        ranges = _merged(suppressed_ranges(doc.text))
        dropped: list[Finding] = []
        filtering = ranges or plan.ignore or plan.ignore_labels
        keep = _keeper(plan, ranges, dropped) if filtering else None
        report = analyze(
            doc.text,
            doc.id,
            categories=plan.categories,
            min_confidence=plan.min_confidence,
            detectors=plan.detectors,
            keep=keep,
        )
        if ranges:
            n = sum(1 for f in dropped if _inside(f, ranges))
            if n:
                report.notes.append(f"{n} finding(s) suppressed by rhetoric: ignore comments")
        return replace(report, metadata=dict(doc.metadata), extracted=doc.extracted)


def _merged(ranges: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted ranges merged into disjoint ones (what ``_inside`` searches)."""
    out: list[tuple[int, int]] = []
    for s, e in sorted(ranges):
        if s >= e:
            continue
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


def _inside(f: Finding, ranges: Sequence[tuple[int, int]]) -> bool:
    """Whether ``f`` starts in one of ``ranges`` (sorted and disjoint, from
    ``_merged``): a binary search, not a scan of every range per finding."""
    i = bisect.bisect_right(ranges, f.start, key=lambda r: r[0]) - 1
    return i >= 0 and f.start < ranges[i][1]


def _keeper(
    plan: _Plan, ranges: Sequence[tuple[int, int]], dropped: list[Finding]
) -> Callable[[Finding], bool]:
    def keep(f: Finding) -> bool:
        ok = not (
            (ranges and _inside(f, ranges))
            or f.label in plan.ignore_labels
            or (plan.ignore and _ignored(f.text, plan.ignore))
        )
        if not ok:
            dropped.append(f)
        return ok

    return keep


def _ignored(text: str, terms: frozenset[str]) -> bool:
    norm = " ".join(normalize(text).split())
    if norm in terms:
        return True
    return " " not in norm and any(b in terms for b in base_forms(norm))
