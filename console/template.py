"""`@page(...)`: wrap a page's content in the shell and register it with its access-checking on_load.

Pages register into `PAGES` instead of Reflex's global decorator list so `console.console` adds them
explicitly (and tests can list every page and its guard).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import reflex as rx

from console.components.shell import shell
from console.navigation import BY_KEY
from console.state.banner import OfflineBannerState
from console.state.guard import PageState


@dataclass(frozen=True)
class PageSpec:
    """A registered console page."""

    route: str
    title: str
    page_key: str
    state: type[PageState]
    render: Callable[[], rx.Component]
    on_load: list[Any] = field(default_factory=list)


PAGES: list[PageSpec] = []


def page(
    route: str,
    title: str,
    page_key: str,
    state: type[PageState],
    *,
    subtitle: str | None = None,
    extra_on_load: Sequence[Any] = (),
    full_width: bool = False,
) -> Callable[[Callable[[], rx.Component]], Callable[[], rx.Component]]:
    """Register `content()` as a shelled page at `route`, guarded by `state.load_page` on load.

    `page_key` names the sidebar entry to highlight; `state.page_key` is what access is checked against
    (usually the same; Settings → Team adds TeamState's own check through `extra_on_load`).
    """

    def decorator(content: Callable[[], rx.Component]) -> Callable[[], rx.Component]:
        nav = BY_KEY.get(page_key)
        line = subtitle if subtitle is not None else (nav.subtitle if nav else "")

        def render() -> rx.Component:
            return shell(
                page_key=page_key,
                title=title,
                subtitle=line,
                state=state,
                content=content(),
                full_width=full_width,
            )

        render.__name__ = content.__name__
        render.__doc__ = content.__doc__
        PAGES.append(
            PageSpec(
                route=route,
                title=title,
                page_key=page_key,
                state=state,
                render=render,
                # Every page also loads the offline banner the shell draws under its top bar.
                # A page's toasts leave with it: the next page starts without the last one's news.
                on_load=[rx.toast.dismiss(), state.load_page, *extra_on_load, OfflineBannerState.load_banner],
            )
        )
        return render

    return decorator
