"""The web app: pages for the teacher and the students, and a small JSON API.

Pages only parse requests and render templates; reading, analysing, making
exercises and grading are :mod:`rhetoric.serve.service`'s calls into the
library. Every page is escaped by Jinja2 (article and student text are data)
and served under a strict Content-Security-Policy with its scripts as files.

Who may do what:

* bound to a loopback address (the default), whoever can open the page is
  at this computer: teacher pages are open;
* bound to a network address, every teacher page, action and the API need
  the teacher token (``/teacher?token=...`` once, then a cookie, or an
  ``Authorization: Bearer`` header); students reach only the exercise they
  joined, through a cookie of their own;
* every form carries a CSRF token that must match a cookie.
"""

from __future__ import annotations

import hmac
import json
import re
import secrets
import sys
from importlib import resources
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import (
    HTMLResponse,
    JSONResponse,
    PlainTextResponse,
    RedirectResponse,
    Response,
)
from starlette.routing import Route

from .._version import __version__
from ..classroom.grade import StudentResult, render_csv
from ..classroom.policy import EXERCISE, SOURCE_KINDS
from ..core.glossary import label_title
from ..core.labels import CATEGORY_NAMES
from ..core.report import CATEGORIES
from ..core.safe import json_loads
from ..render.html import TOGGLE_SCRIPT, page_csp, report_sections, stylesheet
from . import service
from .guard import Guard
from .pages import student_article_html
from .service import Scorer, ServiceError
from .storage import Exercise, Store, Student

__all__ = ["create_app"]

TEACHER_COOKIE = "rhetoric_teacher"
CSRF_COOKIE = "rhetoric_csrf"
STUDENT_COOKIE = "rhetoric_student_"  # + the join code
COOKIE_AGE = 14 * 24 * 3600
#: the body limit: the article limit plus room for a form's other fields
BODY_SLACK = 256 * 1024
STATIC = {
    "app.css": "text/css; charset=utf-8",
    "teacher.js": "text/javascript; charset=utf-8",
    "student.js": "text/javascript; charset=utf-8",
}
_NAME_OK = re.compile(r"^[^\x00-\x1f\x7f]{1,60}$")


