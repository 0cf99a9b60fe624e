"""Errors of the open data API: a status, an OGC exception code and a message that names what was wrong,
in German or English. The JSON form is the one pygeoapi answers with (`code`, `type`, `description`),
plus the offending `parameter` where there is one, so a client tells its own errors from the server's."""

from __future__ import annotations

from dataclasses import dataclass, field
from http import HTTPStatus

from geo.texts import t


def problem_text(key: str, lang: str, **values: object) -> str:
    return t(f"api_problem_{key}", lang, **values)


@dataclass
class ApiProblem(Exception):
    """A request the API refuses; `key` names its text in geo/texts/api.py (`api_problem_<key>`)."""

    status: int
    key: str
    values: dict[str, object] = field(default_factory=dict)
    parameter: str | None = None
    code: str = "InvalidParameterValue"
    headers: dict[str, str] = field(default_factory=dict)

    def message(self, lang: str) -> str:
        return problem_text(self.key, lang, **self.values)

    def body(self, lang: str) -> dict[str, object]:
        body: dict[str, object] = {"code": self.code, "type": self.code, "description": self.message(lang)}
        if self.parameter is not None:
            body["parameter"] = self.parameter
        return body


def bad_parameter(key: str, parameter: str, **values: object) -> ApiProblem:
    """A 400 for `parameter`; its text may name it as `{parameter}`."""
    return ApiProblem(HTTPStatus.BAD_REQUEST, key, {"parameter": parameter, **values}, parameter=parameter)
