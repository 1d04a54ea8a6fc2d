"""extract.layout.ruling: the border sides a table ruled only between its cells lacks."""

from extract.layout.ruling import closing_lines


def _h(y, x0, x1):
    return {"orientation": "h", "top": y, "bottom": y, "x0": x0, "x1": x1}


def _v(x, top, bottom):
    return {"orientation": "v", "x0": x, "x1": x, "top": top, "bottom": bottom}


def _sides(lines):
    return sorted((e["orientation"], round(e["x0"]), round(e["top"]), round(e["x1"]), round(e["bottom"])) for e in lines)


def test_a_grid_ruled_inside_only_gets_its_four_sides():
    inner = [_h(20, 0, 90), _h(30, 0, 90), _v(30, 10, 40), _v(60, 10, 40)]  # 3 × 3 cells, no border
    assert _sides(closing_lines(inner)) == [("h", 0, 10, 90, 10), ("h", 0, 40, 90, 40),
                                            ("v", 0, 10, 0, 40), ("v", 90, 10, 90, 40)]


def test_a_closed_grid_gets_nothing_even_with_sides_drawn_cell_by_cell_or_overhanging():
    box = [_h(10, 0, 90), _h(40, 0, 90), _v(0, 10, 25), _v(0, 25, 40), _v(90, 10, 40)]
    inside = [_h(25, -4, 94), _v(45, 6, 44)]  # rules that overhang the border by 4 points
    assert closing_lines(box + inside) == []


def test_open_left_and_right_sides_only_get_those():
    lines = [_h(10, 0, 90), _h(25, 0, 90), _h(40, 0, 90), _v(45, 10, 40)]  # top and bottom drawn, no sides
    assert _sides(closing_lines(lines)) == [("v", 0, 10, 0, 40), ("v", 90, 10, 90, 40)]


def test_lone_rules_and_separate_tables_are_kept_apart():
    underline = [_h(5, 0, 200)]
    cross = [_h(100, 0, 50), _v(25, 90, 110)]  # two crossing rules are not a grid
    table = [_h(220, 0, 90), _v(30, 210, 230), _v(60, 210, 230)]
    assert _sides(closing_lines(underline + cross + table)) == [
        ("h", 0, 210, 90, 210), ("h", 0, 230, 90, 230), ("v", 0, 210, 0, 230), ("v", 90, 210, 90, 230)]
