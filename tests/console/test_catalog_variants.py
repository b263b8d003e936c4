"""The Catalog drawer's stock per size and colour: the grid follows the size and colour chips, saves the
cells as the product's variants (its stock their sum), shows a bad cell's problem in words, and a hold made
from WhatsApp reads as one in Orders."""

from __future__ import annotations

from console.state.catalog_editor import CatalogEditorState
from console.state.catalog_rows import ORDER_STATUS, status_label
from tests.console.conftest import toast_text
from tests.console.test_catalog import open_catalog, product, sibling


async def test_the_grid_saves_stock_per_size_and_colour(open_tab, workspace) -> None:
    state = await open_catalog(open_tab, workspace)
    editor = await sibling(state, CatalogEditorState)
    await editor.open_new("product")
    await editor.add_chips("sizes", {"sizes": "UK 7|UK 8"})
    await editor.add_chips("colors", {"colors": "Black, Slate Grey"})
    await editor.set_per_variant(True)
    assert editor.grid_colors == ["Black", "Slate Grey"]
    assert [row[0][0] for row in editor.stock_grid] == ["UK 7", "UK 8"]
    assert editor.stock_grid[1][2] == ["UK 8|Slate Grey", "0"]

    form = {"name": "Ridgeline", "sku": "TRL-1", "price": "115", "stock": "99"}
    cells = {"variant::UK 7|Black": "2", "variant::UK 8|Black": "", "variant::UK 8|Slate Grey": "4"}
    toast = toast_text(await editor.save({**form, **cells}))
    assert "success" in toast
    saved = product(workspace.tenant_id, "TRL-1")
    assert saved.stock == 6  # the grid's sum, not the 99 typed in Stock
    assert {(v["size"], v["color"]): v["stock"] for v in saved.variants} == {
        ("UK 7", "Black"): 2,
        ("UK 7", "Slate Grey"): 0,
        ("UK 8", "Black"): 0,  # a blank cell is none left
        ("UK 8", "Slate Grey"): 4,
    }

    await editor.open_edit("product", saved.id)
    assert editor.per_variant and editor.variant_stock["UK 8|Slate Grey"] == "4" and editor.variant_total == 6


async def test_a_bad_cell_is_named_and_nothing_is_saved(open_tab, workspace) -> None:
    state = await open_catalog(open_tab, workspace)
    editor = await sibling(state, CatalogEditorState)
    await editor.open_new("product")
    await editor.add_chips("sizes", {"sizes": "UK 9"})
    await editor.set_per_variant(True)
    result = await editor.save({"name": "Fell", "sku": "F-1", "price": "90", "variant::UK 9|": "lots"})
    assert result is None and editor.open
    assert editor.errors["variants"] == "UK 9: stock must be a whole number, 0 or more."


def test_a_hold_from_whatsapp_reads_as_one_in_orders() -> None:
    assert status_label("on_hold", ORDER_STATUS) == ("On hold for the customer", "amber")
