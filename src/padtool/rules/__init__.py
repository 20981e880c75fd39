"""Readers of the rule files, one module per kind of item; padtool.loader puts them together."""
