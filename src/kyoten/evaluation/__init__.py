"""Evaluation cycles in the web app: cycles and their phases, a center's case with its
pinned materials, working groups, reviews, the consolidation, the committee's result and
its publication. Stands on the pure core :mod:`kyoten.cycles` (types, rubric, scale,
outcomes, working-group rules) and :mod:`kyoten.lifecycle` (decisions)."""
