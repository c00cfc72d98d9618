"""Matching vacancies with the candidate pool by explicit rules, each with its reason in words; a person decides.

- `rules`: the knock-outs and the score, configured in one place (the public page /algoritme reads it);
- `geo`: distances between municipal centres (wsp_site/data/municipality_coordinates.yaml);
- `service`: a vacancy's candidates and a candidate's vacancies, from the same rules.
"""
