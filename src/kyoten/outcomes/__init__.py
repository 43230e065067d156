"""Outcome indicators of the centers: their papers (the DOIs of their annual reports) measured
with :mod:`kyoten.bibliometrics` beside benchmark units, published to the web application.

Indicators are computed by ``kyoten outcomes publish`` and stored with their provenance;
pages only read what was stored.
"""
