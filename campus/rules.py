"""Broken business rules: one exception for every app, answered in one place.

A service raises a `RuleError` subclass with a French message for the user. A
view that can show the message in context (as a form error, on the page the
user was on) catches it; anything it lets through becomes the site's error page
with the rule's status, never a server error. An htmx request gets the page's
content alone, sent to the main area whatever element asked: base.html's
htmx-config swaps 400 and 409, the statuses rules use.
"""

from django.shortcuts import render
from django_htmx.http import push_url, reswap, retarget


class RuleError(Exception):
    """A request that a business rule refuses; its message is for the user."""

    status_code = 409
    title = "Action impossible"

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class RuleErrorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, RuleError):
            return None
        template = "error.html#error" if request.htmx else "error.html"
        response = render(
            request,
            template,
            {
                "status": exception.status_code,
                "title": exception.title,
                "message": exception.message,
            },
            status=exception.status_code,
        )
        if request.htmx:
            response = push_url(
                reswap(retarget(response, "#contenu"), "innerHTML"), False
            )
        return response
