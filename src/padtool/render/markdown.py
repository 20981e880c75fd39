"""The Markdown report a chief hands to partners; reads well on GitHub and in any viewer."""

from __future__ import annotations

from .. import __version__
from ..engine import Reason, Recommendation, Result
from ..model import Example, Provider, RuleSet, Source
from .text import md_text, md_url, md_user


def render_report(result: Result, today: str) -> str:
    """The whole report as Markdown. All user text is escaped; rule-set prose is made inert."""
    sources = _SourceList()
    parts = [
        _title(result, today),
        _summary(result),
        *[_recommended(rec, sources, result.rule_set) for rec in result.starting_set],
        _others(result),
        sources.render(),
        _appendix(result),
    ]
    return "\n\n".join(p for p in parts if p) + "\n"


def _title(result: Result, today: str) -> str:
    rule_set = result.rule_set
    agency = md_user(result.agency) if result.agency else "your jurisdiction"
    lines = [
        f"# Pre-arrest diversion pathways for {agency}",
        "",
        f"Prepared {today} with padtool {__version__}, rule set "
        f"“{md_text(rule_set.name)}” version {md_text(rule_set.version)}.",
    ]
    if rule_set.disclaimer:
        lines += ["", f"> {md_text(rule_set.disclaimer)}"]
    return "\n".join(lines)


def _summary(result: Result) -> str:
    starting = result.starting_set
    if not starting:
        return (
            "## Summary\n\nNo pathway reached the minimum fit score for these answers. "
            "Review the pathways below with a technical-assistance provider."
        )
    first, rest = starting[0], starting[1:]
    text = f"Based on your answers, start with **{md_text(first.entry.name)}**"
    if first.reasons:
        text += f": {_lower_first(md_text(first.reasons[0].text))}"
    text = text.rstrip(".") + "."
    if rest:
        names = " and ".join(f"**{md_text(r.entry.name)}**" for r in rest)
        text += f" Consider adding {names} as the program grows."
    text += (
        " No single pathway is endorsed as right for every community; most start with one "
        "and add more."
    )
    rows = ["| Rank | Pathway | Score | Still missing |", "| ---: | --- | ---: | ---: |"]
    rows += [
        f"| {r.rank} | {md_text(r.entry.name)} | {r.score} | {len(r.gaps)} |" for r in starting
    ]
    return "## Summary\n\n" + text + "\n\n" + "\n".join(rows)


def _recommended(rec: Recommendation, sources: _SourceList, rule_set: RuleSet) -> str:
    entry = rec.entry
    heading = f"## {rec.rank}. {md_text(entry.name)}"
    if rec.first_choice:
        heading += " (first choice)"
    lines = [heading, "", f"*{md_text(entry.summary)}*", ""]
    lines += [
        f"- **Kind:** {_kind(rec, rule_set)}",
        f"- **Who starts the contact:** {md_text(entry.initiated_by)}",
        f"- **Charges:** {md_text(entry.charges_note or entry.charges)}",
        f"- **Fit score:** {rec.score} (fit rules can add up to {entry.max_score})",
    ]
    lines += _section("Why it fits", [_reason(r) for r in rec.reasons])
    gaps = [f"- [ ] {md_text(g.text)}" for g in rec.gaps] or [
        "- Nothing: every prerequisite is in place."
    ]
    lines += ["", "### What is still missing", "", *gaps]
    lines += _section(
        "First steps", [f"{i}. {md_text(s)}" for i, s in enumerate(entry.first_steps, 1)]
    )
    lines += _section("Partners to bring to the table", [f"- {md_text(p)}" for p in entry.partners])
    lines += _section("What to measure from day one", [f"- {md_text(m)}" for m in entry.measures])
    lines += _section("Example programs", [_example(x, sources) for x in entry.examples])
    lines += _section("Technical assistance", [_provider(p) for p in rec.providers])
    refs = " ".join(sources.cite(s) for s in entry.sources)
    lines += ["", f"Sources: {refs}"]
    return "\n".join(lines)


def _section(title: str, items: list[str]) -> list[str]:
    return ["", f"### {title}", "", *items] if items else []


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
    line = f"- {md_text(reason.text)}"
    if reason.weight < 0:
        line = f"- Against: {md_text(reason.text)}"
    if reason.evidence:
        answers = "; ".join(
            f"{md_text(e.prompt)} **{md_user(e.answer) if e.typed_by_user else md_text(e.answer)}**"
            for e in reason.evidence
        )
        line += f" (your answers: {answers})"
    return line


def _example(example: Example, sources: _SourceList) -> str:
    where = ", ".join(md_text(x) for x in (example.place, example.year) if x)
    line = f"- {md_text(example.name)}" + (f" ({where})" if where else "")
    return line + (f" {sources.cite(example.source)}" if example.source else "")


def _provider(provider: Provider) -> str:
    line = f"- **[{md_text(provider.name)}]({md_url(provider.url)})**: {md_text(provider.offers)}"
    if provider.contact:
        line += f" *Contact:* {md_text(provider.contact)}"
    if provider.cost:
        line += f" *Cost:* {md_text(provider.cost)}"
    return line


def _others(result: Result) -> str:
    others = [r for r in result.recommendations if not r.recommended]
    if not others:
        return ""
    rows = [
        "## Other pathways considered",
        "",
        "| Rank | Pathway | Score | Why not now |",
        "| ---: | --- | ---: | --- |",
    ]
    rows += [
        f"| {r.rank} | {md_text(r.entry.name)} | {r.score} | {md_text(r.why_not)} |" for r in others
    ]
    return "\n".join(rows)


def _appendix(result: Result) -> str:
    rows = ["## Appendix: your answers", "", "| Question | Answer |", "| --- | --- |"]
    for qid, value in result.answers.items():
        question = result.rule_set.question(qid)
        if question is not None:
            answer = question.describe(value)
            shown = md_user(answer) if question.type == "text" else md_text(answer)
            rows.append(f"| {md_text(question.prompt)} | {shown} |")
    if result.ignored:
        rows += [
            "",
            "Answers ignored because their question did not apply: "
            + ", ".join(f"`{q}`" for q in result.ignored)
            + ".",
        ]
    return "\n".join(rows)


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text[:2] != text[:2].upper() else text


class _SourceList:
    """Numbered references, each source listed once however often it is cited."""

    def __init__(self) -> None:
        self.sources: dict[str, Source] = {}

    def cite(self, source: Source) -> str:
        self.sources.setdefault(source.ref, source)
        return f"[{list(self.sources).index(source.ref) + 1}]"

    def render(self) -> str:
        if not self.sources:
            return ""
        lines = ["## Sources", ""]
        for i, source in enumerate(self.sources.values(), 1):
            title = md_text(source.title) if source.title else ""
            if source.is_url:
                link = f"<{md_url(source.ref)}>"
                lines.append(f"{i}. {title}, {link}" if title else f"{i}. {link}")
            else:  # a document of the rule set's own sources, named by its title
                lines.append(f"{i}. {title}" if title else f"{i}. {md_text(source.ref)}")
        return "\n".join(lines)
