"""services/content/ without HTTP: scope, snapshots and normalising, the draft model, diffs, stale content."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from sqlalchemy import select

from tests.factories import make_user, municipality, service_point
from wsp_site.models import Instrument, OutboxMessage
from wsp_site.services import catalogue
from wsp_site.services.content import (
    diff,
    errors,
    preview,
    publishing,
    scope,
    snapshots,
    staleness,
    validation,
    versions,
)

NOW = dt.datetime(2026, 11, 26, 10, tzinfo=dt.UTC)
TODAY = NOW.date()


def instrument(db, region, slug: str) -> Instrument:
    return db.session.scalar(select(Instrument).filter_by(region_id=region.id, slug=slug))


def editor(db, region, *munis: str, sp: str | None = None, roles=("editor",), **overrides):
    return make_user(
        db,
        region,
        roles=list(roles),
        service_point=service_point(db, region, sp) if sp else None,
        municipalities=[municipality(db, region, m) for m in munis],
        **overrides,
    )


def local_input(**overrides) -> dict:
    texts = {
        "title": "Werkfit Polderdam",
        "summary": "Samenvatting.",
        "what": "Wat.",
        "for_whom": "Voor wie.",
        "employer_gets": "Wat u krijgt.",
        "conditions": "Voorwaarden.",
        "how_to_apply": "Aanvragen.",
        "decision_time": "Twee weken.",
    }
    data = {
        "slug": "werkfit-polderdam",
        "kind": "lokaal",
        "provider": "werk-inkomen-dijkland",
        "municipalities": ["polderdam"],
        "target_groups": ["bijstand"],
        "employer_goals": ["try_out"],
        "external_url": None,
        "last_reviewed_on": "2026-11-01",
        "texts": {"nl": texts},
    }
    data.update(overrides)
    return data


# --- scope -------------------------------------------------------------------------------------------------


def test_scope_rules(db, region):
    polderdam = instrument(db, region, "polderdam-plaatsingspremie")
    dijkland = instrument(db, region, "dijkland-scholingsvoucher")
    heidebos = instrument(db, region, "heidebos-plaatsingspremie")
    basic = instrument(db, region, "jobcoaching")
    uwv = instrument(db, region, "loondispensatie")

    by_municipality = editor(db, region, "polderdam", sp="heidebos")  # municipalities win
    assert [scope.can_edit(by_municipality, i) for i in (polderdam, dijkland, heidebos, basic, uwv)] == [
        True,
        False,
        False,
        False,
        False,
    ]
    by_service_point = editor(db, region, sp="dijkland")
    assert [scope.can_edit(by_service_point, i) for i in (polderdam, dijkland, heidebos, basic)] == [
        True,
        True,
        False,
        False,
    ]
    region_wide = editor(db, region)
    coordinator = editor(db, region, "polderdam", roles=("coordinator",))
    for user in (region_wide, coordinator):
        assert all(scope.can_edit(user, i) for i in (polderdam, dijkland, heidebos, basic, uwv))
    assert scope.allowed_kinds(by_municipality) == ("lokaal",)
    assert scope.allowed_kinds(region_wide) == ("basispakket", "uwv", "lokaal")
    assert [m.slug for m in scope.municipality_choices(db.session, by_municipality, region)] == ["polderdam"]

    account_manager = editor(db, region, roles=("account_manager",))
    inactive = editor(db, region, active=False)
    assert not scope.can_edit(account_manager, polderdam)
    assert not scope.can_edit(inactive, polderdam)


def test_scoped_editor_is_refused_in_the_service_too(db, region):
    polderdam_editor = editor(db, region, "polderdam")
    heidebos = instrument(db, region, "heidebos-plaatsingspremie")
    with pytest.raises(errors.NotAllowed):
        publishing.save(db.session, polderdam_editor, heidebos, snapshots.snapshot(heidebos), NOW)
    with pytest.raises(errors.NotAllowed):
        publishing.publish(db.session, polderdam_editor, heidebos, NOW)
    with pytest.raises(errors.ContentRefused) as refused:
        publishing.create(
            db.session, polderdam_editor, region, local_input(municipalities=["polderdam", "heidedorp"]), NOW
        )
    assert refused.value.problems[0][0] == "municipalities"


def test_version_naming_another_municipality_cannot_be_restored_by_a_scoped_editor(db, region):
    coordinator = editor(db, region, roles=("coordinator",))
    polderdam_editor = editor(db, region, "polderdam")
    target = instrument(db, region, "polderdam-plaatsingspremie")
    wider = publishing.save(
        db.session,
        coordinator,
        target,
        {**snapshots.snapshot(target), "municipalities": ["polderdam", "heidedorp"]},
        NOW,
    )
    narrow = publishing.save(
        db.session, coordinator, target, {**snapshots.snapshot(target), "municipalities": ["polderdam"]}, NOW
    )
    assert narrow.version is not None
    with pytest.raises(errors.ContentRefused):
        publishing.restore(db.session, polderdam_editor, target, wider.version, NOW)
    # while the working copy names Heidedorp, the Polderdam editor cannot change it at all
    publishing.restore(db.session, coordinator, target, wider.version, NOW)
    with pytest.raises(errors.NotAllowed):
        publishing.save(db.session, polderdam_editor, target, versions.working_copy(db.session, target), NOW)


# --- snapshots and the draft model -------------------------------------------------------------------------


def test_normalise_trims_and_orders():
    data = local_input(
        target_groups=["jongere", "bijstand"],
        external_url="  https://www.example.nl/a  ",
        texts={"nl": {"title": " T ", "what": "regel 1\r\nregel 2\r\n"}, "en": {"title": "", "what": "  "}},
    )
    clean = validation.normalise(data)
    assert clean["target_groups"] == ["bijstand", "jongere"]
    assert clean["external_url"] == "https://www.example.nl/a"
    assert clean["texts"]["nl"]["what"] == "regel 1\nregel 2"
    assert clean["texts"]["nl"]["title"] == "T"
    assert "en" not in clean["texts"]
    assert validation.normalise({**data, "kind": "basispakket"})["provider"] is None
    assert validation.normalise({**data, "kind": "uwv"})["municipalities"] == []


def test_snapshot_apply_round_trip(db, region):
    coordinator = editor(db, region, roles=("coordinator",))
    created = publishing.create(db.session, coordinator, region, local_input(), NOW).instrument
    assert created.status == "draft"
    snap = snapshots.snapshot(created)
    assert snap["municipalities"] == ["polderdam"]
    assert snap["texts"]["nl"]["title"] == "Werkfit Polderdam"
    # a new text counts as checked on the day it is written, whatever the input said
    assert snap["last_reviewed_on"] == "2026-11-26"
    written = {**local_input(), "status": "draft", "last_reviewed_on": "2026-11-26"}
    assert snapshots.changed_fields(snap, written) == []
    changed = publishing.save(
        db.session,
        coordinator,
        created,
        local_input(
            municipalities=["polderdam", "dijkhoven"],
            texts={"nl": local_input()["texts"]["nl"], "en": {"title": "Fit"}},
        ),
        NOW,
    )
    assert changed.changes == ["municipalities", "en.title"]
    assert [m.slug for m in created.municipalities] == ["dijkhoven", "polderdam"]  # a draft's row follows at once
    assert created.text("en").title == "Fit"


def test_published_row_keeps_its_text_until_publish(db, region):
    coordinator = editor(db, region, roles=("coordinator",))
    target = instrument(db, region, "jobcoaching")
    data = snapshots.snapshot(target)
    data["texts"]["nl"]["title"] = "Jobcoaching (nieuw)"
    result = publishing.save(db.session, coordinator, target, data, NOW)
    assert result.changes == ["nl.title"]
    assert target.title("nl") == "Jobcoaching"
    assert catalogue.published_instrument(region, "jobcoaching").title("nl") == "Jobcoaching"
    assert versions.has_pending_changes(db.session, target)
    assert preview.preview_instrument(db.session, target).title("nl") == "Jobcoaching (nieuw)"
    assert preview.preview_instrument(db.session, target) not in db.session
    assert publishing.publish(db.session, coordinator, target, NOW) is True
    assert target.title("nl") == "Jobcoaching (nieuw)"
    assert not versions.has_pending_changes(db.session, target)
    assert publishing.publish(db.session, coordinator, target, NOW) is False
    assert [v.action for v in versions.versions(db.session, target)] == ["publish", "save", "import"]


def test_unpublish_then_edit_changes_the_draft_row(db, region):
    coordinator = editor(db, region, roles=("coordinator",))
    target = instrument(db, region, "jobcoaching")
    assert publishing.unpublish(db.session, coordinator, target, NOW) is True
    assert catalogue.published_instrument(region, "jobcoaching") is None
    assert publishing.unpublish(db.session, coordinator, target, NOW) is False
    data = snapshots.snapshot(target)
    data["texts"]["nl"]["summary"] = "Nieuwe samenvatting."
    publishing.save(db.session, coordinator, target, data, NOW)
    assert target.field("summary")[0] == "Nieuwe samenvatting."


def test_conflicting_save_is_refused(db, region):
    coordinator = editor(db, region, roles=("coordinator",))
    target = instrument(db, region, "jobcoaching")
    opened_at = versions.version_number(db.session, target)
    data = snapshots.snapshot(target)
    data["texts"]["nl"]["what"] = "Eerste."
    publishing.save(db.session, coordinator, target, data, NOW, base_version=opened_at)
    data["texts"]["nl"]["what"] = "Tweede."
    with pytest.raises(errors.ContentRefused):
        publishing.save(db.session, coordinator, target, data, NOW, base_version=opened_at)


def test_validation_problems(db, region):
    coordinator = editor(db, region, roles=("coordinator",))
    data = validation.normalise(
        local_input(
            slug="jobcoaching",
            municipalities=[],
            provider="onbekend",
            external_url="javascript:alert(1)",
            last_reviewed_on="2026-13-01",
            target_groups=["astronaut"],
        )
    )
    data["texts"]["nl"]["title"] = ""
    fields = [name for name, _message in validation.validate(db.session, coordinator, region, data)]
    assert fields == [
        "slug",
        "provider",
        "municipalities",
        "target_groups",
        "external_url",
        "last_reviewed_on",
        "nl_title",
    ]
    uwv = validation.normalise(local_input(slug="nieuw-uwv", kind="uwv", provider=None))
    assert [f for f, _m in validation.validate(db.session, coordinator, region, uwv)] == ["provider"]
    basic = validation.normalise(local_input(slug="nieuw-basis", kind="basispakket"))
    assert validation.validate(db.session, coordinator, region, basic) == []


# --- diffs -------------------------------------------------------------------------------------------------


def test_diff_marks_words_and_escapes(db, region):
    old = validation.normalise(local_input())
    new = validation.normalise(local_input(municipalities=["polderdam", "heidedorp"]))
    new["texts"]["nl"]["what"] = 'Wat <script>alert("x")</script> nieuw.'
    diffs = {d.name: d for d in diff.diff_snapshots(db.session, region.id, old, new)}
    assert set(diffs) == {"municipalities", "nl.what"}
    assert diffs["municipalities"].label == "Gemeenten"
    assert "<ins>" in diffs["municipalities"].after and "Heidedorp" in diffs["municipalities"].after
    after = str(diffs["nl.what"].after)
    assert "<script" not in after and "&lt;script&gt;" in after
    assert "<del>" not in after and "<ins>" in after
    first = diff.diff_snapshots(db.session, region.id, None, old)
    assert {d.name for d in first} >= {"slug", "kind", "nl.title"}


# --- stale content -----------------------------------------------------------------------------------------


def test_stale_listing_respects_scope_and_config(app, db, region):
    old = dt.date(2025, 11, 26)  # exactly 12 months before TODAY: stale
    for slug in ("polderdam-plaatsingspremie", "heidebos-plaatsingspremie"):
        instrument(db, region, slug).last_reviewed_on = old
    instrument(db, region, "jobcoaching").last_reviewed_on = old + dt.timedelta(days=1)
    db.session.flush()
    polderdam_editor = editor(db, region, "polderdam")
    coordinator = editor(db, region, roles=("coordinator",))
    assert [i.slug for i in staleness.stale_instruments(db.session, polderdam_editor, region, TODAY)] == [
        "polderdam-plaatsingspremie"
    ]
    everything = {i.slug for i in staleness.stale_instruments(db.session, coordinator, region, TODAY)}
    assert everything >= {"polderdam-plaatsingspremie", "heidebos-plaatsingspremie"}
    assert "jobcoaching" not in everything
    app.config["STALE_AFTER_MONTHS"] = 1
    try:
        assert "jobcoaching" in {i.slug for i in staleness.stale_instruments(db.session, coordinator, region, TODAY)}
    finally:
        app.config["STALE_AFTER_MONTHS"] = 12


def test_stale_digest_one_mail_per_editor_with_their_instruments(db, region):
    instrument(db, region, "polderdam-plaatsingspremie").last_reviewed_on = dt.date(2024, 1, 1)
    instrument(db, region, "heidebos-plaatsingspremie").last_reviewed_on = dt.date(2024, 1, 1)
    instrument(db, region, "loondispensatie").last_reviewed_on = dt.date(2025, 6, 1)  # UWV's: region-wide only
    db.session.flush()
    polderdam_editor = editor(db, region, "polderdam", email="redacteur.polderdam@example.nl")
    heidebos_editor = editor(db, region, sp="heidebos", email="redacteur.heidebos@example.nl")
    heidedorp_only = editor(db, region, "heidedorp", email="redacteur.heidedorp@example.nl")  # Heidebos's is wider
    nothing_stale = editor(db, region, "grootstad", email="redacteur.grootstad@example.nl")
    editor(db, region, "polderdam", email="oud@example.nl", active=False)
    editor(db, region, roles=("viewer",), email="kijker@example.nl")

    dry = staleness.send_stale_digests(db.session, region, TODAY, NOW, dry_run=True)
    assert db.session.scalar(select(OutboxMessage).filter_by(kind="stale_content_digest")) is None
    report = staleness.send_stale_digests(db.session, region, TODAY, NOW)
    assert dry.recipients == report.recipients
    messages = {
        m.to_address: m for m in db.session.scalars(select(OutboxMessage).filter_by(kind="stale_content_digest"))
    }
    assert polderdam_editor.email in messages and heidebos_editor.email in messages
    assert nothing_stale.email not in messages and heidedorp_only.email not in messages
    assert "oud@example.nl" not in messages and "kijker@example.nl" not in messages
    polderdam_mail = messages[polderdam_editor.email]
    assert polderdam_mail.subject == "1 instrument om te controleren"
    assert "Plaatsingspremie mkb Polderdam" in polderdam_mail.body_text
    assert "Heidebos" not in polderdam_mail.body_text and "heidebos" not in polderdam_mail.body_text
    assert "/beheer/inhoud/" in polderdam_mail.body_text
    coordinator_mail = messages["d.aalbers@example.nl"]  # the pack's coordinator: the whole region
    assert coordinator_mail.subject == "3 instrumenten om te controleren"  # and loondispensatie


def test_stale_digest_command(app, db, region):
    instrument(db, region, "polderdam-plaatsingspremie").last_reviewed_on = dt.date(2024, 1, 1)
    db.session.flush()
    runner = app.test_cli_runner()
    result = runner.invoke(args=["content", "stale-digest", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "digest(s) would be enqueued" in result.output
    assert "(dry run) to l.dehaan@example.nl: 1 stale instrument(s)" in result.output  # the pack's Dijkland editor
    assert "(dry run) to d.aalbers@example.nl" in result.output
    assert db.session.scalar(select(OutboxMessage).filter_by(kind="stale_content_digest")) is None


def test_stale_digest_goes_out_once_a_month(app, db, region):
    instrument(db, region, "polderdam-plaatsingspremie").last_reviewed_on = dt.date(2024, 1, 1)
    db.session.commit()  # the command ends its own transaction; the test's data must not go with it
    runner = app.test_cli_runner()

    def stale_mails() -> int:
        return len(db.session.scalars(select(OutboxMessage).filter_by(kind="stale_content_digest")).all())

    with time_machine.travel(dt.datetime(2026, 11, 2, 7, tzinfo=dt.UTC), tick=False):
        first = runner.invoke(args=["content", "stale-digest"])
        sent = stale_mails()
        assert "digest(s) enqueued" in first.output and sent >= 2
    with time_machine.travel(dt.datetime(2026, 11, 30, 7, tzinfo=dt.UTC), tick=False):  # same month
        again = runner.invoke(args=["content", "stale-digest"])
        assert again.exit_code == 0, again.output
        assert again.output.startswith("This month's stale-content digest already went out at 02-11-2026 08:00")
        assert stale_mails() == sent
    with time_machine.travel(dt.datetime(2026, 12, 1, 7, tzinfo=dt.UTC), tick=False):
        assert "digest(s) enqueued" in runner.invoke(args=["content", "stale-digest"]).output
        assert stale_mails() == 2 * sent


def test_load_pack_after_an_editors_publication_leaves_no_stale_working_copy(db, region):
    """The pack wins on `flask wsp load-pack`; the editor's working copy must follow it, or the next
    publish in the back office would quietly put the editor's old text back on the public site."""
    from tests.support import load_test_region

    coordinator = editor(db, region, roles=("coordinator",))
    jobcoaching = instrument(db, region, "jobcoaching")
    data = snapshots.snapshot(jobcoaching)
    data["texts"]["nl"]["title"] = "Jobcoaching (oude tekst van de redactie)"
    publishing.save(db.session, coordinator, jobcoaching, data, NOW)
    assert publishing.publish(db.session, coordinator, jobcoaching, NOW)
    db.session.commit()
    assert jobcoaching.title("nl") == "Jobcoaching (oude tekst van de redactie)"

    report = load_test_region()
    assert "instrument jobcoaching" in report.updated
    db.session.refresh(jobcoaching)
    assert jobcoaching.title("nl") == "Jobcoaching"
    assert versions.working_copy(db.session, jobcoaching)["texts"]["nl"]["title"] == "Jobcoaching"
    assert not versions.has_pending_changes(db.session, jobcoaching)
    assert not publishing.publish(db.session, coordinator, jobcoaching, NOW)  # nothing to publish
    assert jobcoaching.title("nl") == "Jobcoaching"
