"""The Markdown report a chief hands to partners; reads well on GitHub and in any viewer.

The layout is a Jinja2 template (the bundled `templates/report.md.j2`, or the user's own with
`--template FILE`); this module prepares its data. Every text value in the context is already
escaped for Markdown, so no template can let typed or rule-set text change the report's shape.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from .. import __version__
from ..conditions import UNKNOWN
from ..engine import BuildStep, Reason, Recommendation, Result
from ..model import Example, KnowledgeItem, Origin, Provider, RuleSet, Source
from .text import clean, md_text, md_url, md_user

if TYPE_CHECKING:
    from .template import ReportTemplate


def render_report(result: Result, today: str, template: ReportTemplate | None = None) -> str:
    """The whole report as Markdown, laid out by template (default: the bundled one)."""
    from .template import bundled_template

    layout = template or bundled_template()
    # Sources are numbered in the order a reader meets them, which only the layout knows: a
    # first rendering with marked citations shows that order, the second prints the numbers.
    first = _SourceList()
    marked = layout.render(report_context(result, today, first))
    return layout.render(report_context(result, today, _SourceList(first.reading_order(marked))))


def report_context(
    result: Result, today: str, sources: _SourceList | None = None
) -> dict[str, Any]:
    """The report's data as plain values for a template; text is escaped for Markdown."""
    sources = _SourceList() if sources is None else sources
    rule_set = result.rule_set
    starting_set = [_recommended(rec, sources, rule_set) for rec in result.starting_set]
    return {
        "glance": _glance(result),
        "build_first": [_build_step(step) for step in result.build_first],
        "open_questions": [md_text(q) for q in result.open_questions],
        "agency_type_note": md_text(result.agency_type_note),
        "helpers": _helpers(result),
        "counsel": _once(result, "legal_checks", sources),
        "money": _once(result, "funding", sources),
        "agency": md_user(result.agency) if result.agency else "",
        "today": md_text(today),
        "padtool_version": md_text(__version__),
        "rule_set": {
            "name": md_text(rule_set.name),
            "version": md_text(rule_set.version),
            "disclaimer": md_text(rule_set.disclaimer) if rule_set.disclaimer else "",
            "overlays": [md_text(o.name) for o in rule_set.overlays],
        },
        "summary": _summary(result),
        "profile": _profile(result),
        "starting_set": starting_set,
        "others": [
            {
                "rank": r.rank,
                "name": md_text(r.name),
                "origin": _origin(r.entry.origin),
                "score": r.points,
                "fit": md_text(_fit_words(r)),
                "why_not": md_text(r.why_not),
            }
            for r in result.recommendations
            if not r.recommended
        ],
        "sources": sources.entries(),
        "answers": _answers(result),
        # Question ids: rule-set identifiers ([a-z0-9_-]), safe as they are in a code span.
        "ignored": [clean(q) for q in result.ignored],
    }


def _profile(result: Result) -> str:
    """The jurisdiction in plain words: each answered question's profile sentence."""
    marker = "PADTOOLANSWER"  # no Markdown punctuation: survives escaping unchanged
    sentences = []
    for qid, value in result.answers.items():
        question = result.rule_set.question(qid)
        if question is None or value == []:
            continue
        sentence = question.profile_no if value is False else question.profile
        if not sentence or (value == UNKNOWN and "{answer}" not in sentence):
            continue  # a sentence that does not quote the answer states the "yes" as a fact
        # a label continues the sentence in lower case, but a state is a proper name
        lower = str if qid == result.rule_set.state_question else _lower_first
        if isinstance(value, list):
            answer = "; ".join(lower(question.label(v)) for v in value)
        elif isinstance(value, int) and not isinstance(value, bool):
            answer = f"{value:,}"  # "90,000 residents"
        else:
            answer = lower(question.describe(value))
        shown = md_user(answer) if question.kind.prose else md_text(answer)
        sentences.append(md_text(sentence.replace("{answer}", marker)).replace(marker, shown))
    return " ".join(sentences)


READINESS_WORDS = {
    "ready": "ready to start",
    "build-first": "start after building what is listed",
    "not-yet": "not yet: it needs what the agency cannot build soon",
}
CLOSED_BY_WORDS = {"agency": "your agency", "partner": "a partner", "law": "a change of law"}
MORE_PROVIDERS = 3  # named after the one to call first; "Who can help" lists them all


def _fit_words(rec: Recommendation) -> str:
    return f"{rec.fit_level} fit ({rec.points} of {rec.entry.max_score} points)"


def _glance(result: Result) -> dict[str, Any]:
    """The first page: what to start with and why, readiness, what is missing, who to call."""
    starting = result.starting_set
    first = starting[0] if starting else None
    missing = list(dict.fromkeys(g.text for r in starting for g in r.missing))
    return {
        "first": md_text(first.name) if first else "",
        "why": _why(first),
        "fit": md_text(_fit_words(first)) if first else "",
        "readiness": md_text(READINESS_WORDS[first.readiness]) if first else "",
        "also": [md_text(r.name) for r in starting[1:]],
        "missing": [md_text(m.rstrip(".")) for m in missing[:5]],
        "more_missing": max(len(missing) - 5, 0),
        "call_first": _call(first.call_first) if first and first.call_first else "",
    }


