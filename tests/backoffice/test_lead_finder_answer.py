"""Issue 16: the lead keeps the candidate's municipality and situation from the finder, and its page shows what
the finder says for them (the same service as the public finder), so the account manager starts there."""

from __future__ import annotations

from tests.factories import make_lead
from tests.pages import form_values
from tests.public.test_candidate_answers import EMPLOYER
from wsp_site.models import Lead


def test_the_lead_keeps_and_shows_the_finders_answers(client, client_request, db, region, make_staff, login_as):
    finder = client_request.get("public.finder", situatie="bijstand", gemeente="polderdam")
    contact = next(a["href"] for a in finder.select("main a[href^='/contact?']"))
    html = client.get(contact).get_data(as_text=True)
    response = client.post("/contact", data={**form_values(html), **EMPLOYER})
    assert response.status_code == 303
    lead = Lead.query.order_by(Lead.id.desc()).first()
    assert (lead.candidate_municipality.slug, lead.candidate_situation) == ("polderdam", "bijstand")
    assert lead.location.slug == "grootstad" and lead.request_type == "kandidaat"

    login_as(make_staff("coordinator"))
    detail = client_request.get("backoffice.lead_detail", lead_id=lead.id)
    text = " ".join(detail.get_text(" ").split())
    assert "Woonplaats van de kandidaat Polderdam" in text
    assert "Situatie van de kandidaat Bijstandsuitkering" in text
    section = detail.find(id="wegwijzer").find_parent("section")
    links = [a["href"] for a in section.select("a[href^='/instrumenten/']")]
    # What the public finder shows for the same answers, in the same order.
    public = [a["href"] for a in finder.select(".wsp-finder__result a[href^='/instrumenten/']")]
    assert links == public and "/instrumenten/polderdam-plaatsingspremie" in links
    assert "/instrumenten/grootstad-werkgeverscheque" not in links
    headings = [h.get_text(strip=True) for h in section.find_all("h3")]
    assert headings[0].startswith("Het regionale basispakket, via Werk & Inkomen Dijkland")


def test_a_lead_without_candidate_answers_shows_no_finder_section(db, region, client_request, make_staff, login_as):
    owner = make_staff()
    lead = make_lead(db, region, owner=owner)
    login_as(owner)
    detail = client_request.get("backoffice.lead_detail", lead_id=lead.id)
    assert detail.find(id="wegwijzer") is None
    assert "niet opgegeven" in detail.get_text()
