"""Conflicts of interest in the web app: findings (detected, declared or recorded), the
PD/PO's decisions on them, their enforcement's one source (:func:`services.conflicted_centers`),
the expert pool and the working groups the optimiser proposes. Stands on the pure cores
:mod:`kyoten.coi` (rules, detection, names) and :mod:`kyoten.assignment` (the optimiser)."""
