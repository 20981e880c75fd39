"""The room's web app: participants' pages, the trainer's page, and what guards them.

Server-rendered pages with forms; one small script on the trainer's page listens to a stream of
server-sent events. Every answer is saved before its page answers, so a stopped server has
lost nothing it acknowledged. Guards: the join code to answer, the trainer key (then a cookie)
to control, a token per team in its browser, a CSRF token in every form, a body size limit,
a team limit and rate limits on joining and on guessing the trainer key.
"""

from __future__ import annotations

import asyncio
import secrets
import threading
import time
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, quote

import anyio
from markupsafe import Markup
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import (
    FileResponse,
    HTMLResponse,
    PlainTextResponse,
    RedirectResponse,
    Response,
    StreamingResponse,
)
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from ..flow import first_open, progress
from ..model import Question
from .pages import Form, read_answer, render, shown
from .state import Room, RoomError, Team

MAX_BODY = 64 * 1024  # far above any answer (text answers stop at a few hundred characters)
JOIN_LIMIT = (100, 60.0)  # join attempts per client address per minute
KEY_LIMIT = (10, 60.0)  # wrong trainer keys per client address per minute
TEAM_COOKIE, CSRF_COOKIE, TRAINER_COOKIE = "padtool_team", "padtool_csrf", "padtool_trainer"
COOKIE_AGE = 14 * 24 * 3600
EVENT_INTERVAL = 0.25  # seconds between two updates of the trainer's page, at least
STATIC = Path(__file__).parent / "static"
# Pages load only what the room serves; nothing from the network, no inline script.
PAGE_POLICY = (
    "default-src 'self'; img-src 'self'; style-src 'self'; script-src 'self'; "
    "frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
)
REPORT_POLICY = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'"


class RateLimit:
    """At most `limit` events per key in any `window` seconds."""

    MAX_KEYS = 10_000  # forget the oldest addresses rather than grow without bound

    def __init__(self, limit: int, window: float) -> None:
        self.limit, self.window = limit, window
        self.events: dict[str, deque[float]] = {}

    def allow(self, key: str) -> bool:
        now = time.monotonic()
        events = self.events.setdefault(key, deque())
        while events and now - events[0] > self.window:
            events.popleft()
        if len(events) >= self.limit:
            return False
        events.append(now)
        if len(self.events) > self.MAX_KEYS:
            self.events.pop(next(iter(self.events)))
        return True


class BodyLimit:
    """Refuse a request body larger than the limit before reading it (ASGI middleware)."""

    def __init__(self, app: ASGIApp, limit: int = MAX_BODY) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            length = dict(scope["headers"]).get(b"content-length", b"0")
            if not length.isdigit() or int(length) > self.limit:
                response = PlainTextResponse("The request is too large.", 413)
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


class Settings:
    """What the app needs beyond the room: the addresses to show, and today's date."""

    def __init__(
        self,
        participant_url: str,
        today: Callable[[], str],
        stream_seconds: float = 600.0,
    ) -> None:
        self.participant_url = participant_url
        self.today = today
        self.stream_seconds = stream_seconds  # an event stream ends then; the browser reconnects
        self.stopping = threading.Event()  # set when the server stops: streams end at once


