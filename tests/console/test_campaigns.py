"""The Campaigns page through its states: who may see and who may compose; the phone preview follows the
typing (variables from a sample customer, media, buttons); each limit shown beside its field; media checked
by its bytes; approval, a test to my number, the confirmation with people and cost, sending, live progress,
results with the funnel and the CSV export."""

from __future__ import annotations

import base64
import time

import pytest

from console.state.campaigns import CampaignsState
from console.state.campaigns_composer import ComposerState
from console.state.guard import ALLOWED, FORBIDDEN
from engine.campaigns.dispatch import Dispatcher
from engine.db import TenantScope, session_scope
from engine.models import Campaign, Customer
from tests.console.conftest import add_person, sign_in, toast_text
from tests.engine.campaigns.conftest import add_customers, campaign_env  # noqa: F401 - the `wa` fixture
from tests.engine.conversations.harness import PUBLIC_BASE, WhatsAppEnv

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 64


class Upload:
    def __init__(self, name: str, data: bytes) -> None:
        self.name, self.data = name, data

    async def read(self, size: int = -1) -> bytes:
        return self.data


@pytest.fixture(autouse=True)
def media_dir(tmp_path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("MEDIA_STORAGE_URI", str(tmp_path / "media"))


async def open_page(open_tab, token: str) -> CampaignsState:
    state = open_tab(CampaignsState, token, "/campaigns")
    await state.load_page()
    return state


async def test_viewers_read_results_and_agents_do_not_see_the_page(open_tab, workspace) -> None:
    viewer = await open_page(open_tab, workspace.people["viewer"].token)
    assert viewer.access == ALLOWED and viewer.can_manage is False
    composer = await viewer.get_state(ComposerState)
    await composer.load_page()
    assert "error" in toast_text(await composer.start_new())  # a forged event changes nothing
    assert viewer.view == "list" and composer.body == ""
    agent = await open_page(open_tab, workspace.people["agent"].token)
    assert agent.access == FORBIDDEN
    manager = await open_page(open_tab, workspace.people["manager"].token)
    assert manager.access == ALLOWED and manager.can_manage is True


async def test_the_preview_follows_the_typing_with_a_sample_customer(open_tab, workspace) -> None:
    with session_scope() as db:
        TenantScope(db, workspace.tenant_id).add(
            Customer(phone="+447700900123", name="Ada Lovelace", opted_in=True, tags=["vip"])
        )
    page = await open_page(open_tab, workspace.people["manager"].token)
    composer = await page.get_state(ComposerState)
    await composer.load_page()
    await composer.start_new()
    assert page.view == "compose" and composer.sample_label == "Ada Lovelace"
    composer.set_body("Hi {{first_name}}, *20% off* today in {{last_product}}")
    assert composer.preview.body == "Hi Ada, *20% off* today in our new collection"
    assert [f.name for f in composer.fallbacks] == ["first_name", "last_product"]
    composer.set_fallback("last_product", "our shoes")
    assert composer.preview.body.endswith("in our shoes")
    composer.add_button()
    composer.set_button_title(0, "See sizes")
    composer.add_button()
    composer.set_button_type(1, "url")
    composer.set_button_title(1, "Shop now")
    assert [o.title for o in composer.preview.options] == ["See sizes", "Shop now"]
    composer.add_button(), composer.add_button()
    assert len(composer.buttons) == 3  # WhatsApp's limit: no fourth
    await composer.handle_upload([Upload("spring.jpg", b"GIF89a" + b"\x00" * 40)])
    assert "JPEG or PNG" in composer.errors["media"] and composer.media_key == ""
    await composer.handle_upload([Upload("spring.png", PNG)])
    assert composer.media_kind == "image" and composer.preview.kind == "card"
    assert (
        composer.preview.image_url.startswith("/api/campaign-media/") and "sig=" in composer.preview.image_url
    )
    assert composer.audience_count == "1"
    await composer.set_tags("wholesale")
    assert composer.audience_count == "0"


async def test_each_limit_is_shown_beside_its_field(open_tab, workspace) -> None:
    page = await open_page(open_tab, workspace.people["manager"].token)
    composer = await page.get_state(ComposerState)
    await composer.start_new()
    assert "error" in toast_text(await composer.save_draft())
    assert "name" in composer.errors  # a campaign needs a name
    composer.set_name("Spring sale")
    composer.add_button()
    composer.set_button_title(0, "A title far too long for WhatsApp")
    await composer.save_draft()
    assert "20" in composer.buttons[0].error
    composer.set_button_title(0, "See sizes")
    assert "success" in toast_text(await composer.save_draft())
    assert composer.campaign_id > 0


async def test_approve_test_confirm_send_progress_and_results(open_tab, wa: WhatsAppEnv) -> None:  # noqa: F811
    wa.fake.auto_approve = True  # type: ignore[attr-defined]
    add_customers(wa.tenant_id, 3, tags=["vip"])
    add_customer = add_customers(wa.tenant_id, 1, tags=["vip"], name="=cmd|' /C calc'!A0")
    assert add_customer
    add_person(wa.tenant_id, "lena@shop.test", "manager", full_name="Lena")
    page = await open_page(open_tab, sign_in("lena@shop.test"))
    composer = await page.get_state(ComposerState)
    await composer.start_new()
    composer.set_name("Spring sale")
    composer.set_body("Hi {{first_name}}, spring is here!")
    await composer.handle_upload([Upload("spring.png", PNG)])
    composer.add_button()
    composer.set_button_title(0, "See sizes")
    await composer.set_tags("vip")
    assert composer.audience_count == "4"

    assert "WhatsApp approved" in toast_text(await composer.submit_template())
    assert composer.template_status == "approved"
    composer.set_test_number("+44 7700 900999")
    assert "Test sent to +44 7700 900999" in toast_text(await composer.send_test())

    await composer.review()
    assert composer.confirm_open
    assert composer.confirm_people == "4 people will receive “Spring sale”."
    assert composer.confirm_cost.startswith("Estimated cost: $0.23")  # 4 × (0.0529 + 0.005)
    assert "October 1, 2026" in composer.confirm_note
    await composer.confirm_send()
    assert page.view == "list"
    await page.refresh()
    assert page.rows[0].status in ("scheduled", "sending")

    wa.fake.post_status_callbacks(
        lambda url, form, signature: wa.client.post(
            url.removeprefix(PUBLIC_BASE), data=form, headers={"X-Twilio-Signature": signature}
        ),
        statuses=("sent", "delivered", "read"),
        delay=0.0,
    )
    dispatcher = Dispatcher()
    end = time.monotonic() + 30
    while time.monotonic() < end:
        dispatcher.tick(wait=True)
        with session_scope() as db:
            if db.get(Campaign, composer.campaign_id).status == "sent":
                break
    await page.refresh()
    assert page.rows[0].progress == 100 and page.rows[0].status_label == "Sent"

    end = time.monotonic() + 10
    while time.monotonic() < end:
        await page.open_results(composer.campaign_id)
        if page.funnel[2].people == 4:
            break
        time.sleep(0.1)
    assert page.view == "results" and page.result_recipients == "4"
    assert [f.stage for f in page.funnel][:3] == ["Sent", "Delivered", "Read"]
    assert page.funnel[0].people == 4 and page.funnel[0].share == "100%"
    assert [b.title for b in page.buttons] == ["See sizes"]
    download = await page.export_recipients()
    args = {str(k): v._var_value for k, v in download.args}
    assert args["filename"] == f"campaign-{composer.campaign_id}-recipients.csv"
    text = base64.b64decode(args["url"].split("base64,", 1)[1]).decode()
    assert "name,phone,status" in text and "'=cmd" in text  # a formula in a name is neutralized
