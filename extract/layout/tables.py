"""pdfplumber's table finder with its cell search done in linear passes instead of pairwise scans.

pdfplumber's ``intersections_to_cells`` looks, for each intersection of rules, through all the
later intersections for those directly below and to the right, and tests each pair for a shared
rule by building sets of edge boxes again on every test: most of a ruled page's table time once
pdfminer is gone. :func:`intersections_to_cells` returns the same cells (the same smallest cell
from each intersection, in the same order) with the points below and to the right of each found
once and each point's rules as sets built once; :func:`find_tables` is ``page.find_tables``
with it.
"""

from __future__ import annotations

from pdfplumber.table import Table, TableFinder, TableSettings, cells_to_tables, edges_to_intersections
from pdfplumber.utils import obj_to_bbox

Point = tuple[float, float]
Box = tuple[float, float, float, float]


def intersections_to_cells(intersections: dict[Point, dict[str, list[dict]]]) -> list[Box]:
    """The cells the intersections describe, exactly as pdfplumber's function of that name."""
    points = sorted(intersections)
    vertical = {p: {obj_to_bbox(e) for e in intersections[p]["v"]} for p in points}
    horizontal = {p: {obj_to_bbox(e) for e in intersections[p]["h"]} for p in points}
    below: dict[Point, list[Point]] = {}
    right: dict[Point, list[Point]] = {}
    columns: dict[float, list[Point]] = {}
    rows: dict[float, list[Point]] = {}
    for point in reversed(points):
        below[point] = columns.setdefault(point[0], [])[::-1]
        right[point] = rows.setdefault(point[1], [])[::-1]
        columns[point[0]].append(point)
        rows[point[1]].append(point)

    def smallest(point: Point) -> Box | None:
        for under in below[point]:
            if vertical[point].isdisjoint(vertical[under]):
                continue
            for beside in right[point]:
                if horizontal[point].isdisjoint(horizontal[beside]):
                    continue
                corner = (beside[0], under[1])
                if (corner in intersections and not vertical[corner].isdisjoint(vertical[beside])
                        and not horizontal[corner].isdisjoint(horizontal[under])):
                    return (point[0], point[1], corner[0], corner[1])
        return None

    return [cell for cell in map(smallest, points) if cell is not None]


class _Finder(TableFinder):
    """pdfplumber's ``TableFinder`` with :func:`intersections_to_cells`."""

    def __init__(self, page, settings: TableSettings) -> None:
        self.page = page
        self.settings = settings
        self.edges = self.get_edges()
        self.intersections = edges_to_intersections(
            self.edges, settings.intersection_x_tolerance, settings.intersection_y_tolerance)
        self.cells = intersections_to_cells(self.intersections)
        self.tables = [Table(page, group) for group in cells_to_tables(self.cells)]


def find_tables(page, settings: dict | None = None) -> list[Table]:
    """``page.find_tables(settings)``, with the faster cell search."""
    return _Finder(page, TableSettings.resolve(settings)).tables
