"""One fake Twilio for the whole browser session.

The console server reads TWILIO_API_BASE_URL once, when the session starts it; a test module that started a
fake of its own at import would take the variable from another module's fake, and whichever module pytest
imported last would win. Every browser test that talks to Twilio uses this one server (the campaign fake is
a superset of the plain one) and adds its own accounts to it.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from tests.fakes.twilio_campaigns import CampaignTwilioServer


class CallbackTwilio(CampaignTwilioServer):
    """The campaign fake, with the console server's status URL on every accepted message once set."""

    status_url = ""

    def create_message(self, account: str, form: Mapping[str, list[str]]) -> tuple[int, dict[str, Any]]:
        if self.status_url and not form.get("StatusCallback"):
            form = {**form, "StatusCallback": [self.status_url]}
        return super().create_message(account, form)


FAKE = CallbackTwilio().start()
FAKE.auto_approve = True
os.environ["TWILIO_API_BASE_URL"] = FAKE.base_url
