"""Stock per variant (size × colour): the product keeps their sum, the form's text and the CSV cell read the
same way, export and import round-trip, and a bad cell names the variant and what is wrong with it."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from engine import catalog
from engine.catalog import CatalogError
from engine.catalog.variants import format_variants, parse_variants
from tests.factories import new_tenant

VARIANTS = "UK 8 / Black/White = 3 | UK 8 / Ocean Blue = 0 | UK 9 / Black/White = 2"


def test_a_product_with_variants_keeps_their_sum_and_lists_their_sizes_and_colours(session: Session) -> None:
    tenant = new_tenant(session)
    dto = catalog.create_product(
        session,
        tenant,
        {"sku": "RUN-1", "name": "Cloudstep 90", "price": "95", "stock": 40, "variants": VARIANTS},
    )
    assert dto.stock == 5 and dto.in_stock  # the variants' sum, not the figure typed
    assert dto.sizes == ("UK 8", "UK 9") and dto.colors == ("Black/White", "Ocean Blue")
    assert dto.variants[0] == {"size": "UK 8", "color": "Black/White", "stock": 3}

    plain = catalog.create_product(
        session, tenant, {"sku": "SCK-1", "name": "Socks", "price": "9", "stock": 7}
    )
    assert plain.stock == 7 and plain.variants == ()  # no variants: one stock figure


def test_variants_text_round_trips_and_a_colour_with_a_slash_stays_whole() -> None:
    rows = parse_variants(VARIANTS + " | / Red = 4")
    assert rows[0] == {"size": "UK 8", "color": "Black/White", "stock": 3}
    assert rows[-1] == {"size": "", "color": "Red", "stock": 4}
    assert parse_variants(format_variants(rows)) == rows


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("UK 8 / Black", "write each variant as size / colour = stock"),
        ("UK 8 = lots", "UK 8: stock must be a whole number"),
        ("UK 8 = 1 | uk 8 = 2", "uk 8 is listed twice"),
        (" / = 3", "needs a size or a colour"),
    ],
)
def test_a_bad_variant_is_refused_in_words(session: Session, text: str, words: str) -> None:
    tenant = new_tenant(session)
    with pytest.raises(CatalogError) as exc:
        catalog.create_product(session, tenant, {"sku": "X-1", "name": "X", "price": "1", "variants": text})
    assert exc.value.errors[0].field == "variants" and words in exc.value.errors[0].message


def test_csv_imports_and_exports_variants(session: Session) -> None:
    tenant = new_tenant(session)
    source = f'sku,name,price,stock_by_size\nRUN-1,Cloudstep 90,95,"{VARIANTS}"\nSCK-1,Socks,9,\n'
    report = catalog.import_products_csv(session, tenant, source)
    assert report.ok and report.created == 2
    shoe = catalog.get_product_by_sku(session, tenant, "RUN-1")
    assert shoe is not None and shoe.stock == 5 and len(shoe.variants) == 3

    exported = catalog.export_products_csv(session, tenant)
    assert "variants" in exported.splitlines()[0] and VARIANTS in exported
    again = catalog.import_products_csv(session, tenant, exported)
    assert (again.ok, again.updated, again.unchanged) == (
        True,
        0,
        2,
    )  # exporting and importing changes nothing

    bad = catalog.import_products_csv(session, tenant, 'sku,variants\nRUN-1,"UK 8 = x"\n')
    assert [(e.row, e.field) for e in bad.errors] == [(2, "variants")]
