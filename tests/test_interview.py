"""The questionnaire driven with real key presses through prompt_toolkit's pipe input."""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput

from conftest import MINIMAL_RULES, edited_minimal
from padtool.interview import Interrupted, ask_all, ask_report_files
from padtool.loader import load_rule_set
from padtool.model import RuleSet

DOWN, ENTER, SPACE, CTRL_C, BACKSPACE = "\x1b[B", "\r", " ", "\x03", "\x7f"


@pytest.fixture(scope="module")
def minimal() -> RuleSet:
    return load_rule_set(MINIMAL_RULES)


@pytest.fixture
def keys() -> Iterator[object]:
    with create_pipe_input() as pipe:
        yield pipe


def interview(
    rule_set: RuleSet,
    pipe: object,
    typed: str,
    saved: list[dict[str, object]],
    given: dict[str, object] | None = None,
) -> dict[str, object]:
    pipe.send_text(typed)  # type: ignore[attr-defined]
    return ask_all(
        rule_set,
        given or {},
        lambda answers: saved.append(dict(answers)),
        input=pipe,
        output=DummyOutput(),
    )


def test_every_question_type_is_answered(minimal: RuleSet, keys: object) -> None:
    saved: list[dict[str, object]] = []
    typed = (
        "Testville PD"
        + ENTER  # text
        + SPACE
        + ENTER  # multi: overdoses
        + DOWN
        + ENTER  # single: rarely (asked because of overdoses)
        + "1,250"
        + ENTER  # number, with a thousands separator
        + "y"
    )  # confirm
    answers = interview(minimal, keys, typed, saved)
    assert answers == {
        "agency": "Testville PD",
        "challenges": ["overdoses"],
        "overdose_level": "rarely",
        "officers": 1250,
        "prosecutor": True,
    }
    assert len(saved) == 5 and saved[-1] == answers  # saved after every single answer


def test_conditional_question_is_skipped(minimal: RuleSet, keys: object) -> None:
    saved: list[dict[str, object]] = []
    typed = "T" + ENTER + DOWN + SPACE + ENTER + "12" + ENTER + "n"  # only crisis calls
    answers = interview(minimal, keys, typed, saved)
    assert "overdose_level" not in answers
    assert answers["challenges"] == ["crisis"] and answers["prosecutor"] is False


def test_invalid_number_is_refused_until_corrected(minimal: RuleSet, keys: object) -> None:
    saved: list[dict[str, object]] = []
    typed = (
        "T"
        + ENTER
        + ENTER  # no challenges
        + "abc"
        + ENTER
        + BACKSPACE * 3  # not a number: stays on the question
        + "-4"
        + ENTER
        + BACKSPACE * 2  # below min 0: stays
        + "30"
        + ENTER
        + "n"
    )
    answers = interview(minimal, keys, typed, saved)
    assert answers["officers"] == 30


def test_empty_required_text_is_refused(minimal: RuleSet, keys: object) -> None:
    saved: list[dict[str, object]] = []
    answers = interview(
        minimal, keys, ENTER + "  " + ENTER + "Named" + ENTER + ENTER + "5" + ENTER + "n", saved
    )
    assert answers["agency"] == "Named"


def test_ctrl_c_keeps_the_answers_given(minimal: RuleSet, keys: object) -> None:
    saved: list[dict[str, object]] = []
    with pytest.raises(Interrupted):
        interview(minimal, keys, "Testville" + ENTER + SPACE + ENTER + "wee" + CTRL_C, saved)
    assert saved[-1] == {"agency": "Testville", "challenges": ["overdoses"]}


def test_closed_input_keeps_the_answers_given(minimal: RuleSet, keys: object) -> None:
    saved: list[dict[str, object]] = []
    keys.send_text("Testville" + ENTER)  # type: ignore[attr-defined]
    keys.close()  # type: ignore[attr-defined]
    with pytest.raises(Interrupted):
        ask_all(
            minimal,
            {},
            lambda answers: saved.append(dict(answers)),
            input=keys,
            output=DummyOutput(),
        )
    assert saved[-1] == {"agency": "Testville"}


def test_sigterm_while_an_answer_is_saved_ends_the_interview_after_the_save(
    minimal: RuleSet, keys: object
) -> None:
    saved: list[dict[str, object]] = []

    def save_then_stop(answers: dict[str, object]) -> None:
        os.kill(os.getpid(), signal.SIGTERM)  # arrives in the middle of the save
        saved.append(dict(answers))

    keys.send_text("Testville" + ENTER + SPACE + ENTER)  # type: ignore[attr-defined]
    with pytest.raises(Interrupted) as stopped:
        ask_all(minimal, {}, save_then_stop, input=keys, output=DummyOutput())
    assert stopped.value.exit_code == 143
    assert saved == [{"agency": "Testville"}]  # saved whole; the next question never ran


