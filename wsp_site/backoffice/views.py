"""Every view module of the back office; importing this module registers their routes on `bp`."""

from wsp_site.backoffice import (  # noqa: F401 - imported for their routes
    admin_views,
    auth_views,
    content_views,
    intermediary_admin_views,
    lead_views,
    match_views,
    pool_import_views,
    pool_request_views,
    pool_views,
    portal_views,
    privacy_candidate_views,
    privacy_views,
    report_views,
    review_views,
    vacancy_views,
)
