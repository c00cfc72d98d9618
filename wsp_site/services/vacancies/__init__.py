"""Vacancies: work employers report at /vacature-melden, kept in the back office and matched with the pool.

- `intake`: a reported vacancy is stored and routed as a lead (services.leads.intake, request type vacature),
  with the Vacancy row beside it;
- `workflow`: who may see and change a vacancy, its status changes and closing date, the proposals of
  candidates and their decisions (every step by a person, every step an event);
- `report`: proposals and placements by the candidate's situation and sub-region.

Matching a vacancy with candidates is services.matching.
"""
