"""One state per console page, plus the shared session state and the page access guard."""
