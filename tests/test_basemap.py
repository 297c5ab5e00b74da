"""geo.basemap: preparing the offline relief, water and labels."""

from __future__ import annotations

import pytest
import shapely

from geo.basemap import _same_dimension

BOX = shapely.box(0, 0, 10, 10)


@pytest.mark.parametrize(
    ("shape", "dim", "expected_types"),
    [
        # a river leaving the box and touching its edge again: lines only, no stray point
        (
            shapely.GeometryCollection(
                [shapely.LineString([(1, 1), (5, 5)]), shapely.Point(10, 3)]
            ),
            1,
            {"LineString"},
        ),
        (shapely.MultiLineString([[(1, 1), (2, 2)], [(3, 3), (4, 4)]]), 1, {"MultiLineString"}),
        (shapely.Point(10, 3), 1, None),  # only a point is left: no river at all
        # a lake clipped at the edge keeps its area, not a sliver of line
        (
            shapely.GeometryCollection(
                [shapely.box(1, 1, 3, 3), shapely.LineString([(10, 0), (10, 2)])]
            ),
            2,
            {"Polygon"},
        ),
        (shapely.LineString([(0, 0), (0, 5)]), 2, None),
    ],
)
def test_clipped_water_keeps_only_its_own_kind_of_shape(shape, dim, expected_types):
    got = _same_dimension(shape, dim)
    if expected_types is None:
        assert got is None
    else:
        assert {got.geom_type} == expected_types