class WebApp:
    """Routes and what they share: the store, the scorer, the token."""

    def __init__(self, store: Store, scorer: Scorer, open_teacher: bool) -> None:
        self.store = store
        self.scorer = scorer
        self.open_teacher = open_teacher
        self.token = store.secret("teacher_token")
        self.env = Environment(
            loader=PackageLoader("rhetoric.serve", "templates"),
            autoescape=select_autoescape(default=True, default_for_string=True),
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.env.globals.update(
            version=__version__,
            category_names=CATEGORY_NAMES,
            categories=CATEGORIES,
            label_title=label_title,
            source_kinds=SOURCE_KINDS,
        )
        base = resources.files("rhetoric.serve") / "static"
        self.static: dict[str, tuple[bytes, str]] = {
            name: ((base / name).read_bytes(), ctype) for name, ctype in STATIC.items()
        }
        self.static["report.css"] = (stylesheet().encode(), "text/css; charset=utf-8")
        self.static["toggle.js"] = (TOGGLE_SCRIPT.encode(), "text/javascript; charset=utf-8")

    # ------------------------------------------------------------ helpers

    def is_teacher(self, request: Request) -> bool:
        if self.open_teacher:
            return True
        given = request.cookies.get(TEACHER_COOKIE, "")
        auth = request.headers.get("authorization", "")
        if auth.lower().startswith("bearer "):
            given = auth[7:].strip()
        return bool(given) and hmac.compare_digest(given.encode(), self.token.encode())

    def require_teacher(self, request: Request) -> None:
        if not self.is_teacher(request):
            raise HTTPException(
                403,
                "This page is for the teacher. Open the teacher link printed when the "
                "server started (it carries the teacher token).",
            )

    def csrf(self, request: Request) -> str:
        token = request.cookies.get(CSRF_COOKIE) or getattr(request.state, "csrf", None)
        if not token:
            token = secrets.token_urlsafe(18)
            request.state.csrf = token
        return token

    def check_csrf(self, request: Request, form: Any) -> None:
        cookie = request.cookies.get(CSRF_COOKIE, "")
        given = form.get("csrf") if form is not None else None
        given = given or request.headers.get("x-csrf-token", "")
        if not (cookie and isinstance(given, str) and hmac.compare_digest(cookie, given)):
            raise HTTPException(403, "This form has expired. Reload the page and try again.")

    def render(self, request: Request, template: str, status: int = 200, **ctx: Any) -> Response:
        ctx.setdefault("teacher", self.is_teacher(request))
        html = self.env.get_template(template).render(
            request=request, csrf=self.csrf(request), **ctx
        )
        response = HTMLResponse(html, status_code=status)
        self._set_csrf_cookie(request, response)
        return response

    def _set_csrf_cookie(self, request: Request, response: Response) -> None:
        new = getattr(request.state, "csrf", None)
        if new and not request.cookies.get(CSRF_COOKIE):
            response.set_cookie(CSRF_COOKIE, new, httponly=True, samesite="lax")

    async def form(self, request: Request) -> Any:
        ctype = request.headers.get("content-type", "")
        if not ctype.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
            raise HTTPException(415, "expected a form")
        limit = self.scorer.max_bytes + BODY_SLACK
        try:
            form = await request.form(max_files=2, max_fields=40, max_part_size=limit)
        except HTTPException:
            raise
        except Exception as e:  # python-multipart's parse errors
            raise HTTPException(400, f"malformed form ({e})") from None
        self.check_csrf(request, form)
        return form

    def exercise_or_404(self, exercise_id: int) -> Exercise:
        ex = self.store.exercise(exercise_id)
        if ex is None:
            raise HTTPException(404, "No such exercise.")
        return ex

    def student_for(self, request: Request, code: str) -> tuple[Exercise, Student | None]:
        ex = self.store.exercise_by_code(code)
        if ex is None:
            raise HTTPException(404, "No exercise has this code. Check it with your teacher.")
        token = request.cookies.get(STUDENT_COOKIE + ex.code, "")
        st = self.store.student_by_token(token) if token else None
        if st is not None and st.exercise_id != ex.id:
            st = None
        return ex, st

    # ------------------------------------------------------------ public pages

    async def home(self, request: Request) -> Response:
        return self.render(request, "home.html", code=request.query_params.get("code", ""))

    async def join_form(self, request: Request) -> Response:
        code = request.path_params["code"].upper()
        return self.render(request, "home.html", code=code[:12])

    async def join(self, request: Request) -> Response:
        form = await self.form(request)
        code = str(form.get("code", "")).strip().upper()
        name = " ".join(str(form.get("name", "")).split())
        ex = self.store.exercise_by_code(code) if code else None
        error = None
        if ex is None:
            error = "No exercise has this code. Check it with your teacher."
        elif not _NAME_OK.match(name):
            error = "Please type your name (up to 60 characters)."
        if error or ex is None:
            return self.render(request, "home.html", status=400, code=code[:12], error=error)
        st = self.store.join(ex.id, name)
        if st is None:
            return self.render(
                request,
                "home.html",
                status=409,
                code=code,
                error=f"Someone in this exercise is already called \u201c{name}\u201d. "
                "Add your initial.",
            )
        response = RedirectResponse(f"/x/{ex.code}", status_code=303)
        response.set_cookie(
            STUDENT_COOKIE + ex.code, st.token, max_age=COOKIE_AGE, httponly=True, samesite="lax"
        )
        return response

    async def student_page(self, request: Request) -> Response:
        ex, st = self.student_for(request, request.path_params["code"])
        if st is None:
            return RedirectResponse(f"/join/{ex.code}", status_code=303)
        kp = service.key_of(ex)
        answers = self.store.answers(st.id)
        result = None
        if ex.released:
            result = service.grade_student_now(st, answers, kp)
        return self.render(
            request,
            "student.html",
            ex=ex,
            student=st,
            article=Markup(student_article_html(kp, ex.key["passages"])),
            answers=answers,
            result=result,
            sentence_of=kp.sentence_of,
            error=request.query_params.get("error", "")[:200],
        )

    async def student_state(self, request: Request) -> Response:
        ex, st = self.student_for(request, request.path_params["code"])
        if st is None:
            raise HTTPException(403, "Join the exercise first.")
        return JSONResponse({"released": ex.released, "submitted": st.submitted})

    async def add_answer(self, request: Request) -> Response:
        ex, st = self.student_for(request, request.path_params["code"])
        if st is None:
            raise HTTPException(403, "Join the exercise first.")
        form = await self.form(request)
        back = f"/x/{ex.code}"
        if st.submitted or ex.released:
            return RedirectResponse(back + "?error=Your+answers+are+already+in.", 303)
        category = str(form.get("category", ""))
        if category not in ex.categories:
            return RedirectResponse(back + "?error=Choose+a+category.#mark", 303)
        kind = str(form.get("kind", ""))
        if category != "attribution" or kind not in SOURCE_KINDS:
            kind = ""
        try:
            a = service.new_answer(
                service.key_of(ex),
                category,
                str(form.get("phrase", "")),
                _int(form.get("start")),
                _int(form.get("end")),
            )
        except ServiceError as e:
            from urllib.parse import quote

            return RedirectResponse(f"{back}?error={quote(str(e))}#mark", 303)
        self.store.add_answer(st.id, a.start, a.end, a.category, kind, a.phrase)
        return RedirectResponse(back + "#answers", 303)

    async def remove_answer(self, request: Request) -> Response:
        ex, st = self.student_for(request, request.path_params["code"])
        if st is None:
            raise HTTPException(403, "Join the exercise first.")
        await self.form(request)
        if not (st.submitted or ex.released):
            self.store.remove_answer(st.id, request.path_params["answer"])
        return RedirectResponse(f"/x/{ex.code}#answers", 303)

    async def submit(self, request: Request) -> Response:
        ex, st = self.student_for(request, request.path_params["code"])
        if st is None:
            raise HTTPException(403, "Join the exercise first.")
        await self.form(request)
        self.store.submit(st.id)
        return RedirectResponse(f"/x/{ex.code}", 303)

    # ------------------------------------------------------------ teacher pages

    async def teacher_home(self, request: Request) -> Response:
        token = request.query_params.get("token")
        if token is not None:
            # the link printed at start-up: keep the token in a cookie, drop it from the URL
            if not hmac.compare_digest(token.encode(), self.token.encode()):
                raise HTTPException(403, "This teacher link is not valid for this server.")
            response = RedirectResponse("/teacher", status_code=303)
            response.set_cookie(
                TEACHER_COOKIE, self.token, max_age=COOKIE_AGE, httponly=True, samesite="lax"
            )
            return response
        self.require_teacher(request)
        articles = self.store.articles()
        exercises = self.store.exercises()
        by_article: dict[int, list[Exercise]] = {}
        for ex in exercises:
            by_article.setdefault(ex.article_id, []).append(ex)
        return self.render(
            request,
            "teacher.html",
            articles=articles,
            by_article=by_article,
            max_bytes=self.scorer.max_bytes,
            local_only=self.open_teacher,
            floor=EXERCISE.floor,
        )

    async def add_article(self, request: Request) -> Response:
        self.require_teacher(request)
        form = await self.form(request)
        text = str(form.get("text", "") or "")
        url = str(form.get("url", "") or "").strip()
        upload = form.get("file")
        has_file = isinstance(upload, UploadFile) and bool(upload.filename)
        given = [bool(text.strip()), bool(url), has_file]
        try:
            if sum(given) != 1:
                raise ServiceError(
                    "Paste a text, give a web address or choose a file (one of them)."
                )
            if text.strip():
                doc = self.scorer.from_text(text, "pasted text")
            elif url:
                doc = await run_in_threadpool(self.scorer.from_url, url)
            else:
                assert isinstance(upload, UploadFile)
                data = await upload.read(self.scorer.max_bytes + 1)
                doc = self.scorer.from_upload(upload.filename or "upload.txt", data)
            if not doc.text.strip():
                raise ServiceError("The article is empty.")
            report = await run_in_threadpool(self.scorer.analyze, doc)
        except ServiceError as e:
            return self.render(
                request,
                "teacher.html",
                status=e.status if e.status < 500 else 400,
                articles=self.store.articles(),
                by_article={},
                max_bytes=self.scorer.max_bytes,
                local_only=self.open_teacher,
                floor=EXERCISE.floor,
                error=str(e),
                text=text,
                url=url,
            )
        title = " ".join(str(form.get("title", "")).split())[:120]
        title = title or report.metadata.get("title", "") or _first_line(report.text) or doc.id
        article_id = self.store.add_article(
            title,
            url or (upload.filename if has_file and isinstance(upload, UploadFile) else "pasted"),
            report.text,
            json.dumps(report.to_dict(include_text=True), ensure_ascii=False),
            Scorer.html_report(report),
            report.extracted,
        )
        return RedirectResponse(f"/teacher/articles/{article_id}", status_code=303)

    def _article(self, request: Request) -> Any:
        self.require_teacher(request)
        art = self.store.article(request.path_params["article"])
        if art is None:
            raise HTTPException(404, "No such article.")
        return art

    async def article_page(self, request: Request, error: str = "", status: int = 200) -> Response:
        art = self._article(request)
        report = service.stored_report(art.report_json, art.text, art.extracted)
        side, main = report_sections(report)
        strong = {c: 0 for c in CATEGORIES}
        for f in report.findings:
            if EXERCISE.admits(f):
                strong[f.category] += 1
        return self.render(
            request,
            "article.html",
            status=status,
            art=art,
            side=Markup(side),
            main=Markup(main),
            strong=strong,
            exercises=self.store.exercises(art.id),
            floor=EXERCISE.floor,
            max_tasks=service.MAX_TASKS,
            error=error,
        )

    async def article_report(self, request: Request) -> Response:
        art = self._article(request)
        return HTMLResponse(art.report_html, headers={"content-security-policy": page_csp(True)})

    async def add_exercise(self, request: Request) -> Response:
        art = self._article(request)
        form = await self.form(request)
        cats = [c for c in form.getlist("category") if c in CATEGORIES]
        try:
            tasks = int(str(form.get("tasks", "5")))
        except ValueError:
            tasks = 0
        report = service.stored_report(art.report_json, art.text, art.extracted)
        try:
            task_rows, key = service.exercise_from_report(report, cats, tasks)
        except ServiceError as e:
            return await self.article_page(request, str(e), 400)
        ex = self.store.add_exercise(art.id, cats, task_rows, key)
        return RedirectResponse(f"/teacher/exercises/{ex.id}", status_code=303)

    def _results(self, ex: Exercise) -> list[dict[str, Any]]:
        rows = []
        for st, answers, result in service.grade_exercise(self.store, ex):
            total = result.total
            rows.append(
                {
                    "name": st.name,
                    "submitted": st.submitted,
                    "answers": [
                        {"phrase": a.phrase, "category": CATEGORY_NAMES[a.category], "kind": a.kind}
                        for a in answers
                    ],
                    "found": total.found,
                    "key": total.key,
                    "correct": total.correct,
                    "answered": total.answered,
                    "also_seen": len(result.also_seen),
                    "precision": round(total.precision, 2),
                    "recall": round(total.recall, 2),
                }
            )
        return rows

    async def exercise_page(self, request: Request) -> Response:
        self.require_teacher(request)
        ex = self.exercise_or_404(request.path_params["exercise"])
        art = self.store.article(ex.article_id)
        kp = service.key_of(ex)
        return self.render(
            request,
            "exercise.html",
            ex=ex,
            art=art,
            key=kp,
            rows=self._results(ex),
            join_url=str(request.base_url).rstrip("/") + f"/join/{ex.code}",
            local_only=self.open_teacher,
        )

    async def exercise_results(self, request: Request) -> Response:
        self.require_teacher(request)
        ex = self.exercise_or_404(request.path_params["exercise"])
        return JSONResponse({"released": ex.released, "students": self._results(ex)})

    async def exercise_csv(self, request: Request) -> Response:
        self.require_teacher(request)
        ex = self.exercise_or_404(request.path_params["exercise"])
        results: list[StudentResult] = [r for _, _, r in service.grade_exercise(self.store, ex)]
        return PlainTextResponse(
            render_csv(results),
            media_type="text/csv",
            headers={"content-disposition": f'attachment; filename="exercise-{ex.code}.csv"'},
        )

    async def release(self, request: Request) -> Response:
        self.require_teacher(request)
        ex = self.exercise_or_404(request.path_params["exercise"])
        await self.form(request)
        self.store.release(ex.id)
        return RedirectResponse(f"/teacher/exercises/{ex.id}", status_code=303)

    # ------------------------------------------------------------ API

    async def _api_doc(self, request: Request) -> Any:
        if not self.is_teacher(request):
            raise HTTPException(403, "the API needs the teacher token (Authorization: Bearer)")
        ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if ctype != "application/json":
            raise HTTPException(415, "send JSON (Content-Type: application/json)")
        raw = await request.body()
        try:
            data = json_loads(raw)
        except UnicodeDecodeError:
            raise HTTPException(400, "malformed JSON: not UTF-8") from None
        except json.JSONDecodeError as e:
            raise HTTPException(
                400, f"malformed JSON: {e.msg} at line {e.lineno} column {e.colno}"
            ) from None
        if not isinstance(data, dict) or ("text" in data) == ("url" in data):
            raise HTTPException(400, 'expected a JSON object with "text" or "url"')
        extra = sorted(set(data) - {"text", "url"})
        if extra:
            raise HTTPException(400, f'unknown field {extra[0]!r} (expected "text" or "url")')
        try:
            if "text" in data:
                if not isinstance(data["text"], str):
                    raise ServiceError('"text" must be a string')
                doc = self.scorer.from_text(data["text"])
            else:
                if not isinstance(data["url"], str):
                    raise ServiceError('"url" must be a string')
                doc = await run_in_threadpool(self.scorer.from_url, data["url"])
            return await run_in_threadpool(self.scorer.analyze, doc)
        except ServiceError as e:
            raise HTTPException(e.status, str(e)) from None

    async def api_score(self, request: Request) -> Response:
        report = await self._api_doc(request)
        return Response(Scorer.json_report(report), media_type="application/json")

    async def api_report(self, request: Request) -> Response:
        report = await self._api_doc(request)
        return HTMLResponse(
            Scorer.html_report(report), headers={"content-security-policy": page_csp(True)}
        )

    # ------------------------------------------------------------ static and errors

    async def static_file(self, request: Request) -> Response:
        hit = self.static.get(request.path_params["name"])
        if hit is None:
            raise HTTPException(404, "Not found.")
        body, ctype = hit
        return Response(
            body,
            media_type=ctype.split(";")[0],
            headers={"content-type": ctype, "cache-control": "no-cache"},
        )

    async def http_error(self, request: Request, exc: Exception) -> Response:
        status = getattr(exc, "status_code", 500)
        detail = str(getattr(exc, "detail", "") or "error")
        detail = " ".join(detail.split())  # one line, always
        if request.url.path.startswith("/api/") or request.url.path.endswith(".json"):
            body = json.dumps({"error": detail}) + "\n"  # one line, as the guard's
            return Response(body, status_code=status, media_type="application/json")
        if status == 404 and detail == "Not Found":
            detail = "There is no page at this address."
        return self.render(request, "error.html", status=status, message=detail)

    async def server_error(self, request: Request, exc: Exception) -> Response:
        import traceback

        traceback.print_exception(exc, file=sys.stderr)  # for the teacher's terminal only
        return PlainTextResponse("internal error; the server's terminal has the details\n", 500)


def _int(value: Any) -> int | None:
    try:
        return int(str(value))
    except (TypeError, ValueError):
        return None


def _first_line(text: str) -> str:
    for line in text.splitlines():
        if line.strip():
            return " ".join(line.split())[:90]
    return ""


def create_app(store: Store, scorer: Scorer, open_teacher: bool) -> Any:
    """The ASGI app. ``open_teacher``: teacher pages need no token (bound to
    loopback only)."""
    web = WebApp(store, scorer, open_teacher)
    routes = [
        Route("/", web.home),
        Route("/join/{code}", web.join_form),
        Route("/join", web.join, methods=["POST"]),
        Route("/x/{code}", web.student_page),
        Route("/x/{code}/state.json", web.student_state),
        Route("/x/{code}/answers", web.add_answer, methods=["POST"]),
        Route("/x/{code}/answers/{answer:int}/delete", web.remove_answer, methods=["POST"]),
        Route("/x/{code}/submit", web.submit, methods=["POST"]),
        Route("/teacher", web.teacher_home),
        Route("/teacher/articles", web.add_article, methods=["POST"]),
        Route("/teacher/articles/{article:int}", web.article_page),
        Route("/teacher/articles/{article:int}/report", web.article_report),
        Route("/teacher/articles/{article:int}/exercises", web.add_exercise, methods=["POST"]),
        Route("/teacher/exercises/{exercise:int}", web.exercise_page),
        Route("/teacher/exercises/{exercise:int}/results.json", web.exercise_results),
        Route("/teacher/exercises/{exercise:int}/results.csv", web.exercise_csv),
        Route("/teacher/exercises/{exercise:int}/release", web.release, methods=["POST"]),
        Route("/api/score", web.api_score, methods=["POST"]),
        Route("/api/report", web.api_report, methods=["POST"]),
        Route("/static/{name}", web.static_file),
        Route("/favicon.ico", lambda request: Response(status_code=204)),
    ]
    app = Starlette(
        routes=routes,
        exception_handlers={HTTPException: web.http_error, Exception: web.server_error},
    )
    return Guard(app, scorer.max_bytes + BODY_SLACK)
