"""Adversarial inputs and property-based fuzzing: padtool fails cleanly or not at all."""
