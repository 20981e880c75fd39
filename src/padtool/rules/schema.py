"""The keys of each kind of mapping in the rule files."""

from __future__ import annotations

OVERLAY_KEYS = {"override", "disabled"}  # read when the layers are merged
# The keys of each kind of mapping in the rule files: (required, optional). The JSON Schemas in
# pathways/schemas/ describe the same keys; a test keeps the two in step.
KEYS: dict[str, tuple[set[str], set[str]]] = {
    "ruleset": (
        {"name", "version", "agency_question"},
        {"starting_set_size", "min_score", "min_fit", "strong_fit", "gap_penalty", "disclaimer"}
        | {"agency_type_question", "operating_question", "planning_question", "state_question"},
    ),
    "overlay": ({"name"}, {"description"}),
    "question": (
        {"id", "prompt", "type"},
        {"help", "options", "when", "required", "min", "max", "max_length", "source", "profile"}
        | {"profile_no", "dont_know", "integer", "multiline", "removed_options"}
        | OVERLAY_KEYS,
    ),
    "option": ({"value", "label"}, {"aliases"}),
    "removed_option": ({"value", "instead"}, set()),
    "entry": (
        {"id", "name", "kind", "summary", "definition", "initiated_by", "charges", "fit"}
        | {"sources"},
        {"pathways", "aliases", "requires", "charges_note", "target_population", "short_name"}
        | {"prerequisites", "first_steps", "partners", "measures", "examples", "notes"}
        | {"plan"}  # read by rules/plan.py
        | OVERLAY_KEYS,
    ),
    "requires": ({"when", "reason"}, set()),
    "fit": ({"when", "weight", "reason"}, set()),
    "prerequisite": (
        set(),
        {"when", "gap", "penalty", "buildable", "closed_by", "find_out", "blocks_launch"}
        | {"resource"},
    ),
    "step": ({"text"}, {"when", "unless", "instead", "closes"}),
    "resource": (
        {"id", "name", "have", "missing", "build", "sources"},
        {"closed_by", "find_out", "blocks_launch", "providers", "notes"} | OVERLAY_KEYS,
    ),
    "example": ({"name"}, {"place", "year", "source"}),
    "provider": (
        {"id", "name", "offers", "url", "sources", "checked", "checked_source"},
        {"serves", "contact", "cost", "notes", "contact_type", "no_cost", "agency_types"}
        | {"archived", "states"}
        | OVERLAY_KEYS,
    ),
    "legal_check": (
        {"id", "title", "text", "applies_to", "sources"},
        {"when", "notes"} | OVERLAY_KEYS,
    ),
    "funding_item": (
        {"id", "title", "text", "applies_to", "sources", "as_of"},
        {"when", "notes"} | OVERLAY_KEYS,
    ),
    "archived": ({"ended", "note"}, {"replaced_by"}),
    "source": ({"url"}, {"title"}),
}