def test_sigterm_while_a_prompt_waits_ends_it(minimal: RuleSet, keys: object) -> None:
    saved: list[dict[str, object]] = []
    later = threading.Timer(0.5, os.kill, (os.getpid(), signal.SIGTERM))
    later.start()
    try:
        with pytest.raises(Interrupted) as stopped:
            interview(minimal, keys, "Testville" + ENTER, saved)  # then waits on question 2
    finally:
        later.cancel()
    assert stopped.value.exit_code == 143
    assert saved == [{"agency": "Testville"}]


def test_a_resumed_interview_does_not_walk_back_to_an_optional_question_skipped(
    keys: object, tmp_path: Path
) -> None:
    """A session keeps answers only: an optional question with no answer before the last
    answered one was skipped, and resuming goes on from the last answer instead."""
    rules = load_rule_set(
        edited_minimal(
            tmp_path,
            "questions.yaml",
            "    max: 100000\n",
            "    max: 100000\n    required: false\n",
        )
    )
    resumed = {"agency": "Testville", "challenges": ["crisis"], "prosecutor": True}
    keys.close()  # type: ignore[attr-defined]  # any question asked would meet end of input
    saved: list[dict[str, object]] = []
    assert ask_all(rules, resumed, saved.append, input=keys, output=DummyOutput()) == resumed
    # an optional question after the last answer is still asked
    with pytest.raises(Interrupted):
        ask_all(
            rules,
            {"agency": "T", "challenges": ["crisis"]},
            saved.append,
            input=keys,
            output=DummyOutput(),
        )


def test_prefilled_answers_are_not_asked_again(minimal: RuleSet, keys: object) -> None:
    saved: list[dict[str, object]] = []
    given = {"agency": "Kept", "challenges": ["crisis"], "officers": 7}
    answers = interview(minimal, keys, "y", saved, given)  # only the confirm is left
    assert answers == {**given, "prosecutor": True}


CTRL_B = "\x02"


def test_back_twice_and_change_an_answer(minimal: RuleSet, keys: object) -> None:
    saved: list[dict[str, object]] = []
    typed = (
        "T"
        + ENTER
        + SPACE
        + ENTER
        + ENTER  # agency, overdoses, weekly
        + CTRL_B
        + CTRL_B  # at officers: back to level, back to challenges
        + SPACE
        + DOWN
        + SPACE
        + ENTER  # untick overdoses, tick crisis calls
        + "40"
        + ENTER
        + "n"  # the overdose question no longer applies
    )
    answers = interview(minimal, keys, typed, saved)
    assert answers == {"agency": "T", "challenges": ["crisis"], "officers": 40, "prosecutor": False}


def test_back_keeps_an_answer_for_when_its_question_returns(minimal: RuleSet, keys: object) -> None:
    saved: list[dict[str, object]] = []
    typed = (
        "T"
        + ENTER
        + SPACE
        + ENTER
        + DOWN
        + ENTER  # overdoses, rarely
        + CTRL_B
        + CTRL_B  # at officers: back to level, to challenges
        + SPACE
        + ENTER  # untick overdoses: level drops out
        + CTRL_B  # at officers: back to challenges
        + SPACE
        + ENTER  # tick overdoses again
        + ENTER  # level comes back with 'rarely' selected
        + "5"
        + ENTER
        + "y"
    )
    answers = interview(minimal, keys, typed, saved)
    assert answers["overdose_level"] == "rarely"
    assert any("overdose_level" not in s for s in saved)  # dropped while it did not apply


def test_back_from_the_first_question_stays_there(minimal: RuleSet, keys: object) -> None:
    saved: list[dict[str, object]] = []
    answers = interview(minimal, keys, CTRL_B + "T" + ENTER + ENTER + "1" + ENTER + "n", saved)
    assert answers["agency"] == "T"


def test_review_lets_the_user_change_any_answer(minimal: RuleSet, keys: object) -> None:
    from padtool.interview import review

    saved: list[dict[str, object]] = []
    given = {"agency": "Old name", "challenges": [], "officers": 7, "prosecutor": False}
    steps = [
        DOWN + ENTER,  # anything to change? change an answer
        ENTER,  # which answer? 1. Agency name
        BACKSPACE * 8 + "New name" + ENTER,  # the old answer is the default text
        ENTER,  # back on the review: see the results
    ]
    keys.send_text("".join(steps))  # type: ignore[attr-defined]
    answers = review(
        minimal, given, lambda a: saved.append(dict(a)), input=keys, output=DummyOutput()
    )
    assert answers == {**given, "agency": "New name"}
    assert saved[-1]["agency"] == "New name"


