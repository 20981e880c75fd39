"""The live workshop room through its web pages (Starlette's test client): joining, answering
the questionnaire, the trainer's controls, and what guards them."""

from __future__ import annotations

import html
import io
import json
import re
import signal
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from conftest import Run
from padtool.conditions import AnswerValue
from padtool.model import RuleSet
from padtool.question_types import NAMES
from padtool.room.app import JOIN_LIMIT, MAX_BODY, Settings, create_app
from padtool.room.pages import environment
from padtool.room.state import STATE_FILE, Room, team_slug
from padtool.scenarios import load_scenarios
from roomserver import (
    RoomServer,
    answer_all,
    current_question,
    fields,
    post,
    some_answer,
)
from roomserver import csrf_token as csrf

TODAY = "2026-12-03"


class Rig:
    """A room in a folder and a way to open it in browsers (test clients) of its own."""

    def __init__(self, directory: Path, rule_set: RuleSet, **options: Any) -> None:
        self.directory, self.rule_set, self.options = directory, rule_set, options
        self.open()

    def open(self) -> None:
        """Open the room from its folder, as a (re)started server does."""
        self.room = Room.open(self.directory, self.rule_set, **self.options)
        settings = Settings("http://testserver/", lambda: TODAY, stream_seconds=0.3)
        self.app = create_app(self.room, settings)

    def browser(self) -> TestClient:
        return TestClient(self.app, follow_redirects=True)

    def trainer(self) -> TestClient:
        client = self.browser()
        assert client.get(f"/room?key={self.room.trainer_key}").status_code == 200
        return client


@pytest.fixture
def rig(tmp_path: Path, rule_set: RuleSet) -> Rig:
    return Rig(tmp_path / "room", rule_set, min_group=2)


def join(rig: Rig, client: TestClient, team: str, code: str | None = None) -> Any:
    start = client.get("/")
    code = rig.room.join_code if code is None else code
    return client.post("/join", data={"csrf": csrf(start.text), "code": code, "team": team})


def scenario_answers(rule_set: RuleSet, index: int) -> dict[str, AnswerValue]:
    return dict(load_scenarios(rule_set)[index].answers)


# -- joining -------------------------------------------------------------------------------


def test_a_team_joins_and_answers_the_whole_questionnaire(rig: Rig, rule_set: RuleSet) -> None:
    client = rig.browser()
    page = join(rig, client, "River Town")
    assert page.status_code == 200
    assert "question 1 of" in page.text
    wanted = scenario_answers(rule_set, 0)
    results = answer_all(client, rig.rule_set, wanted)
    assert results.status_code == 200
    assert "Download your report" in results.text
    assert "Pre-arrest diversion pathways for" in results.text
    saved = (rig.directory / "river-town.yaml").read_text(encoding="utf-8")
    assert "agency_name:" in saved
    markdown = client.get("/report.md")
    assert markdown.headers["content-disposition"].startswith("attachment")
    assert markdown.text.startswith("# Pre-arrest diversion pathways")
    assert client.get("/report.html").text.startswith("<!DOCTYPE html>")


def test_a_wrong_join_code_is_refused(rig: Rig) -> None:
    client = rig.browser()
    page = join(rig, client, "Team A", code="WRONG1")
    assert page.status_code == 403
    assert "not this room's join code" in html.unescape(page.text)
    assert not rig.room.teams
    assert client.get("/q").url.path == "/"  # no team: back to the join page


def test_the_join_code_may_be_typed_in_lower_case_with_spaces(rig: Rig) -> None:
    code = rig.room.join_code
    page = join(rig, rig.browser(), "Team A", code=f" {code[:3].lower()} {code[3:].lower()}")
    assert page.status_code == 200
    assert "question 1 of" in page.text


