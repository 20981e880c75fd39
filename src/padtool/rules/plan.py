"""plan.yaml and the entries' `plan` sections -> typed PlanRules, every problem located.

The action plan's data: the roles that own tasks, the phases of the year, the tasks (shared by
every plan, and each entry's own), the agreements to sign, the data plan and the cost drivers.
A task's `depends_on` must name tasks that exist and form no cycle; a task may not come in an
earlier phase than one it depends on, so the phases' order is always a valid order of work.
"""

from __future__ import annotations

from ..errors import Problem, did_you_mean
from ..model import (
    Agreement,
    CostDriver,
    DataPlan,
    PlanPhase,
    PlanRules,
    PlanTask,
    Recorder,
    Role,
)
from ..yamlfile import YamlMap
from .entries import named_resource_key
from .fields import Fields, Item, file_of
from .questions import Index, optional_condition

PLAN_FILE = "plan.yaml"
# The keys of each kind of mapping in plan.yaml and an entry's `plan`: (required, optional).
# schemas/plan.schema.json and the `plan` of schemas/entry.schema.json describe the same keys.
PLAN_KEYS: dict[str, tuple[set[str], set[str]]] = {
    "plan": (
        {"roles", "phases", "tasks", "data_plan"},
        {"agreements", "cost_drivers", "gap_owners", "notes"},
    ),
    "role": ({"id", "name"}, set()),
    "phase": ({"id", "name", "until_day"}, set()),
    "task": (
        {"id", "title", "owner", "produces", "done_when", "phase"},
        {"depends_on", "when", "unless", "closes", "milestone", "sources"},
    ),
    "agreement": (
        {"id", "title", "parties", "points", "applies_to", "sources"},
        {"have", "when"},
    ),
    "data_plan": ({"breakdowns", "baseline", "review", "recorders"}, {"sources"}),
    "recorder": ({"role"}, {"when"}),
    "cost_driver": ({"id", "text", "applies_to"}, {"sources"}),
    "entry_plan": (set(), {"tasks", "savings"}),
}


def read_plan(
    doc: YamlMap,
    questions: Index,
    entry_items: list[Item],
    entry_ids: set[str],
    problems: list[Problem],
) -> PlanRules:
    """The plan data of a rule set from its plan.yaml, and its entries' `plan` sections."""
    return _PlanReader(questions, entry_ids, problems).read(doc, entry_items)


