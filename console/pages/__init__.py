"""One module per console page; importing this package registers them all with `console.template.PAGES`."""

from console.pages import (  # noqa: F401 - imported for their @page registration
    analytics,
    campaigns,
    catalog,
    conversations,
    knowledge,
    overview,
    persona,
    playground,
    settings,
)