@pytest.mark.parametrize(
    ("name", "file"),
    [
        ("../x", "x.yaml"),
        ("<script>alert(1)</script>", "script-alert-1-script.yaml"),
        ("Équipe Zürich 東京", "équipe-zürich-東京.yaml"),
        ("a" * 500, "a" * 40 + ".yaml"),
        ("CON", "con-team.yaml"),
    ],
)
def test_hostile_team_names_become_safe_file_names(rig: Rig, name: str, file: str) -> None:
    client = rig.browser()
    page = join(rig, client, name)
    assert page.status_code == 200
    qid = current_question(page.text)
    value = some_answer(rig.rule_set, qid)
    data = [("csrf", csrf(page.text)), ("question", qid), ("go", "next")]
    post(client, "/q", data + fields(rig.rule_set, qid, value))
    assert [p.name for p in rig.directory.iterdir() if p.name != STATE_FILE] == [file]
    assert "<script>" not in page.text  # the name is shown escaped
    assert not (rig.directory.parent / "x.yaml").exists()


def test_a_team_with_a_name_in_any_script_downloads_its_report(rig: Rig, rule_set: RuleSet) -> None:
    client = rig.browser()
    join(rig, client, "Équipe 東京")
    answer_all(client, rule_set, scenario_answers(rule_set, 0))
    report = client.get("/report.md")
    assert report.status_code == 200
    assert (
        "padtool-report-%C3%A9quipe-%E6%9D%B1%E4%BA%AC.md" in report.headers["content-disposition"]
    )


def test_hostile_rule_set_text_is_escaped(tmp_path: Path, rules_copy: Path) -> None:
    from padtool.loader import load_rule_set

    questions = rules_copy / "questions.yaml"
    text = questions.read_text(encoding="utf-8")
    hostile = "What is the name of your <script>alert(1)</script> agency?"
    questions.write_text(
        text.replace("What is the name of your agency?", hostile, 1), encoding="utf-8"
    )
    rig = Rig(tmp_path / "room", load_rule_set(rules_copy))
    page = join(rig, rig.browser(), "Team A")
    assert "<script>alert" not in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text


def test_a_team_name_of_punctuation_only_is_refused(rig: Rig) -> None:
    page = join(rig, rig.browser(), "../..")
    assert page.status_code == 400
    assert "at least one letter or digit" in page.text


def test_a_taken_team_name_is_refused_and_the_first_team_keeps_its_answers(rig: Rig) -> None:
    first = rig.browser()
    join(rig, first, "Team A")
    second = join(rig, rig.browser(), "team a!")
    assert second.status_code == 409
    assert "has joined already" in second.text


def test_500_join_attempts_are_rate_limited(rig: Rig) -> None:
    client = rig.browser()
    token = csrf(client.get("/").text)
    statuses = [
        client.post("/join", data={"csrf": token, "code": "NOPE00", "team": "x"}).status_code
        for _ in range(500)
    ]
    limit = JOIN_LIMIT[0]
    assert statuses[:limit] == [403] * limit
    assert set(statuses[limit:]) == {429}
    right = client.post("/join", data={"csrf": token, "code": rig.room.join_code, "team": "x"})
    assert right.status_code == 429  # still limited, even with the right code
    assert not rig.room.teams


def test_the_team_limit_holds(tmp_path: Path, rule_set: RuleSet) -> None:
    rig = Rig(tmp_path / "room", rule_set, max_teams=2)
    assert join(rig, rig.browser(), "One").status_code == 200
    assert join(rig, rig.browser(), "Two").status_code == 200
    third = join(rig, rig.browser(), "Three")
    assert third.status_code == 403
    assert "The room is full" in third.text


def test_a_form_without_the_rooms_csrf_token_is_refused(rig: Rig) -> None:
    client = rig.browser()
    client.get("/")
    page = client.post("/join", data={"csrf": "forged", "code": rig.room.join_code, "team": "A"})
    assert page.status_code == 403
    assert "did not come from this room's page" in html.unescape(page.text)
    assert not rig.room.teams


def test_an_oversized_body_is_refused_before_it_is_read(rig: Rig) -> None:
    client = rig.browser()
    token = csrf(client.get("/").text)
    big = {"csrf": token, "code": rig.room.join_code, "team": "x" * (MAX_BODY + 1)}
    assert client.post("/join", data=big).status_code == 413
    assert not rig.room.teams


def test_a_chunked_oversized_body_is_refused(rig: Rig) -> None:
    client = rig.browser()
    token = csrf(client.get("/").text)

    def chunks() -> Iterator[bytes]:
        yield f"csrf={token}&code={rig.room.join_code}&team=".encode()
        for _ in range(100):
            yield b"x" * 1024

    page = client.post(
        "/join", content=chunks(), headers={"content-type": "application/x-www-form-urlencoded"}
    )
    assert page.status_code == 413
    assert not rig.room.teams


