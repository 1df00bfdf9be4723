"""Issue 24 item 14: what a first-day operator tripped over in the DLZ wizard, each with keys
sent in one burst where keys are involved."""

from __future__ import annotations

from textual.widgets import Input, OptionList, Static

from loom_tui.shell import resume
from loom_tui.app import LoomApp
from loom_tui.shell.field_ready import ResumeOffer
from loom_tui.screens.dlz.screen import DlzScreen

from .helpers import screen_text, until_idle, wait_for
from .test_palette import palette_for
from .test_dlz import choose, keys, open_dlz, to_step


async def test_a_typed_domain_not_yet_submitted_survives_a_drop_and_the_offer_says_what_was_typed():
    app = LoomApp()
    async with app.run_test(size=(80, 24)) as pilot:
        s = await open_dlz(pilot)
        await to_step(pilot, s, "domain")
        await pilot.press(*"logis")  # typed, not submitted
        await wait_for(pilot, lambda: s.query_one("#dlz-input", Input).value == "logis")
        await until_idle(pilot)  # the step's draft save (a worker)
        app.save_resume_state()  # the terminal goes away
    saved = resume.load()
    assert saved is not None and saved.form["typed"] == "logis"
    assert "the DLZ wizard in DLZ at Domain" in resume.describe(saved, "DLZ") and "'logis' typed in the domain" in resume.describe(saved, "DLZ")
    app = LoomApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, ResumeOffer) and app.screen.is_mounted, timeout=60)
        assert "'logis' typed in the domain" in " ".join(str(app.screen.query_one("#offer", Static).content).split())
        await pilot.press("y")
        await wait_for(pilot, lambda: isinstance(app.screen, DlzScreen) and app.screen.wizard is not None
                       and app.screen.query_one("#dlz-input", Input).value == "logis", timeout=60)


async def test_drafts_are_per_user_and_a_clash_says_whose():
    app = LoomApp()
    async with app.run_test(size=(80, 24)) as pilot:
        s = await open_dlz(pilot)
        await to_step(pilot, s, "capacity")  # ops.admin's draft: logistics
        await until_idle(pilot)  # its save
    app = LoomApp(persona="admin")  # dana.steward
    async with app.run_test(size=(80, 24)) as pilot:
        s = await open_dlz(pilot)
        assert s.wizard.step == "intro" and s.wizard.answers.domain == ""  # not ops.admin's draft
        await to_step(pilot, s, "domain")
        await pilot.press(*"logistics", "enter")
        await wait_for(pilot, lambda: "ops.admin@contoso-demo.example's draft already deploys domain 'logistics'"
                       in str(s.query_one("#dlz-reasons", Static).render()))
        assert s.wizard.step == "domain"


async def test_enter_typed_while_the_roles_load_goes_on_once_they_are_read():
    app = LoomApp()
    async with app.run_test(size=(80, 24)) as pilot:
        s = await open_dlz(pilot)
        await to_step(pilot, s, "network")
        await pilot.press("enter", "enter")  # network -> permissions, and on at once: one burst
        await wait_for(pilot, lambda: s.wizard.step == "review", timeout=60)


async def test_a_stale_refusal_clears_once_the_value_is_fixed():
    app = LoomApp()
    async with app.run_test(size=(80, 24)) as pilot:
        s = await open_dlz(pilot)
        await to_step(pilot, s, "domain")
        await pilot.press(*"finance", "enter")
        await wait_for(pilot, lambda: "Next is refused" in str(s.query_one("#dlz-reasons", Static).render()))
        await pilot.press(*["backspace"] * 7, *"logistics")  # fixed, not yet submitted
        await wait_for(pilot, lambda: "Next is refused" not in str(s.query_one("#dlz-reasons", Static).render()))
        assert s.wizard.step == "domain"


async def test_subscriptions_that_hold_a_dlz_are_marked():
    app = LoomApp()
    async with app.run_test(size=(80, 24)) as pilot:
        s = await open_dlz(pilot)
        await to_step(pilot, s, "subscription")
        ol = s.query_one("#dlz-choices", OptionList)
        options = [str(ol.get_option_at_index(i).prompt) for i in range(ol.option_count)]
        east = next(o for o in options if "DLZ East" in o)
        assert "holds DLZ finance, marketing, sales" in east
        assert "holds DLZ" not in next(o for o in options if "DLZ West" in o)
        await choose(pilot, s, "DLZ East")  # picked: refused, naming the DLZ it holds
        await choose(pilot, s, "eastus2")
        await wait_for(pilot, lambda: "already holds the DLZ" in str(s.query_one("#dlz-reasons", Static).render()))


async def test_the_palette_finds_dlz_by_setup_deploy_and_landing():
    app = LoomApp()
    async with app.run_test(size=(80, 24)) as pilot:
        from .helpers import wait_ready

        await wait_ready(pilot)
        for word in ("dlz", "setup", "deploy", "landing"):  # "setup": the web console's name for it
            labels = await palette_for(pilot, word)
            assert any("Go to DLZ" in label for label in labels), (word, labels)