def _why(rec: Recommendation | None) -> str:
    """The strongest reason for the first choice, to follow "a strong fit:"."""
    return _lower_first(md_text(rec.supporting[0].text)) if rec and rec.supporting else ""


def _call(provider: Provider) -> str:
    """The provider to call, with the concrete way to reach it."""
    line = f"**{md_text(provider.name)}** <{md_url(provider.url)}>"
    return line + (f": {md_text(provider.contact)}" if provider.contact else "")


def _build_step(step: BuildStep) -> dict[str, Any]:
    return {
        "name": md_text(step.resource.name),
        "text": md_text(step.text),
        "needed_by": [md_text(n) for n in step.needed_by],
        "closed_by": md_text(CLOSED_BY_WORDS[step.resource.closed_by]),
        "helper": _call(step.providers[0]) if step.providers else "",
    }


def _once(result: Result, kind: str, sources: _SourceList) -> list[dict[str, Any]]:
    """The legal checks or funding items of the starting set, each once, with the
    recommendations it applies to (the report names them per recommendation by title)."""
    found: dict[str, tuple[KnowledgeItem, list[str]]] = {}
    for rec in result.starting_set:
        items: tuple[KnowledgeItem, ...] = getattr(rec, kind)
        for item in items:
            found.setdefault(item.id, (item, []))[1].append(rec.name)
    return [
        {"line": _knowledge(item, sources), "applies": [md_text(n) for n in names]}
        for item, names in found.values()
    ]


def _helpers(result: Result) -> list[dict[str, Any]]:
    """Every provider the report names, once, with the recommendations it helps."""
    named: dict[str, tuple[Provider, list[str]]] = {}
    for rec in result.starting_set:
        for provider in rec.providers[: 1 + MORE_PROVIDERS]:
            named.setdefault(provider.id, (provider, []))[1].append(rec.name)
    for step in result.build_first:
        for provider in step.providers[:1]:
            named.setdefault(provider.id, (provider, []))[1].append(step.resource.name)
    return [
        {"line": _provider(p), "helps": [md_text(n) for n in dict.fromkeys(helps)]}
        for p, helps in named.values()
    ]


def _summary(result: Result) -> str:
    starting = result.starting_set
    if not starting:
        return ""
    first, rest = starting[0], starting[1:]
    text = f"Based on your answers, start with **{md_text(first.name)}**"
    if first.supporting:
        text += f": {_lower_first(md_text(first.supporting[0].text))}"
    text = text.rstrip(".") + "."
    if rest:
        names = " and ".join(f"**{md_text(r.name)}**" for r in rest)
        text += f" Consider adding {names} as the program grows."
    text += (
        " No single pathway is endorsed as right for every community; most start with one "
        "and add more."
    )
    return text


def _recommended(rec: Recommendation, sources: _SourceList, rule_set: RuleSet) -> dict[str, Any]:
    entry = rec.entry
    examples = [_example(x, sources) for x in entry.examples]
    return {
        "rank": rec.rank,
        "score": rec.points,
        "max_score": entry.max_score,
        "fit": md_text(_fit_words(rec)),
        "readiness": rec.readiness,
        "readiness_words": md_text(READINESS_WORDS[rec.readiness]),
        "first_choice": rec.first_choice,
        "name": md_text(rec.name),
        "origin": _origin(entry.origin),
        "summary": md_text(entry.summary),
        "kind": _kind(rec, rule_set),
        "initiated_by": md_text(entry.initiated_by),
        "charges": md_text(entry.charges_note or entry.charges),
        "reasons": [_reason(r) for r in rec.supporting],
        "against": [_reason(r) for r in rec.against],
        "gaps": [
            md_text(f"{g.text} (closed by {CLOSED_BY_WORDS[g.closed_by]})") for g in rec.missing
        ],
        "open_questions": [md_text(g.text) for g in rec.open_questions],
        "first_steps": [md_text(s) for s in rec.steps],
        "partners": [md_text(p) for p in rec.partners],
        "measures": [md_text(m) for m in entry.measures],
        "examples": examples,
        "providers": [_provider(p) for p in rec.providers],
        "call_first": _call(rec.call_first) if rec.call_first else "",
        "more_providers": [md_text(p.name) for p in rec.providers[1 : 1 + MORE_PROVIDERS]],
        "citations": sources.cite_all(entry.sources),
        "legal_checks": [_knowledge(i, sources) for i in rec.legal_checks],
        "legal_titles": [md_text(i.title) for i in rec.legal_checks],
        "legal_note": md_text(rec.legal_note) if rec.legal_note else "",
        "funding": [_knowledge(i, sources) for i in rec.funding],
        "funding_titles": [md_text(i.title) for i in rec.funding],
    }


