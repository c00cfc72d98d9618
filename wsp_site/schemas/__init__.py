"""One definition of valid input (pydantic v2), for every way data comes in.

| model | used by |
| --- | --- |
| `instrument.InstrumentIn` | pack files and the content import (packs.read), the content editor (content.validation); `kind_problems` also on every flush (models.Instrument.validate) |
| `region_pack.RegionPackIn` | region.yaml with its instrument files (packs.read) |
| `people.PersonIn`, `PersonRolesIn` | the pack's people, inviting and editing a person (people.staff), `flask wsp create-user` |
| `routing.RoutingRuleIn`, `RoutingIn` | the pack's routing, the coordinators' rule screens and default key account (leads.rules) |
| `api.InstrumentQuery`, `LanguageQuery` | the query parameters of the JSON API (api.params) |

The models speak English, in the words of the pack loader, and give every error a code; schemas.errors turns
them into each caller's shape (PackError naming the file and entry, Dutch form-field messages, the API's
`invalid-params`). What a model refers to (the pack's organisations, the region's municipalities, the people
who handle leads) comes in through the validation context: see schemas.base.
"""