# -- answering -----------------------------------------------------------------------------


def test_every_question_type_has_a_browser_form() -> None:
    fields = environment().get_template("fields.html").module
    assert all(callable(getattr(fields, name, None)) for name in NAMES), NAMES


def test_an_invalid_answer_is_shown_with_the_reason_and_not_saved(rig: Rig) -> None:
    client = rig.browser()
    page = join(rig, client, "Team A")
    token = csrf(page.text)
    client.post("/q", data={"csrf": token, "question": "agency_name", "answer": "Town"})
    client.post("/q", data={"csrf": token, "question": "agency_type", "answer": "municipal_police"})
    page = client.post("/q", data={"csrf": token, "question": "sworn_officers", "answer": "many"})
    assert page.status_code == 422
    assert "Please type a number" in page.text
    page = client.post("/q", data={"csrf": token, "question": "sworn_officers", "answer": "-5"})
    assert page.status_code == 422
    assert "must be at least" in page.text
    assert "sworn_officers" not in (rig.directory / "team-a.yaml").read_text(encoding="utf-8")


def test_back_returns_to_the_previous_question_with_its_answer(rig: Rig) -> None:
    client = rig.browser()
    page = join(rig, client, "Team A")
    token = csrf(page.text)
    client.post("/q", data={"csrf": token, "question": "agency_name", "answer": "Old Town"})
    page = client.post("/q", data={"csrf": token, "question": "agency_type", "go": "back"})
    assert current_question(page.text) == "agency_name"
    assert 'value="Old Town"' in page.text


def test_conditions_decide_which_questions_come(rig: Rig, rule_set: RuleSet) -> None:
    client = rig.browser()
    join(rig, client, "Team A")
    asked: list[str] = []
    page = client.get("/q")
    given = {"challenges": ["bh_crisis_calls"]}
    while qid := current_question(page.text):
        asked.append(qid)
        value = given.get(qid, some_answer(rule_set, qid))
        data = [("csrf", csrf(page.text)), ("question", qid)]
        page = post(client, "/q", data + fields(rule_set, qid, value))
    assert "crisis_call_volume" in asked  # brought in by crisis calls
    assert "overdose_frequency" not in asked  # ruled out: no overdoses


def test_dont_know_is_offered_and_saved(rig: Rig, rule_set: RuleSet) -> None:
    client = rig.browser()
    join(rig, client, "Team A")
    answers = {"challenges": ["overdoses"], "overdose_frequency": "unknown"}
    page = client.get("/q")
    while (qid := current_question(page.text)) != "overdose_frequency":
        value = answers.get(qid, some_answer(rule_set, qid))
        data = [("csrf", csrf(page.text)), ("question", qid)]
        page = post(client, "/q", data + fields(rule_set, qid, value))
    assert "Don" in page.text and 'value="unknown"' in page.text
    client.post(
        "/q",
        data={"csrf": csrf(page.text), "question": "overdose_frequency", "answer": "unknown"},
    )
    saved = (rig.directory / "team-a.yaml").read_text(encoding="utf-8")
    assert 'overdose_frequency: "unknown"' in saved


def test_an_optional_question_can_be_skipped(rig: Rig, rule_set: RuleSet) -> None:
    client = rig.browser()
    join(rig, client, "Team A")
    page = client.get("/q")
    while (qid := current_question(page.text)) != "population":
        data = [("csrf", csrf(page.text)), ("question", qid)]
        page = post(client, "/q", data + fields(rule_set, qid, some_answer(rule_set, qid)))
    assert "Skip this question" in page.text
    page = client.post("/q", data={"csrf": csrf(page.text), "question": qid, "go": "skip"})
    assert current_question(page.text) == "setting"
    assert rig.room.teams["team-a"].skipped == {"population"}