def test_review_edit_asks_questions_that_now_apply(minimal: RuleSet, keys: object) -> None:
    from padtool.interview import review

    given = {"agency": "A", "challenges": [], "officers": 7, "prosecutor": False}
    steps = [
        DOWN + ENTER,  # anything to change? change an answer
        DOWN + ENTER,  # which answer? 2. challenges
        SPACE + ENTER,  # tick overdoses
        DOWN + ENTER,  # the overdose question now applies: 'rarely'
        ENTER,  # see the results
    ]
    keys.send_text("".join(steps))  # type: ignore[attr-defined]
    answers = review(minimal, given, lambda a: None, input=keys, output=DummyOutput())
    assert answers["overdose_level"] == "rarely" and answers["officers"] == 7


def save_prompt(
    pipe: object, typed: str, name: Path, kind: str = "md"
) -> list[tuple[str, str, bool]]:
    pipe.send_text(typed)  # type: ignore[attr-defined]
    return ask_report_files(str(name), kind, lambda _: "", input=pipe, output=DummyOutput())


def test_the_report_is_offered_as_markdown_html_both_or_not_at_all(
    keys: object, tmp_path: Path
) -> None:
    name = tmp_path / "report"
    assert save_prompt(keys, ENTER + ENTER, name) == [(f"{name}.md", "md", False)]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        (DOWN + ENTER + ENTER, [("html", False)]),  # HTML, to print or save as PDF
        (DOWN * 2 + ENTER + ENTER + ENTER, [("md", False), ("html", False)]),  # both
        (DOWN * 3 + ENTER, []),  # don't save
    ],
    ids=["html", "both", "none"],
)
def test_each_choice_asks_one_file_name_per_file(
    tmp_path: Path, typed: str, expected: list[tuple[str, bool]]
) -> None:
    name = tmp_path / "report"
    with create_pipe_input() as pipe:
        chosen = save_prompt(pipe, typed, name)
    assert chosen == [(f"{name}.{kind}", kind, replace) for kind, replace in expected]


def test_both_files_keep_replace_or_rename(keys: object, tmp_path: Path) -> None:
    name = tmp_path / "report"
    (tmp_path / "report.md").write_text("old\n", encoding="utf-8")
    (tmp_path / "report.html").write_text("old\n", encoding="utf-8")
    other = tmp_path / "other.html"
    typed = (
        DOWN * 2
        + ENTER  # both
        + ENTER
        + ENTER  # report.md exists: replace it
        + ENTER
        + DOWN
        + ENTER  # report.html exists: choose another name
        + "\x15"
        + str(other)
        + ENTER  # Ctrl-U clears the name
    )
    assert save_prompt(keys, typed, name) == [
        (f"{name}.md", "md", True),
        (str(other), "html", False),
    ]


def test_both_files_cannot_have_one_name(keys: object, tmp_path: Path) -> None:
    """The HTML file given the Markdown file's name is refused at the prompt: both would be
    written to one file, and the second write would fail after the first."""
    name = tmp_path / "report"
    same = f"{name}.md"
    typed = (
        DOWN * 2
        + ENTER  # both
        + ENTER  # report.md
        + "\x15"
        + same
        + ENTER  # the same name again: refused, the prompt stays
        + "\x15"
        + f"{name}-print.html"
        + ENTER
    )
    assert save_prompt(keys, typed, name) == [
        (same, "md", False),
        (f"{name}-print.html", "html", False),
    ]


def test_html_is_the_default_after_format_html(keys: object, tmp_path: Path) -> None:
    name = tmp_path / "report"
    assert save_prompt(keys, ENTER + ENTER, name, "html") == [(f"{name}.html", "html", False)]


def test_json_is_offered_first_after_format_json(keys: object, tmp_path: Path) -> None:
    """A format for scripts is offered only when --format asks for it, and then first."""
    name = tmp_path / "report"
    assert save_prompt(keys, ENTER + ENTER, name, "json") == [(f"{name}.json", "json", False)]
    with create_pipe_input() as pipe:  # after it: Markdown, HTML, both, don't save
        assert save_prompt(pipe, DOWN * 4 + ENTER, name, "json") == []
