"""Every word the generator shows a reader, from a strings file per language.

A strings file is YAML: nested sections of keys, each a text or, for a text
that depends on a number, ``{one: …, other: …}``. Placeholders are written
``{name}``. A file may ``inherit`` another (``lattlast.yml`` inherits ``sv``)
and then only holds what differs.

Templates call ``t("sheet.save_file")``; Python code calls :meth:`Strings.t`;
the browser gets the ``js`` section as data (:meth:`Strings.js_module`).
Looked up in the guide's own ``strings/`` folder first, then in the engine's.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from markupsafe import Markup, escape

ENGINE_DIR = Path(__file__).resolve().parent.parent.parent / "overrides" / "samtal" / "strings"
REFERENCE = "sv"  # every other strings file must have this one's keys
Text = str | dict[str, str]


class StringsError(Exception):
    """A strings file is missing, unreadable or lacks a key."""


@dataclass(frozen=True)
class Strings:
    name: str
    language: str
    texts: Mapping[str, Text]
    files: tuple[Path, ...] = ()
    warnings: tuple[str, ...] = field(default=(), compare=False)

    def has(self, key: str) -> bool:
        return key in self.texts

    def t(self, key: str, count: int | None = None, **values: Any) -> str:
        """The text under ``key`` with its placeholders filled in (plain text)."""
        return _format(self._pick(key, count), key, self, {**values, **({"count": count} if count is not None else {})})

    def markup(self, key: str, count: int | None = None, **values: Any) -> Markup:
        """For templates: the text escaped, placeholders filled in (a value may be Markup)."""
        text = self._pick(key, count)
        fill = {**values, **({"count": count} if count is not None else {})}
        return Markup(_format(str(escape(text)), key, self, {k: escape(v) for k, v in fill.items()}))  # noqa: S704 - all parts escaped

    def _pick(self, key: str, count: int | None) -> str:
        try:
            value = self.texts[key]
        except KeyError:
            where = ", ".join(str(f) for f in self.files) or self.name
            raise StringsError(f"{where}: texten '{key}' saknas i strängfilen '{self.name}'") from None
        if isinstance(value, dict):
            return value["one"] if count == 1 and "one" in value else value["other"]
        return value

    def section(self, prefix: str) -> dict[str, Text]:
        """Every text whose key starts with ``prefix.``, keyed by the rest."""
        start = prefix + "."
        return {key[len(start) :]: value for key, value in self.texts.items() if key.startswith(start)}

    def js_module(self) -> str:
        """The ``js`` section as an ES module: ``export default {...};``.

        Written so no text can end the script or confuse an HTML parser
        (``<``, ``>``, ``&`` and the line separators are escaped).
        """
        data = json.dumps({"language": self.language, "texts": self.section("js")}, ensure_ascii=False, sort_keys=True)
        for char, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
            data = data.replace(char, escaped)
        return f"// Made at build time from the strings file '{self.name}'.\nexport default {data};\n"


def load_strings(name: str, folders: list[Path]) -> Strings:
    """The strings file ``name`` (and those it inherits), from the first folder that has it."""
    texts: dict[str, Text] = {}
    files: list[Path] = []
    language = ""
    chain = _chain(name, folders)
    for path, data in reversed(chain):
        files.append(path)
        language = str(data.get("language") or language)
        texts.update(_flatten(data, path))
    strings = Strings(name=name, language=language or name, texts=texts, files=tuple(files))
    warnings = _missing_keys(strings, folders) if name != REFERENCE else ()
    return Strings(strings.name, strings.language, strings.texts, strings.files, warnings)


def _chain(name: str, folders: list[Path]) -> list[tuple[Path, dict[str, Any]]]:
    chain: list[tuple[Path, dict[str, Any]]] = []
    seen: set[str] = set()
    current: str | None = name
    while current:
        if current in seen:
            raise StringsError(f"strängfilen '{current}' ärver från sig själv (inherit)")
        seen.add(current)
        path = next((folder / f"{current}.yml" for folder in folders if (folder / f"{current}.yml").is_file()), None)
        if path is None:
            places = ", ".join(str(f) for f in folders)
            raise StringsError(f"strängfilen '{current}.yml' finns inte (letade i {places})")
        data = _read(path)
        chain.append((path, data))
        inherit = data.get("inherit")
        current = str(inherit) if inherit else None
    return chain


def _read(path: Path) -> dict[str, Any]:
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506 - a safe loader
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise StringsError(f"{path}: strängfilen går inte att läsa ({exc})") from None
    if not isinstance(data, dict):
        raise StringsError(f"{path}: strängfilen ska vara nycklar med texter")
    return data


_META = {"language", "inherit"}


def _flatten(data: Mapping[str, Any], path: Path, prefix: str = "") -> dict[str, Text]:
    out: dict[str, Text] = {}
    for key, value in data.items():
        if not prefix and key in _META:
            continue
        full = f"{prefix}{key}"
        if isinstance(value, str):
            out[full] = value
        elif isinstance(value, dict) and set(value) <= {"one", "other"} and "other" in value:
            out[full] = {k: str(v) for k, v in value.items()}
        elif isinstance(value, dict):
            out.update(_flatten(value, path, full + "."))
        else:
            raise StringsError(f"{path}: '{full}' ska vara en text, inte {type(value).__name__}")
    return out


def _missing_keys(strings: Strings, folders: list[Path]) -> tuple[str, ...]:
    reference = load_strings(REFERENCE, folders)
    missing = sorted(set(reference.texts) - set(strings.texts))
    where = strings.files[-1] if strings.files else strings.name
    return tuple(f"{where}: texten '{key}' saknas (den finns i {REFERENCE}.yml)" for key in missing)


# A placeholder is a plain name: {count}, {title}. Nothing else in braces is read, so a
# strings file cannot reach into the values' attributes ({name.__class__...}) the way
# str.format would let it.
_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


def _format(text: str, key: str, strings: Strings, values: dict[str, Any]) -> str:
    if "{" not in text:
        return text

    def fill(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in values:
            raise StringsError(f"strängfilen '{strings.name}': texten '{key}' har {{{name}}}, men inget värde ges för det")
        return str(values[name])

    return _PLACEHOLDER.sub(fill, text)
