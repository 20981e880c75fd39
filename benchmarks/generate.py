"""Generate large, valid rule sets and answer sets for the scaling benchmarks."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import yaml

KINDS = ("single", "multi", "number", "confirm")


def question(index: int, rng: random.Random) -> dict[str, Any]:
    kind = KINDS[index % len(KINDS)]
    found: dict[str, Any] = {
        "id": f"q{index:04d}",
        "prompt": f"Generated question {index}?",
        "help": "Generated for the benchmark.",
        "type": kind,
    }
    if kind in ("single", "multi"):
        found["options"] = [{"value": f"o{k}", "label": f"Option {k}"} for k in range(5)]
    if kind == "number":
        found.update({"min": 0, "max": 1000})
    return found


def condition(q: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    kind = q["type"]
    if kind == "single":
        return {"question": q["id"], "in": rng.sample([f"o{k}" for k in range(5)], 2)}
    if kind == "multi":
        return {"question": q["id"], "includes_any": rng.sample([f"o{k}" for k in range(5)], 2)}
    if kind == "number":
        return {"question": q["id"], "at_least": rng.randrange(1000)}
    return {"question": q["id"], "equals": rng.random() < 0.5}


def entry(index: int, questions: list[dict[str, Any]], rng: random.Random) -> dict[str, Any]:
    def cond() -> dict[str, Any]:
        parts = [condition(rng.choice(questions), rng) for _ in range(rng.randint(1, 3))]
        return parts[0] if len(parts) == 1 else {rng.choice(["all", "any"]): parts}

    return {
        "id": f"e{index:04d}",
        "name": f"Generated entry {index}",
        "kind": "pathway",
        "summary": "Generated for the benchmark.",
        "definition": "Generated for the benchmark.",
        "initiated_by": "An officer.",
        "charges": "none",
        "fit": [
            {"when": cond(), "weight": rng.choice([-2, -1, 1, 2, 3]), "reason": f"Rule {k}."}
            for k in range(5)
        ],
        "prerequisites": [{"when": cond(), "gap": f"Gap {k}."} for k in range(2)],
        "first_steps": ["Meet."],
        "sources": ["https://example.org/generated"],
    }


def write_rule_set(folder: Path, entries: int, questions: int, seed: int = 7) -> Path:
    """A valid rule set with the given numbers of entries and questions."""
    rng = random.Random(seed)
    qs = [question(i, rng) for i in range(questions)]
    (folder / "entries").mkdir(parents=True, exist_ok=True)
    dump = _dump
    dump(
        folder / "ruleset.yaml", {"name": "generated", "version": "1", "agency_question": "agency"}
    )
    agency = {"id": "agency", "prompt": "Agency?", "help": "Name.", "type": "text"}
    dump(folder / "questions.yaml", {"questions": [agency, *qs]})
    for i in range(entries):
        dump(folder / "entries" / f"e{i:04d}.yaml", entry(i, qs, rng))
    providers = [
        {
            "id": f"p{i}",
            "name": f"Provider {i}",
            "offers": "Help.",
            "serves": [f"e{k:04d}" for k in rng.sample(range(entries), min(3, entries))],
            "url": "https://example.org/p",
            "sources": ["https://example.org/p"],
            "checked": "2026-01-01",
            "checked_source": "https://example.org/p",
        }
        for i in range(20)
    ]
    dump(folder / "providers.yaml", {"providers": providers})
    return folder


def answers(questions: int, seed: int) -> dict[str, Any]:
    """A complete, valid answer set for a rule set made by write_rule_set."""
    rng = random.Random(seed)
    found: dict[str, Any] = {"agency": f"Agency {seed}"}
    for i in range(questions):
        options = [f"o{k}" for k in range(5)]
        found[f"q{i:04d}"] = random_answer(KINDS[i % len(KINDS)], options, 0, 1000, rng)
    return found


def random_answer(kind: str, options: list[str], low: int, high: int, rng: random.Random) -> Any:
    """A valid random answer to a question of this kind."""
    if kind == "single":
        return rng.choice(options)
    if kind == "multi":
        return rng.sample(options, rng.randint(0, len(options)))
    if kind == "number":
        return rng.randint(low, high)
    if kind == "confirm":
        return rng.random() < 0.5
    return f"Agency {rng.randrange(10**6)}"


def _dump(path: Path, data: Any) -> None:
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
