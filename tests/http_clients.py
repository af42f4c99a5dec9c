"""Plain HTTP clients for a served app (live_server or gunicorn), and presses made at the same moment.

Each Browser is one person with their own cookies; it reads CSRF tokens from the real pages, as
tests/helpers.py does for Flask's test client.
"""
from __future__ import annotations

import threading
from collections.abc import Callable

import requests

from .helpers import _TOKEN

PASSWORD = "correct horse battery"


class Browser:
    """One person's browser: a cookie jar, redirects not followed (tests look at each answer)."""

    def __init__(self, base_url: str, cookies: requests.cookies.RequestsCookieJar | None = None,
                 seen: list | None = None):
        self.base_url = base_url
        self.http = requests.Session()
        if cookies is not None:
            self.http.cookies = cookies
        # (method, path, status) of every answer, shared with twins, so a test can look for any 5xx.
        self.seen = [] if seen is None else seen

    def _answer(self, method: str, path: str, answer: requests.Response) -> requests.Response:
        self.seen.append((method, path, answer.status_code))
        return answer

    def get(self, path: str, **kw) -> requests.Response:
        """GET a path of the served app."""
        return self._answer("GET", path, self.http.get(self.base_url + path, allow_redirects=False, timeout=120,
                                                       **kw))

    def post(self, path: str, data: dict, **kw) -> requests.Response:
        """POST form data (which should hold a csrf_token) to a path."""
        return self._answer("POST", path, self.http.post(self.base_url + path, data=data, allow_redirects=False,
                                                         timeout=120, **kw))

    def token(self, path: str) -> str:
        """GET a page and return the CSRF token of its first form."""
        page = self.get(path)
        match = _TOKEN.search(page.text)
        assert match, f"no CSRF token on {path} ({page.status_code})"
        return match.group(1) or match.group(2)

    def post_form(self, path: str, data: dict, *, form_page: str | None = None) -> requests.Response:
        """POST to path with the CSRF token read from form_page (default: path itself)."""
        return self.post(path, {"csrf_token": self.token(form_page or path), **data})

    def login(self, email: str, password: str = PASSWORD) -> None:
        """Sign in through the real form; asserts it worked."""
        answer = self.post_form("/account/sign-in", {"email": email, "password": password})
        assert answer.status_code == 302, answer.text

    def follow(self, answer: requests.Response) -> requests.Response:
        """GET where a redirect points (with this browser's cookies, so its flashed messages show)."""
        assert answer.status_code in (302, 303), (answer.status_code, answer.text[:500])
        location = answer.headers["Location"]
        return self.get(location[len(self.base_url):] if location.startswith("http") else location)

    def told(self, answer: requests.Response) -> str:
        """What the person read after a post: the page a redirect leads to, or the page answered."""
        return self.follow(answer).text if answer.status_code in (302, 303) else answer.text

    def twin(self) -> Browser:
        """The same person in a second thread: a copy of the cookies, as a second press of a button sends."""
        return Browser(self.base_url, cookies=self.http.cookies.copy(), seen=self.seen)


def at_once(calls: list[Callable[[], object]]) -> list:
    """Run each call in its own thread, released together; their results in order (an exception is raised)."""
    gate = threading.Barrier(len(calls))
    results: list = [None] * len(calls)
    errors: list[BaseException] = []

    def run(i: int) -> None:
        gate.wait()
        try:
            results[i] = calls[i]()
        except BaseException as exc:  # noqa: BLE001  (re-raised in the test's thread)
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return results


def press_together(browser: Browser, path: str, data: dict, *, form_page: str, times: int = 2) -> list:
    """The same form posted `times` times at the same moment by the same person (a double click).

    The token is read once from form_page, as a page shows one form that is then submitted twice.
    """
    body = {"csrf_token": browser.token(form_page), **data}
    twins = [browser.twin() for _ in range(times)]
    answers = at_once([lambda b=b: b.post(path, body) for b in twins])
    return list(zip(twins, answers))
