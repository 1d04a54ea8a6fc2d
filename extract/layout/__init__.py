"""Layout: positions and text rows → lines of cells (ruled grids, space-aligned columns, logical rows)."""