def create_app(room: Room, settings: Settings) -> Starlette:
    joins, keys = RateLimit(*JOIN_LIMIT), RateLimit(*KEY_LIMIT)
    title = room.title or "Pre-arrest diversion pathways: workshop room"

    def csrf_of(request: Request) -> str:
        """The browser's CSRF token; a new one (set by page()) for a browser without one."""
        token = request.cookies.get(CSRF_COOKIE)
        if token:
            return token
        if not hasattr(request.state, "csrf"):
            request.state.csrf = secrets.token_urlsafe(18)
        return str(request.state.csrf)

    def page(request: Request, template: str, status: int = 200, **context: Any) -> Response:
        csrf = csrf_of(request)
        text = render(template, csrf=csrf, room_title=title, **context)
        response = HTMLResponse(text, status)
        if request.cookies.get(CSRF_COOKIE) != csrf:
            _cookie(response, CSRF_COOKIE, csrf)
        return _guarded(response)

    def message(
        request: Request, status: int, text: str, link: str = "/", link_text: str = ""
    ) -> Response:
        heading = "Cannot do that" if status >= 400 else title
        return page(
            request,
            "message.html",
            status,
            page_title=heading,
            heading=heading,
            message=text,
            link=link if link_text else "",
            link_text=link_text,
        )

    def team_of(request: Request) -> Team | None:
        return room.team_by_token(request.cookies.get(TEAM_COOKIE, ""))

    def is_trainer(request: Request) -> bool:
        return room.check_key(request.cookies.get(TRAINER_COOKIE, ""))

    async def form_of(request: Request) -> Form:
        """The posted form, its CSRF token checked; RoomError when it is not the room's."""
        body = b""
        async for chunk in request.stream():
            body += chunk
            if len(body) > MAX_BODY:
                raise RoomError("The request is too large.", 413)
        try:
            pairs = parse_qsl(body.decode("utf-8"), keep_blank_values=True, max_num_fields=200)
        except (UnicodeDecodeError, ValueError):
            raise RoomError("The form could not be read.", 400) from None
        form: Form = {}
        for name, value in pairs:
            form.setdefault(name, []).append(value)
        expected = request.cookies.get(CSRF_COOKIE, "")
        given = (form.get("csrf") or [""])[0]
        if not expected or not secrets.compare_digest(expected.encode(), given.encode()):
            raise RoomError(
                "This form has expired or did not come from this room's page. Reload the page "
                "and try again (the room needs cookies).",
                403,
            )
        return form

    def handled(
        endpoint: Callable[[Request], Awaitable[Response]],
    ) -> Callable[[Request], Awaitable[Response]]:
        async def run(request: Request) -> Response:
            try:
                return await endpoint(request)
            except RoomError as error:
                return message(request, error.status, error.message, "/", "Back to the start")

        return run

    # -- participants ----------------------------------------------------------------------

    async def home(request: Request) -> Response:
        if team_of(request) is not None:
            return _redirect("/q")
        code = request.query_params.get("code", "")[:20]
        return page(request, "join.html", page_title="Join the room", code=code, team="", error="")

    async def join(request: Request) -> Response:
        client = request.client.host if request.client else ""
        if not joins.allow(client):
            raise RoomError("Too many attempts to join from this device; wait a minute.", 429)
        form = await form_of(request)
        code, name = (form.get("code") or [""])[0], (form.get("team") or [""])[0]
        try:
            if not room.check_code(code):
                raise RoomError("That is not this room's join code: check the screen.", 403)
            team = room.join(name)
        except RoomError as error:
            return page(
                request,
                "join.html",
                error.status,
                page_title="Join the room",
                code=code[:20],
                team=name[:60],
                error=error.message,
            )
        await anyio.to_thread.run_sync(room.save_state)
        response = _redirect("/q")
        _cookie(response, TEAM_COOKIE, room.token(team))
        return response

    async def resume(request: Request) -> Response:
        team = room.team_by_token(request.query_params.get("token", ""))
        if team is None:
            raise RoomError("This link does not open a team of this room.", 403)
        response = _redirect("/q")
        _cookie(response, TEAM_COOKIE, room.token(team))
        return response

    async def question_page(request: Request) -> Response:
        team = team_of(request)
        if team is None:
            return _redirect("/")
        questions = room.questions(team)
        wanted = request.query_params.get("at", "")
        position = next((i for i, q in enumerate(questions) if q.id == wanted), None)
        if position is None:
            position = first_open(room.rule_set, team.answers, team.skipped)
        if position >= len(questions):
            return _redirect("/review")
        question = questions[position]
        value = shown(team.answers.get(question.id))
        from_review = request.query_params.get("from") == "review"
        return ask(request, team, question, value, from_review)

    def ask(
        request: Request,
        team: Team,
        question: Question,
        value: Any,
        from_review: bool,
        error: str = "",
        status: int = 200,
    ) -> Response:
        number, total = progress(room.rule_set, team.answers, question)
        return page(
            request,
            "question.html",
            status,
            page_title=f"Question {number} of {total}",
            team_name=team.name,
            question=question,
            value=value,
            number=number,
            total=total,
            error=error,
            from_review=from_review,
            can_go_back=room.questions(team).index(question) > 0,
        )

    async def answer(request: Request) -> Response:
        team = team_of(request)
        if team is None:
            return _redirect("/")
        form = await form_of(request)
        questions = room.questions(team)
        wanted = (form.get("question") or [""])[0]
        question = next((q for q in questions if q.id == wanted), None)
        if question is None:  # the question stopped applying (answers changed elsewhere)
            return _redirect("/q")
        position = questions.index(question)
        go = (form.get("go") or ["next"])[0]
        from_review = (form.get("from") or [""])[0] == "review"
        if go == "back":
            return _redirect(_at(questions[max(0, position - 1)]))
        room.refuse_if_closed()
        if go == "skip" and not question.required:
            value = None
        else:
            try:
                value = read_answer(question, form)
            except RoomError as error:
                typed = (
                    form.get("answer", [])
                    if question.kind.many
                    else (form.get("answer") or [""])[0]
                )
                return ask(request, team, question, typed, from_review, error.message, error.status)
        skipped_before = set(team.skipped)
        room.answer(team, question, value)
        await anyio.to_thread.run_sync(room.save, team)
        if team.skipped != skipped_before:
            await anyio.to_thread.run_sync(room.save_state)
        return _redirect(_next(team, question, from_review))

    def _next(team: Team, question: Question, from_review: bool) -> str:
        """Where the walk goes after an answer: the next question, as in the terminal; after
        a change from the review, only the questions the change left open, then the review."""
        questions = room.questions(team)
        if from_review:
            position = first_open(room.rule_set, team.answers, team.skipped)
        else:
            position = questions.index(question) + 1
        return "/review" if position >= len(questions) else _at(questions[position])

    async def review(request: Request) -> Response:
        team = team_of(request)
        if team is None:
            return _redirect("/")
        questions = room.questions(team)
        if first_open(room.rule_set, team.answers, team.skipped) < len(questions):
            return _redirect("/q")
        return page(
            request,
            "review.html",
            page_title="Your answers",
            team_name=team.name,
            rows=_rows(team, questions),
        )

    def _rows(team: Team, questions: list[Question]) -> list[dict[str, str]]:
        return [
            {
                "id": q.id,
                "prompt": q.prompt,
                # not asked yet, or skipped: the same to whoever reads the table
                "answer": "(no answer)"
                if q.id not in team.answers
                else q.describe(team.answers[q.id]),
            }
            for q in questions
        ]

    async def done(request: Request) -> Response:
        team = team_of(request)
        if team is None:
            return _redirect("/")
        await form_of(request)
        if not room.complete(team):
            return _redirect("/q")
        room.finish(team)
        await anyio.to_thread.run_sync(room.save_state)
        return _redirect("/results")

    async def results(request: Request) -> Response:
        from ..render.html import render_html_body

        team = team_of(request)
        if team is None:
            return _redirect("/")
        if not room.complete(team):
            return _redirect("/q")
        report = render_html_body(room.result(team), settings.today())
        return page(
            request,
            "results.html",
            page_title="Your results",
            team_name=team.name,
            report=Markup(report),
        )

    async def report(request: Request) -> Response:
        from ..render.html import render_html_report
        from ..render.markdown import render_report

        team = team_of(request)
        if team is None or not room.complete(team):
            return _redirect("/")
        kind = request.path_params["kind"]
        if kind not in ("md", "html"):
            return PlainTextResponse("Not found", 404)
        result = room.result(team)
        if kind == "md":
            text, media = render_report(result, settings.today()), "text/markdown"
        else:
            text, media = render_html_report(result, settings.today()), "text/html"
        response = Response(text, media_type=media)
        response.headers["Content-Disposition"] = (
            # an ASCII name for old browsers, the team's own (any script) for the others
            f'attachment; filename="padtool-report.{kind}"; '
            f"filename*=UTF-8''padtool-report-{quote(team.slug)}.{kind}"
        )
        return _guarded(response, REPORT_POLICY)

    async def qr(request: Request) -> Response:
        import io

        import segno

        buffer = io.BytesIO()
        code = segno.make(join_link(), error="m")
        code.save(buffer, kind="svg", scale=8, border=2, title="Join the room")
        return _guarded(Response(buffer.getvalue(), media_type="image/svg+xml"))

    def join_link() -> str:
        return f"{settings.participant_url}?code={room.join_code}"

    # -- the trainer -----------------------------------------------------------------------

    def trainer_only(
        endpoint: Callable[[Request], Awaitable[Response]],
    ) -> Callable[[Request], Awaitable[Response]]:
        async def run(request: Request) -> Response:
            if not is_trainer(request):
                return message(
                    request,
                    403,
                    "This page is for the trainer: open the trainer link that "
                    "`padtool workshop serve` printed.",
                )
            return await endpoint(request)

        return run

    async def trainer_entry(request: Request) -> Response:
        """/room?key=KEY: the key goes into a cookie and out of the address bar, so the page
        can go on the projector without showing it."""
        key = request.query_params.get("key")
        if key is not None:
            client = request.client.host if request.client else ""
            if not room.check_key(key):
                if not keys.allow(client):
                    raise RoomError(
                        "Too many wrong trainer keys from this device; wait a minute.", 429
                    )
                return message(request, 403, "That trainer key is not this room's.")
            response = _redirect("/room")
            _cookie(response, TRAINER_COOKIE, key)
            return response
        return await trainer_only(trainer_page)(request)

    async def trainer_page(request: Request) -> Response:
        return page(
            request,
            "trainer.html",
            page_title=title,
            participant_url=settings.participant_url,
            join_code=room.join_code,
            version=room.version,
            panel=Markup(panel_html(csrf_of(request))),
        )

    summary_html: list[Any] = [-1, ""]  # the room's version and its summary as HTML

    def panel_html(csrf: str) -> str:
        from ..render.workshop import workshop_html_body

        teams = [
            {
                "slug": t.slug,
                "name": t.name,
                "status": t.status(),
                "answered": len(room.kept(t)),
            }
            for t in sorted(room.teams.values(), key=lambda t: t.slug)
        ]
        complete = len(room.summarized())
        summary = ""
        if room.revealed and complete >= room.min_group:
            version, cached = summary_html
            if version != room.version:  # one rendering per change, for every trainer's page
                version = room.version
                cached = workshop_html_body(room.summary(), heading=2)
                summary_html[:] = [version, cached]
            summary = str(cached)
        return render(
            "panel.html",
            csrf=csrf,
            counts=room.counts(),
            teams=teams,
            closed=room.closed,
            revealed=room.revealed,
            complete=complete,
            min_group=room.min_group,
            summary=Markup(summary),
        )

    async def panel(request: Request) -> Response:
        return _guarded(HTMLResponse(panel_html(csrf_of(request))))

    async def events(request: Request) -> Response:
        csrf = csrf_of(request)
        # The page shows the room as of its version already: send only what changes after it.
        typed = request.query_params.get("since", "")
        since = int(typed) if typed.isdigit() else -1

        async def stream() -> AsyncIterator[str]:
            yield "retry: 1000\n\n"
            seen, quiet, ends = since, time.monotonic(), time.monotonic() + settings.stream_seconds
            while not settings.stopping.is_set() and time.monotonic() < ends:
                if room.version != seen:
                    seen, quiet = room.version, time.monotonic()
                    # In a worker thread: pages and answers go on being served meanwhile.
                    lines = (await anyio.to_thread.run_sync(panel_html, csrf)).splitlines()
                    yield "event: panel\n" + "".join(f"data: {line}\n" for line in lines) + "\n"
                    # Changes in the meantime go out together: a busy room costs the server
                    # a few renderings a second, not one per answer.
                    await asyncio.sleep(EVENT_INTERVAL)
                elif time.monotonic() - quiet > 15:  # keeps proxies and sleeping Wi-Fi open
                    quiet = time.monotonic()
                    yield ": still here\n\n"
                await asyncio.sleep(0.05)

        response = StreamingResponse(stream(), media_type="text/event-stream")
        response.headers["Cache-Control"] = "no-store"
        return _guarded(response)

    async def reveal(request: Request) -> Response:
        form = await form_of(request)
        room.set_revealed((form.get("show") or [""])[0] == "yes")
        await anyio.to_thread.run_sync(room.save_state)
        return _redirect("/room")

    async def close(request: Request) -> Response:
        await form_of(request)
        room.close()
        await anyio.to_thread.run_sync(room.save_state)
        return _redirect("/room")

    async def team_view(request: Request) -> Response:
        team = room.teams.get(request.path_params["slug"])
        if team is None:
            return message(
                request, 404, "No team of this room has that name.", "/room", "Back to the room"
            )
        complete = room.complete(team)
        starting = [r.entry.name for r in room.result(team).starting_set] if complete else []
        return page(
            request,
            "team.html",
            # "Team Echo" is not "Team Team Echo"
            page_title=team.name if team.name.lower().startswith("team") else f"Team {team.name}",
            team=team,
            team_status=team.status(),
            file=team.path.name,
            rows=_rows(team, room.questions(team)),
            starting_set=starting,
            resume_url=f"{settings.participant_url}resume?token={room.token(team)}",
        )

    async def export(request: Request) -> Response:
        data = await anyio.to_thread.run_sync(room.export, settings.today())
        response = Response(data, media_type="application/zip")
        response.headers["Content-Disposition"] = 'attachment; filename="padtool-room.zip"'
        return _guarded(response)

    async def static(request: Request) -> Response:
        name = request.path_params["name"]
        if name == "workshop.css":
            from ..render.workshop import workshop_html_style

            return _guarded(Response(workshop_html_style(), media_type="text/css"))
        path = STATIC / name
        if name not in ("room.css", "room.js") or not path.is_file():
            return PlainTextResponse("Not found", 404)
        return _guarded(FileResponse(path))

    routes = [
        Route("/", handled(home)),
        Route("/join", handled(join), methods=["POST"]),
        Route("/resume", handled(resume)),
        Route("/q", handled(question_page)),
        Route("/q", handled(answer), methods=["POST"]),
        Route("/review", handled(review)),
        Route("/done", handled(done), methods=["POST"]),
        Route("/results", handled(results)),
        Route("/report.{kind:str}", handled(report)),
        Route("/qr.svg", qr),
        Route("/room", handled(trainer_entry)),
        Route("/room/panel", handled(trainer_only(panel))),
        Route("/room/events", handled(trainer_only(events))),
        Route("/room/reveal", handled(trainer_only(reveal)), methods=["POST"]),
        Route("/room/close", handled(trainer_only(close)), methods=["POST"]),
        Route("/room/team/{slug:str}", handled(trainer_only(team_view))),
        Route("/room/export.zip", handled(trainer_only(export))),
        Route("/static/{name:str}", static),
        Route("/favicon.ico", lambda request: Response(status_code=204)),  # no icon: no 404
    ]
    app = Starlette(routes=routes)
    app.add_middleware(BodyLimit)
    return app


def _at(question: Question) -> str:
    return f"/q?at={quote(question.id)}"


def _redirect(url: str) -> Response:
    return RedirectResponse(url, status_code=303)


def _cookie(response: Response, name: str, value: str) -> None:
    response.set_cookie(name, value, max_age=COOKIE_AGE, httponly=True, samesite="lax")


def _guarded(response: Response, policy: str = PAGE_POLICY) -> Response:
    response.headers["Content-Security-Policy"] = policy
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"  # keys and tokens stay in this room
    return response
