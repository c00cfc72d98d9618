"""Every view module of the public site; importing this module registers their routes on `bp`."""

from wsp_site.public import (  # noqa: F401 - their routes/hooks
    algorithm_views,
    catalogue_views,
    contact_views,
    pool_request_views,
    pool_views,
    supply_demand_views,
    vacancy_public_views,
    vacancy_views,
    visit,
)
