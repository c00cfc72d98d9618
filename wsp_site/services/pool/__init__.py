"""The candidate pool: anonymous public profiles of job seekers, each with the instruments that apply to them.

- `occupations`: the shipped occupation list (ISCO-08), `codes`: the profile codes (K-7F3Q);
- `textcheck`: the free-text checker that blocks identifying details;
- `consent`: the consent ledger (record, renew, withdraw; what is in force today);
- `profiles`: creating and keeping profiles in the back office, four-eyes approval, who sees which profile;
- `instruments`: a candidate's instruments, from the finder (services.catalogue.finder);
- `public`: what the public pages and the API may show, the filters and the paging.
"""
