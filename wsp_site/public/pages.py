"""The site's own pages, as search should find them (titles and key words per language)."""

from wsp_site.services.catalogue.search import StaticPage

SITE_PAGES = [
    StaticPage(
        path="/wegwijzer",
        title={"nl": "Wegwijzer: welke regeling past?", "en": "Guide: which scheme fits?"},
        body={
            "nl": "Subsidie vinden voor een kandidaat met bijstand, WW, WIA, Wajong of doelgroepregister.",
            "en": "Find a subsidy for a candidate on social assistance, WW, WIA, Wajong or in the target group register.",
        },
    ),
    StaticPage(
        path="/contact",
        title={"nl": "Contact met het werkgeversservicepunt", "en": "Contact the employer service point"},
        body={
            "nl": "Vraag stellen, vacature melden, kandidaat zoeken, terugbellen. Eén vaste contactpersoon.",
            "en": "Ask a question, report a vacancy, find a candidate, call me back. One contact person.",
        },
    ),
    StaticPage(
        path="/voor-gemeenten",
        title={"nl": "Voor gemeenten: linken en insluiten", "en": "For municipalities: linking and embedding"},
        body={
            "nl": "Vaste links voor gemeentelijke websites, webredactie, bron, insluiten.",
            "en": "Stable links for municipal websites, web editors, source, embedding.",
        },
    ),
    StaticPage(
        path="/begrippen",
        title={"nl": "Begrippen: wat betekent het?", "en": "Glossary: what does it mean?"},
        body={
            "nl": "Uitleg van doelgroepregister, doelgroepverklaring, loonwaarde, WML, minimumloon, dagloon, WIA, "
            "WAO, WAZ, Wajong, NUG, BBL, startkwalificatie, praktijkroute.",
            "en": "Explanation of target group register, target group statement, wage value, minimum wage, daily "
            "wage, WIA, WAO, WAZ, Wajong, NUG, BBL, basic qualification, practical route.",
        },
    ),
    StaticPage(
        path="/toegankelijkheid",
        title={"nl": "Toegankelijkheidsverklaring", "en": "Accessibility statement"},
        body={"nl": "WCAG toegankelijkheid toetsenbord beperking", "en": "WCAG accessibility keyboard disability"},
    ),
    StaticPage(
        path="/privacy",
        title={"nl": "Privacyverklaring", "en": "Privacy statement"},
        body={
            "nl": "Persoonsgegevens AVG bewaartermijn cookies rechten",
            "en": "Personal data GDPR retention cookies rights",
        },
    ),
]
