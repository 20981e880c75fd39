"""padtool: choose pre-arrest diversion (deflection) pathways for a jurisdiction."""

__version__ = "0.1.0"
