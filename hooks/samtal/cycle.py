"""Geometry of the yearly-cycle picture: the talk's phases, then the rest of the year.

Everything drawn comes from the bank (``phases`` and ``cycle``). Boxes are
sized to their labels, so a long step never spills out of its box.
"""

from __future__ import annotations

import math
import textwrap
from dataclasses import dataclass

from .markup import plain
from .model import Bank

WIDTH, HEIGHT = 760, 470
CENTRE_X, CENTRE_Y = WIDTH / 2, HEIGHT / 2
RADIUS_X, RADIUS_Y = 255, 165
BOX_WIDTH = 196
LINE_HEIGHT = 22
CHARS_PER_LINE = 17  # at the picture's font size, in a box of BOX_WIDTH


@dataclass(frozen=True)
class Node:
    lines: tuple[str, ...]
    x: float
    y: float
    height: float
    is_phase: bool

    @property
    def label(self) -> str:
        return " ".join(self.lines)


@dataclass(frozen=True)
class Arrow:
    points: str


@dataclass(frozen=True)
class Cycle:
    width: int
    height: int
    centre_x: float
    centre_y: float
    radius_x: float
    radius_y: float
    box_width: int
    line_height: int
    title: str
    centre: tuple[str, ...]
    nodes: tuple[Node, ...]
    arrows: tuple[Arrow, ...]
    steps: tuple[str, ...]  # every step in order, for the text alternative


def cycle_layout(bank: Bank) -> Cycle:
    assert bank.cycle is not None, "checked by the cycle marker"
    labels = [(plain(p.title), True) for p in bank.phases] + [(plain(s.title), False) for s in bank.cycle.steps]
    count = len(labels)
    nodes = []
    for index, (label, is_phase) in enumerate(labels):
        angle = -math.pi / 2 + 2 * math.pi * index / count
        lines = tuple(textwrap.wrap(label, CHARS_PER_LINE)) or ("",)
        nodes.append(Node(lines, _x(angle), _y(angle), 16 + LINE_HEIGHT * len(lines), is_phase))
    arrows = [_arrow(-math.pi / 2 + 2 * math.pi * (index + 0.5) / count) for index in range(count)]
    return Cycle(
        WIDTH,
        HEIGHT,
        CENTRE_X,
        CENTRE_Y,
        RADIUS_X,
        RADIUS_Y,
        BOX_WIDTH,
        LINE_HEIGHT,
        title=plain(bank.cycle.title),
        centre=tuple(textwrap.wrap(plain(bank.cycle.centre), 22)),
        nodes=tuple(nodes),
        arrows=tuple(arrows),
        steps=tuple(label for label, _ in labels),
    )


def _x(angle: float) -> float:
    return round(CENTRE_X + RADIUS_X * math.cos(angle), 1)


def _y(angle: float) -> float:
    return round(CENTRE_Y + RADIUS_Y * math.sin(angle), 1)


def _arrow(angle: float, size: float = 9) -> Arrow:
    """A small arrowhead on the ellipse, pointing clockwise."""
    x, y = _x(angle), _y(angle)
    dx, dy = -RADIUS_X * math.sin(angle), RADIUS_Y * math.cos(angle)
    length = math.hypot(dx, dy)
    ux, uy = dx / length, dy / length
    tip = (x + ux * size, y + uy * size)
    left = (x - ux * size - uy * size, y - uy * size + ux * size)
    right = (x - ux * size + uy * size, y - uy * size - ux * size)
    points = " ".join(f"{px:.1f},{py:.1f}" for px, py in (tip, left, right))
    return Arrow(points)
