"""Seed the browser tests' database: run as `python -m tests.e2e.seed` with DATABASE_URL set.

Runs in its own process (like the server) so the pytest process never holds the server's database open.
"""

from __future__ import annotations

from engine.accounts import tenants, users
from engine.db import session_scope

PASSWORD = "e2e-password-123"

# email, full name, {tenant slug: role}
PEOPLE: tuple[tuple[str, str, dict[str, str]], ...] = (
    ("maya@greenleaf.test", "Maya Fischer", {"green-leaf": "owner", "northwind": "admin"}),
    ("priya@greenleaf.test", "Priya Shah", {"green-leaf": "admin"}),
    ("sam@greenleaf.test", "Sam Rivera", {"green-leaf": "agent"}),
    ("tom@greenleaf.test", "Tom Becker", {"green-leaf": "viewer"}),
    ("lena@greenleaf.test", "Lena Ortiz", {"green-leaf": "manager"}),
)


def main() -> None:
    with session_scope() as db:
        ids = {
            "green-leaf": tenants.create_tenant(db, name="Green Leaf Bakery", slug="green-leaf").id,
            "northwind": tenants.create_tenant(db, name="Northwind Cafe", slug="northwind").id,
        }
        for email, name, roles in PEOPLE:
            user = users.create_user(db, email=email, password=PASSWORD, full_name=name)
            assert user.id is not None
            for slug, role in roles.items():
                users.add_membership(db, ids[slug], user.id, role)
    print("seeded", len(PEOPLE), "people")


if __name__ == "__main__":
    main()