class _PlanReader:
    def __init__(self, questions: Index, entry_ids: set[str], problems: list[Problem]) -> None:
        self.questions, self.entry_ids, self.problems = questions, entry_ids, problems
        self.roles: set[str] = set()
        self.phases: dict[str, int] = {}  # id -> its order

    def read(self, doc: YamlMap, entry_items: list[Item]) -> PlanRules:
        fields = Fields(doc, file_of(doc), "", self.problems)
        fields.allow(*PLAN_KEYS["plan"])
        fields.texts("notes")  # for authors: no plan shows them
        roles = self._roles(fields)
        phases = self._phases(fields)
        tasks = self._tasks(fields)
        entry_tasks: dict[str, tuple[PlanTask, ...]] = {}
        savings: dict[str, str] = {}
        for item in entry_items:
            entry = Fields(item.data, item.file, "", [])  # the entry's own problems are told
            if "plan" not in entry.data:
                continue
            section = self._mapping(entry, "plan")
            if section is None:
                continue
            section.allow(*PLAN_KEYS["entry_plan"])
            entry_tasks[item.id] = self._tasks(section)
            if "savings" in section.data:
                savings[item.id] = section.text("savings")
        self._check_dependencies(tasks, entry_tasks)
        return PlanRules(
            roles=roles,
            phases=phases,
            tasks=tasks,
            entry_tasks=entry_tasks,
            agreements=self._agreements(fields),
            data_plan=self._data_plan(fields),
            cost_drivers=self._cost_drivers(fields),
            gap_owners=self._gap_owners(fields),
            savings=savings,
            file=fields.file,
        )

    def _mapping(self, fields: Fields, key: str) -> Fields | None:
        if key not in fields.data:
            return None
        found = Fields(
            fields.data[key], fields.file, fields.key_path(key), self.problems, fields.position(key)
        )
        return found if found.ok else None

    def _each(self, fields: Fields, key: str, kind: str) -> list[Fields]:
        """The mappings listed under key, each checked for its kind's keys."""
        found = []
        for item, path, position in fields.items(key, required=kind in ("role", "phase")):
            listed = Fields(item, fields.file, path, self.problems, position)
            if listed.ok:
                listed.allow(*PLAN_KEYS[kind])
                found.append(listed)
        return found

    def _roles(self, fields: Fields) -> tuple[Role, ...]:
        roles = []
        for role in self._each(fields, "roles", "role"):
            role_id = role.identifier()
            if role_id in self.roles:
                role.problem("id", f"duplicate role id '{role_id}'")
            elif role_id:
                self.roles.add(role_id)
                roles.append(Role(role_id, role.text("name")))
        return tuple(roles)

    def _phases(self, fields: Fields) -> tuple[PlanPhase, ...]:
        phases: list[PlanPhase] = []
        for phase in self._each(fields, "phases", "phase"):
            phase_id = phase.identifier()
            until = phase.integer("until_day", 0, minimum=1)
            if phases and until <= phases[-1].until_day:
                phase.problem("until_day", f"must be after the previous phase's ({until})")
            if phase_id in self.phases:
                phase.problem("id", f"duplicate phase id '{phase_id}'")
            elif phase_id:
                self.phases[phase_id] = len(phases)
                phases.append(PlanPhase(phase_id, phase.text("name"), until))
        return tuple(phases)

    def _role(self, fields: Fields, key: str, value: str) -> str:
        if value and value not in self.roles:
            fields.problem(key, f"no role '{value}'{did_you_mean(value, self.roles)}")
            return ""
        return value

    def _tasks(self, fields: Fields) -> tuple[PlanTask, ...]:
        tasks = []
        for task in self._each(fields, "tasks", "task"):
            task_id = task.identifier()
            phase = task.text("phase")
            if phase and phase not in self.phases:
                task.problem("phase", f"no phase '{phase}'{did_you_mean(phase, self.phases)}")
            depends_on = tuple(task.texts("depends_on"))
            if not task_id:
                continue
            tasks.append(
                PlanTask(
                    id=task_id,
                    title=task.text("title"),
                    owner=self._role(task, "owner", task.text("owner")),
                    produces=task.text("produces"),
                    done_when=task.text("done_when"),
                    phase=phase,
                    depends_on=depends_on,
                    when=optional_condition(task, "when", self.questions),
                    unless=optional_condition(task, "unless", self.questions),
                    closes=named_resource_key(task, "closes", self.questions),
                    milestone=task.boolean("milestone", False),
                    sources=task.sources("sources"),
                    file=task.file,
                    line=task.data.position[0],
                )
            )
        return tuple(tasks)

    def _check_dependencies(
        self, shared: tuple[PlanTask, ...], by_entry: dict[str, tuple[PlanTask, ...]]
    ) -> None:
        """Every depends_on names a known task in the same or an earlier phase; no cycles.
        An entry's task may depend on the shared tasks and its own entry's."""
        seen: dict[str, PlanTask] = {}
        for task in (*shared, *(t for tasks in by_entry.values() for t in tasks)):
            if task.id in seen:
                earlier = seen[task.id]
                self._at(task, f"duplicate task id '{task.id}' ({earlier.file}:{earlier.line})")
            seen.setdefault(task.id, task)
        for tasks in (shared, *by_entry.values()):
            known = {t.id: t for t in (*shared, *tasks)}
            for task in tasks:
                for wanted in task.depends_on:
                    self._check_dependency(task, wanted, known)
        _report_cycles({t.id: t for t in shared}, self)
        for tasks in by_entry.values():
            _report_cycles({t.id: t for t in (*shared, *tasks)}, self, {t.id for t in tasks})

    def _check_dependency(self, task: PlanTask, wanted: str, known: dict[str, PlanTask]) -> None:
        other = known.get(wanted)
        if other is None:
            self._at(task, f"depends on unknown task '{wanted}'{did_you_mean(wanted, known)}")
        elif self.phases.get(other.phase, 0) > self.phases.get(task.phase, 0):
            self._at(
                task,
                f"is in phase '{task.phase}' but depends on '{wanted}', which comes later "
                f"(phase '{other.phase}')",
            )

    def _at(self, task: PlanTask, message: str) -> None:
        self.problems.append(
            Problem(task.file, f"task '{task.id}' {message}", task.line, key="depends_on")
        )

    def _agreements(self, fields: Fields) -> tuple[Agreement, ...]:
        found = []
        for agreement in self._each(fields, "agreements", "agreement"):
            agreement_id = agreement.identifier()
            parties = agreement.texts("parties", required=True)
            for party in parties:
                self._role(agreement, "parties", party)
            applies_to = self._applies_to(agreement)
            if agreement_id:
                found.append(
                    Agreement(
                        id=agreement_id,
                        title=agreement.text("title"),
                        parties=parties,
                        points=agreement.texts("points", required=True),
                        applies_to=applies_to,
                        sources=agreement.sources("sources", required=True),
                        have=named_resource_key(agreement, "have", self.questions),
                        when=optional_condition(agreement, "when", self.questions),
                    )
                )
        return tuple(found)

    def _applies_to(self, fields: Fields) -> tuple[str, ...]:
        named = fields.texts("applies_to", required=True)
        known = self.entry_ids | {"all"}
        for entry in named:
            if entry not in known:
                fields.problem("applies_to", f"unknown entry '{entry}'{did_you_mean(entry, known)}")
        return named

    def _data_plan(self, fields: Fields) -> DataPlan:
        data = self._mapping(fields, "data_plan")
        if data is None:
            return DataPlan((), "", "", ())
        data.allow(*PLAN_KEYS["data_plan"])
        recorders = []
        for recorder in self._each(data, "recorders", "recorder"):
            role = self._role(recorder, "role", recorder.text("role"))
            recorders.append(Recorder(role, optional_condition(recorder, "when", self.questions)))
        if recorders and recorders[-1].when is not None:
            data.problem("recorders", "the last recorder needs no 'when': it records otherwise")
        return DataPlan(
            breakdowns=data.texts("breakdowns", required=True),
            baseline=data.text("baseline"),
            review=data.text("review"),
            recorders=tuple(recorders),
            sources=data.sources("sources"),
        )

    def _cost_drivers(self, fields: Fields) -> tuple[CostDriver, ...]:
        found = []
        for driver in self._each(fields, "cost_drivers", "cost_driver"):
            driver_id, text = driver.identifier(), driver.text("text")
            applies_to = self._applies_to(driver)
            if driver_id:
                found.append(CostDriver(driver_id, text, applies_to, driver.sources("sources")))
        return tuple(found)

    def _gap_owners(self, fields: Fields) -> dict[str, str]:
        owners = self._mapping(fields, "gap_owners")
        if owners is None:
            return {}
        owners.allow(set(), {"agency", "partner"})
        return {key: self._role(owners, key, owners.text(key)) for key in owners.data if owners.ok}


def _report_cycles(
    tasks: dict[str, PlanTask], reader: _PlanReader, own: set[str] | None = None
) -> None:
    """Report each cycle of depends_on once, at the task it comes back to; with own, only the
    cycles through those tasks (the shared ones' are reported once, on their own)."""
    state: dict[str, str] = {}  # "open" while on the path, "done" once left

    def visit(task_id: str, path: list[str]) -> None:
        state[task_id] = "open"
        for wanted in tasks[task_id].depends_on:
            if wanted not in tasks:
                continue  # reported as unknown
            if state.get(wanted) == "open":
                loop = [*path[path.index(wanted) :], wanted]
                if own is None or own & set(loop):
                    reader._at(tasks[wanted], f"is part of a cycle: {' -> '.join(loop)}")
            elif wanted not in state:
                visit(wanted, [*path, wanted])
        state[task_id] = "done"

    for task_id in tasks:
        if task_id not in state:
            visit(task_id, [task_id])