def test_rule_set_and_team_text_is_escaped(rig: Rig, rule_set: RuleSet) -> None:
    client = rig.browser()
    page = join(rig, client, "Team <b>bold</b>")
    hostile = "<img src=x onerror=alert(1)>"
    answer_all(client, rig.rule_set, {**scenario_answers(rule_set, 0), "agency_name": hostile})
    review = client.get("/review").text
    assert "<img" not in review and "&lt;img" in review
    trainer = rig.trainer()
    assert "<b>bold</b>" not in trainer.get("/room").text
    assert "&lt;b&gt;bold&lt;/b&gt;" in trainer.get("/room").text
    assert "<img" not in trainer.get("/room/team/team-b-bold-b").text
    assert "<b>" not in page.text


def test_a_reload_or_another_visit_continues_where_the_team_was(rig: Rig) -> None:
    client = rig.browser()
    page = join(rig, client, "Team A")
    client.post("/q", data={"csrf": csrf(page.text), "question": "agency_name", "answer": "Town"})
    assert current_question(client.get("/").text) == "agency_type"


def test_the_trainers_team_page_names_the_team_once_and_no_answer_is_not_skipped(
    rig: Rig,
) -> None:
    client = rig.browser()
    page = join(rig, client, "Team Echo")
    client.post("/q", data={"csrf": csrf(page.text), "question": "agency_name", "answer": "Town"})
    view = rig.trainer().get("/room/team/team-echo").text
    assert "<h1>Team Echo</h1>" in view and "Team Team" not in view
    assert "(skipped)" not in view  # the questions after the first were not asked yet
    assert "(no answer)" in view
    join(rig, rig.browser(), "Harbor PD")
    assert "<h1>Team Harbor PD</h1>" in rig.trainer().get("/room/team/harbor-pd").text


def test_the_resume_link_opens_the_team_on_another_device(rig: Rig) -> None:
    client = rig.browser()
    page = join(rig, client, "Team A")
    client.post("/q", data={"csrf": csrf(page.text), "question": "agency_name", "answer": "Town"})
    view = rig.trainer().get("/room/team/team-a").text
    link = re.search(r"(resume\?token=[^<]+)</code>", view)
    assert link
    other = rig.browser()
    assert current_question(other.get("/" + link.group(1)).text) == "agency_type"
    assert other.get("/resume?token=dGVhbS1h.forged").status_code == 403


# -- the folder is the room ----------------------------------------------------------------


