"""Geometry of the yearly-cycle picture on the start page.

The talk's phases come from the bank; after them the year goes on with
checkpoints and the salary talk, and then the next talk's preparation.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .bank import Bank

WIDTH, HEIGHT = 720, 440
CENTRE_X, CENTRE_Y = WIDTH / 2, HEIGHT / 2
RADIUS_X, RADIUS_Y = 250, 160
BOX_WIDTH, BOX_HEIGHT = 180, 52

# Steps of the year that are not phases of the talk itself.
AFTER_PHASES = ("Avstämningar under året", "Lönesamtal")


@dataclass(frozen=True)
class Node:
    label: str
    x: float
    y: float
    is_phase: bool


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
    box_height: int
    nodes: tuple[Node, ...]
    arrows: tuple[Arrow, ...]
    description: str


def cycle_layout(bank: Bank) -> Cycle:
    labels = [(p.title, True) for p in bank.phases] + [(label, False) for label in AFTER_PHASES]
    count = len(labels)
    nodes = []
    for index, (label, is_phase) in enumerate(labels):
        angle = -math.pi / 2 + 2 * math.pi * index / count
        nodes.append(Node(label, _x(angle), _y(angle), is_phase))
    arrows = [_arrow(-math.pi / 2 + 2 * math.pi * (index + 0.5) / count) for index in range(count)]
    steps = " → ".join(label for label, _ in labels)
    description = f"Året runt ett utvecklingssamtal: {steps} → nästa års {bank.phases[0].title.lower()}."
    return Cycle(
        WIDTH, HEIGHT, CENTRE_X, CENTRE_Y, RADIUS_X, RADIUS_Y, BOX_WIDTH, BOX_HEIGHT,
        tuple(nodes), tuple(arrows), description,
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
