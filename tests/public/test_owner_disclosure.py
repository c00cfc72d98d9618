"""Anyone can type an address at a company's domain: such a request still reaches the company's account holder, but
the employer is not told who that is (no name, Reply-To the service point), unless the KvK number confirms the
company (issue 18, finding 11)."""

from __future__ import annotations

from sqlalchemy import select

from tests.public.test_contact import submit
from wsp_site.models import Lead, OutboxMessage
from wsp_site.services.mail import deferred


def _latest(db) -> Lead:
    return db.session.scalar(select(Lead).order_by(Lead.id.desc()))


def _confirmation(db, lead) -> OutboxMessage:
    return db.session.scalar(select(OutboxMessage).filter_by(lead_id=lead.id, kind="lead_confirmation"))


def test_a_stranger_at_the_companys_domain_is_not_told_the_contact_person(client, db):
    submit(client)
    first = _latest(db)
    holder = first.owner
    submit(client, kvk=None, contact_name="Onbekende Vreemde", email="vreemde@bakkerij-deproef.example.nl")
    second = _latest(db)
    assert second.owner == holder  # still the company's account holder: nothing is lost
    assert not second.owner_disclosed and first.owner_disclosed
    done = client.get("/contact/verzonden").get_data(as_text=True)
    assert holder.first_name not in done and "Een adviseur" in done
    confirmation = _confirmation(db, second)
    assert holder.first_name not in deferred.rendered(db.session, confirmation).body_text
    assert confirmation.reply_to != holder.email
    assert confirmation.reply_to in (holder.service_point.email, second.region.email)


def test_the_kvk_number_confirms_the_company(client, db):
    submit(client)
    holder = _latest(db).owner
    submit(client, email="collega@bakkerij-deproef.example.nl", contact_name="Collega Bakker")
    again = _latest(db)
    assert again.owner == holder and again.owner_disclosed
    assert holder.first_name in client.get("/contact/verzonden").get_data(as_text=True)
    assert _confirmation(db, again).reply_to == holder.email