def _kind(rec: Recommendation, rule_set: RuleSet) -> str:
    entry = rec.entry
    if entry.kind == "pathway":
        return "pathway of the PTACC/TASC deflection framework"
    names = [
        md_text(found.name if (found := rule_set.find_entry(p)) else p) for p in entry.pathways
    ]
    noun = "pathway" if len(names) == 1 else "pathways"
    return f"program model, part of the {', '.join(names)} {noun}"


def _reason(reason: Reason) -> str:
    line = md_text(reason.text)
    if reason.evidence:
        # the question is in the appendix; beside the reason its answer is enough
        answers = "; ".join(
            f"**{md_user(e.answer) if e.typed_by_user else md_text(e.answer)}**"
            for e in reason.evidence
        )
        line += f" (you answered: {answers})"
    return line


def _example(example: Example, sources: _SourceList) -> str:
    where = ", ".join(md_text(x) for x in (example.place, example.year) if x)
    line = md_text(example.name) + (f" ({where})" if where else "")
    return line + (f" {sources.cite(example.source)}" if example.source else "")


def _knowledge(item: KnowledgeItem, sources: _SourceList) -> str:
    """A legal check or funding item: its title in bold, its text, its date, its sources."""
    line = f"**{md_text(item.title)}**: {md_text(item.text)}"
    if item.as_of:
        line += f" *(As of {md_text(item.as_of)}.)*"
    if item.origin:
        line += f" *({_origin(item.origin)})*"
    return line + " " + " ".join(sources.cite(s) for s in item.sources)


def _provider(provider: Provider) -> str:
    line = f"**[{md_text(provider.name)}]({md_url(provider.url)})**: {md_text(provider.offers)}"
    if provider.contact:
        line += f" *Contact:* {md_text(provider.contact)}"
    if provider.cost:
        line += f" *Cost:* {md_text(provider.cost)}"
    if provider.origin:
        line += f" *({_origin(provider.origin)})*"
    return line


def _origin(origin: Origin | None) -> str:
    return md_text(origin.label(capital=True)) if origin else ""


def _answers(result: Result) -> list[dict[str, str]]:
    rows = []
    for qid, value in result.answers.items():
        question = result.rule_set.question(qid)
        if question is not None:
            answer = question.describe(value)
            shown = md_user(answer) if question.kind.prose else md_text(answer)
            rows.append({"question": md_text(question.prompt), "answer": shown})
    return rows


def _lower_first(text: str) -> str:
    """A label continuing a sentence: "A mobile crisis team" -> "a mobile crisis team"; an
    acronym such as "CIT" or "988" stays as it is."""
    first = text.split(" ", 1)[0]
    if len(first) > 1 and first == first.upper():
        return text
    return text[:1].lower() + text[1:]


class _SourceList:
    """Numbered references, each source listed once however often it is cited.

    Given the order in which the rendered report first cites each source, citations are
    numbered in that order; without it they are markers, for reading_order to find.
    """

    _MARKER = re.compile("\x02([0-9]+)\x03")  # control characters: never in escaped text

    def __init__(self, order: list[str] | None = None) -> None:
        self.sources: dict[str, Source] = {}
        self.order = order or []
        self.numbers = None if order is None else {ref: i for i, ref in enumerate(order, 1)}

    def cite(self, source: Source) -> str:
        self.sources.setdefault(source.ref, source)
        if self.numbers is None:
            return f"\x02{list(self.sources).index(source.ref)}\x03"
        return f"[{self.numbers.setdefault(source.ref, len(self.numbers) + 1)}]"

    def cite_all(self, sources: tuple[Source, ...]) -> list[str]:
        """Several sources cited together, each once, in the order of their numbers."""
        unique = list({s.ref: s for s in sources}.values())
        if self.numbers is not None:
            numbers = self.numbers
            unique.sort(key=lambda s: numbers.get(s.ref, len(numbers) + 1))
        return [self.cite(s) for s in unique]

    def reading_order(self, marked: str) -> list[str]:
        """The sources in the order the report marked by these citations cites them first;
        one a layout never shows is left out of the list as well."""
        refs = list(self.sources)
        return list(dict.fromkeys(refs[int(index)] for index in self._MARKER.findall(marked)))

    def entries(self) -> list[dict[str, Any]]:
        found = []
        numbers = self.numbers or {ref: i for i, ref in enumerate(self.sources, 1)}
        shown = len(numbers) if self.numbers is None else len(self.order)
        listed = [s for s in self.sources.values() if numbers[s.ref] <= shown]
        for source in sorted(listed, key=lambda s: numbers[s.ref]):
            title = md_text(source.title) if source.title else ""
            if source.is_url:
                link = f"<{md_url(source.ref)}>"
                text = f"{title}, {link}" if title else link
            else:  # a document of the rule set's own sources, named by its title
                text = title or md_text(source.ref)
            found.append({"number": numbers[source.ref], "text": text})
        return found
