"""Renderers: each takes the engine's Result (or the rule set) and returns text or data."""
