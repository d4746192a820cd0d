"""Where a setting stands in ``mkdocs.yml`` (and the files it INHERITs), for messages.

Only composes the YAML (no tags are constructed, so ``!ENV`` and ``!relative``
need no special care) and maps a key path such as
``("extra", "organisation", "help", 0, "url")`` to ``file:line``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml


class ConfigLines:
    def __init__(self, config_file: Path | None) -> None:
        self.files: list[tuple[Path, dict[tuple[Any, ...], int]]] = []
        seen: set[Path] = set()
        current = config_file
        while current is not None and current not in seen and len(self.files) < 10:
            seen.add(current)
            lines, inherit = _lines(current)
            self.files.append((current, lines))
            current = (current.parent / inherit).resolve() if inherit else None

    def __call__(self, path: tuple[Any, ...]) -> str:
        """``file:line`` of the nearest key on ``path`` that the config files set."""
        for probe_len in range(len(path), 0, -1):
            probe = path[:probe_len]
            for file, lines in self.files:
                if probe in lines:
                    return f"{file}:{lines[probe]}"
        return str(self.files[0][0]) if self.files else "mkdocs.yml"


def _lines(file: Path) -> tuple[dict[tuple[Any, ...], int], str | None]:
    try:
        root = yaml.compose(file.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return {}, None
    lines: dict[tuple[Any, ...], int] = {}
    inherit: str | None = None

    def walk(node: yaml.Node, path: tuple[Any, ...]) -> None:
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode):
                    lines[path + (key.value,)] = key.start_mark.line + 1
                    walk(value, path + (key.value,))
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                lines[path + (index,)] = item.start_mark.line + 1
                walk(item, path + (index,))

    if root is not None:
        walk(root, ())
        if isinstance(root, yaml.MappingNode):
            for key, value in root.value:
                if isinstance(key, yaml.ScalarNode) and key.value == "INHERIT" and isinstance(value, yaml.ScalarNode):
                    inherit = value.value
    return lines, inherit