def test_the_rooms_folder_is_read_by_workshop_summary_and_recommend(
    rig: Rig, rule_set: RuleSet, run: Run
) -> None:
    for index, name in enumerate(["Alpha", "Beta", "Gamma"]):
        client = rig.browser()
        join(rig, client, name)
        answer_all(client, rig.rule_set, scenario_answers(rule_set, index))
    done = run("workshop", "summary", str(rig.directory), "--format", "json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert len(data["teams"]) == 3
    assert data.get("broken", []) == []
    single = run("recommend", "--answers", str(rig.directory / "alpha.yaml"), "--format", "json")
    assert single.returncode == 0, single.stderr


def test_a_restarted_room_continues_with_its_teams_code_and_tokens(
    rig: Rig, rule_set: RuleSet
) -> None:
    client = rig.browser()
    page = join(rig, client, "Team A")
    client.post("/q", data={"csrf": csrf(page.text), "question": "agency_name", "answer": "Town"})
    code, key = rig.room.join_code, rig.room.trainer_key
    (rig.directory / "copied.yaml").write_text(
        (rig.directory / "team-a.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    rig.open()  # the server restarts
    assert (rig.room.join_code, rig.room.trainer_key) == (code, key)
    assert set(rig.room.teams) == {"team-a", "copied"}
    client.app = rig.app  # the same browser, its cookies kept
    assert current_question(client.get("/q").text) == "agency_type"


def test_a_broken_file_in_the_folder_is_listed_not_fatal(rig: Rig) -> None:
    (rig.directory / "broken.yaml").write_text("agency_type: [", encoding="utf-8")
    rig.open()
    assert rig.room.broken and rig.room.broken[0][0] == "broken.yaml"


# -- the trainer ---------------------------------------------------------------------------


def test_a_wrong_trainer_key_is_refused(rig: Rig) -> None:
    client = rig.browser()
    assert client.get("/room?key=guess").status_code == 403
    assert client.get("/room").status_code == 403
    assert client.get("/room/export.zip").status_code == 403
    assert client.get("/room/panel").status_code == 403
    statuses = {client.get(f"/room?key=guess{n}").status_code for n in range(20)}
    assert 429 in statuses


def test_the_trainer_page_shows_how_to_join_and_who_has(rig: Rig) -> None:
    join(rig, rig.browser(), "Team A")
    page = rig.trainer().get("/room")
    assert page.url.path == "/room"  # the key left the address bar for a cookie
    assert rig.room.join_code in page.text
    assert "http://testserver/" in page.text
    assert "Teams: 1 (0 done, 0 answering, 1 not started)" in page.text
    assert "Team A" in page.text
    qr = rig.browser().get("/qr.svg")
    assert qr.headers["content-type"] == "image/svg+xml"
    assert qr.text.startswith("<?xml")


def test_reveal_shows_the_summary_once_enough_teams_have_answered(
    rig: Rig, rule_set: RuleSet
) -> None:
    trainer = rig.trainer()
    page = trainer.get("/room")
    assert "Reveal the summary" in page.text
    assert "Workshop summary" not in page.text  # not before the reveal
    client = rig.browser()
    join(rig, client, "Alpha")
    answer_all(client, rig.rule_set, scenario_answers(rule_set, 0))
    page = trainer.post("/room/reveal", data={"csrf": csrf(page.text), "show": "yes"})
    assert "at least 2 teams" in page.text  # --min-group 2: one team's answers stay hidden
    assert "Workshop summary" not in page.text
    client = rig.browser()
    join(rig, client, "Beta")
    answer_all(client, rig.rule_set, scenario_answers(rule_set, 1))
    page = trainer.get("/room")
    assert "Workshop summary: 2 teams" in page.text
    assert "How many teams have each pathway in their starting set" in page.text
    assert "<svg" in page.text
    page = trainer.post("/room/reveal", data={"csrf": csrf(page.text), "show": "no"})
    assert "Workshop summary" not in page.text


def test_the_event_stream_sends_the_panel_when_the_room_changes(rig: Rig) -> None:
    trainer = rig.trainer()
    join(rig, rig.browser(), "Team A")
    with trainer.stream("GET", "/room/events") as stream:
        assert stream.headers["content-type"].startswith("text/event-stream")
        text = "".join(stream.iter_text())
    assert "event: panel" in text
    assert "Team A" in text


def test_closing_the_room_refuses_changes(rig: Rig) -> None:
    client = rig.browser()
    page = join(rig, client, "Team A")
    trainer = rig.trainer()
    trainer.post("/room/close", data={"csrf": csrf(trainer.get("/room").text)})
    answer = client.post(
        "/q", data={"csrf": csrf(page.text), "question": "agency_name", "answer": "Town"}
    )
    assert answer.status_code == 403
    assert "closed the room" in answer.text
    assert not (rig.directory / "team-a.yaml").exists()
    assert join(rig, rig.browser(), "Team B").status_code == 403
    rig.open()
    assert rig.room.closed  # a restart keeps it closed


def test_the_export_holds_every_answer_and_report(rig: Rig, rule_set: RuleSet) -> None:
    for index, name in enumerate(["Alpha", "Beta"]):
        client = rig.browser()
        join(rig, client, name)
        answer_all(client, rig.rule_set, scenario_answers(rule_set, index))
    join(rig, rig.browser(), "Gamma")  # joined, nothing answered: no file yet
    export = rig.trainer().get("/room/export.zip")
    assert export.headers["content-type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(export.content))
    assert sorted(archive.namelist()) == [
        "answers/alpha.yaml",
        "answers/beta.yaml",
        "reports/alpha.html",
        "reports/alpha.md",
        "reports/beta.html",
        "reports/beta.md",
        "summary.html",
        "summary.md",
    ]
    assert archive.read("answers/alpha.yaml") == (rig.directory / "alpha.yaml").read_bytes()
    assert b"Workshop summary: 2 teams" in archive.read("summary.md")


def test_the_state_file_keeps_the_key_from_other_users(rig: Rig) -> None:
    assert (rig.directory / STATE_FILE).stat().st_mode & 0o077 == 0


def test_team_slug_keeps_letters_and_digits_only() -> None:
    assert team_slug("../../etc/passwd") == "etc-passwd"
    assert team_slug("  Team  7 ") == "team-7"
    assert team_slug("\u202eevil") == "evil"


# -- the command and a real server ---------------------------------------------------------


def test_print_json_gives_the_addresses_and_the_server_answers(tmp_path: Path) -> None:
    import httpx2

    with RoomServer(tmp_path / "room", cache=tmp_path / "cache") as server:
        urls = server.urls
        assert set(urls) == {"participant_url", "join_code", "trainer_url"}
        assert urls["participant_url"].startswith("http://127.0.0.1:")
        assert urls["trainer_url"].startswith(urls["participant_url"] + "room?key=")
        page = httpx2.get(server.url + "/?code=" + urls["join_code"])
        assert page.status_code == 200
        assert f'value="{urls["join_code"]}"' in page.text  # the QR's address fills the code in
        assert server.stop() == 143


def test_a_port_in_use_is_one_readable_error(tmp_path: Path, run: Run) -> None:
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = str(taken.getsockname()[1])
        done = run("workshop", "serve", "--dir", str(tmp_path / "room"), "--port", port)
    assert done.returncode == 2
    assert f"cannot listen on 127.0.0.1 port {port}" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "room").exists()  # no room was made that never opened


@pytest.mark.parametrize("serving", [True, False], ids=["serving", "starting"])
def test_ctrl_c_stops_the_room_saying_where_the_answers_are(tmp_path: Path, serving: bool) -> None:
    import httpx2

    with RoomServer(tmp_path / "room", cache=tmp_path / "cache") as server:
        if serving:
            assert httpx2.get(server.url + "/").status_code == 200
        assert server.stop(signal.SIGINT) == 130
        assert server.process.stderr is not None
        said = server.process.stderr.read()
    assert f"The room stopped; every answer is saved in {tmp_path / 'room'}" in said
    assert "Traceback" not in said


def test_sigterm_mid_answer_loses_no_acknowledged_answer(tmp_path: Path, rule_set: RuleSet) -> None:
    """Four teams post answers as fast as they can (and the trainer's event stream is open)
    when the server is stopped: every answer the server acknowledged is in the folder."""
    import threading

    import httpx2

    from padtool.answers import load_answers

    acknowledged: dict[str, int] = {}
    directory = tmp_path / "room"
    with RoomServer(directory, cache=tmp_path / "cache") as server:

        def team(name: str) -> None:
            with httpx2.Client(base_url=server.url, timeout=10) as client:
                token = csrf(client.get("/").text)
                data = {"csrf": token, "code": server.urls["join_code"], "team": name}
                assert client.post("/join", data=data).status_code == 303
                for n in range(1, 100_000):
                    try:
                        data = {"csrf": token, "question": "agency_name", "answer": f"Town {n}"}
                        if client.post("/q", data=data).status_code != 303:
                            return
                    except httpx2.HTTPError:
                        return
                    acknowledged[name] = n

        def trainer() -> None:
            with httpx2.Client(timeout=30) as client:
                client.get(server.urls["trainer_url"])
                try:
                    with client.stream("GET", server.url + "/room/events") as stream:
                        for _ in stream.iter_text():
                            pass
                except httpx2.HTTPError:
                    pass

        threads = [threading.Thread(target=team, args=(f"team{i}",)) for i in range(4)]
        threads.append(threading.Thread(target=trainer, daemon=True))
        for thread in threads:
            thread.start()
        while len(acknowledged) < 4 or min(acknowledged.values()) < 5:
            assert server.process.poll() is None
        asked = time.monotonic()
        assert server.stop() == 143
        assert time.monotonic() - asked < 4.5  # the open event stream did not hold it up
        for thread in threads[:4]:
            thread.join(10)
    for name, last in acknowledged.items():
        answers, _ = load_answers(directory / f"{name}.yaml", rule_set, complete=False)
        saved = int(str(answers["agency_name"]).split()[1])
        assert saved in (last, last + 1)  # the last acknowledged, or one still under way


def test_a_state_file_that_is_not_a_rooms_is_one_readable_error(tmp_path: Path, run: Run) -> None:
    folder = tmp_path / "room"
    folder.mkdir()
    (folder / STATE_FILE).write_text("not json", encoding="utf-8")
    done = run("workshop", "serve", "--dir", str(folder), "--port", "0")
    assert done.returncode == 2
    assert "is not a padtool room's state file" in done.stderr
    assert "Traceback" not in done.stderr
