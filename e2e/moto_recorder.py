"""Records every AWS API call that reaches moto, decoded: service, operation, parameters and answer.

Each call is one JSON line in the file named by LAB_MOTO_RECORD, with the phase that the e2e run set
last (POST /_lab/phase/<name>), so that each call can be judged against the IAM role that would make
it (scripts/e2e.ts: which role runs which phase). Operations are found the way moto itself routes them
(botocore's models: Query `Action`, JSON `X-Amz-Target`, REST path and method), so S3 calls get their
real operation names (PutBucketLifecycleConfiguration, not a URL).
"""

from __future__ import annotations

import base64
import datetime
import json
import re
import threading
from typing import Any

import botocore.session
from botocore.parsers import create_parser
from moto.core.parse import PROTOCOL_PARSERS
from moto.core.request import Request, determine_request_protocol
from moto.core.routing import get_service_router

# SigV4 signing names that differ from botocore's service names.
SIGNING_TO_SERVICE = {"monitoring": "cloudwatch", "email": "ses", "states": "stepfunctions"}
CREDENTIAL_SCOPE = re.compile(r"Credential=[^/]+/\d{8}/([^/]+)/([^/]+)/aws4_request")

_session = botocore.session.get_session()
_lock = threading.Lock()


class Recorder:
    def __init__(self, path: str | None):
        self.path = path
        self.phase = "unset"

    def set_phase(self, phase: str) -> None:
        self.phase = phase

    def record(self, entry: dict[str, Any]) -> None:
        if not self.path:
            return
        entry = {"phase": self.phase, **entry}
        line = json.dumps(entry, default=_json_default, sort_keys=True)
        with _lock, open(self.path, "a", encoding="utf-8") as out:
            out.write(line + "\n")


def _json_default(value: Any) -> Any:
    if isinstance(value, (datetime.datetime, datetime.date)):
        return value.isoformat()
    if isinstance(value, (bytes, bytearray)):
        return base64.b64encode(bytes(value)).decode("ascii")
    if hasattr(value, "read"):
        return "<stream>"
    return str(value)


def signing_scope(environ: dict[str, Any]) -> tuple[str, str] | None:
    """(region, signing name) from the SigV4 Authorization header."""
    match = CREDENTIAL_SCOPE.search(environ.get("HTTP_AUTHORIZATION", ""))
    return (match.group(1), match.group(2)) if match else None


def service_name(environ: dict[str, Any], signing_name: str) -> str:
    if signing_name == "s3" and (
        environ.get("PATH_INFO", "").startswith("/v20180820/") or environ.get("HTTP_X_AMZ_ACCOUNT_ID")
    ):
        return "s3control"
    return SIGNING_TO_SERVICE.get(signing_name, signing_name)


def decode(environ: dict[str, Any], body: bytes) -> dict[str, Any]:
    """Service, region, operation and parameters of a request; `error` says what could not be decoded."""
    scope = signing_scope(environ)
    if scope is None:
        return {"service": None, "operation": None, "params": {}, "error": "unsigned request"}
    region, signing_name = scope
    service = service_name(environ, signing_name)
    result: dict[str, Any] = {"service": service, "region": region, "operation": None, "params": {}}
    try:
        request = Request(dict(environ, **{"wsgi.input": _Body(body)}))
        model = _session.get_service_model(service)
        operation, uri_params = get_service_router(service).match(request)
        protocol = determine_request_protocol(model, request.content_type)
        params = PROTOCOL_PARSERS[protocol](operation).parse(
            {
                "method": request.method,
                "values": request.values,
                "headers": request.headers,
                "body": body,
                "url_path": request.path,
                "url_params": uri_params,
            }
        )
        result.update(operation=operation.name, params=_plain(params), protocol=protocol)
    except Exception as error:  # noqa: BLE001 - an undecodable call is recorded, never fatal
        result["error"] = f"{type(error).__name__}: {error}"
    return result


def decode_response(service: str, operation_name: str, protocol: str, status: int, headers: dict, body: bytes) -> Any:
    """The answer's fields (output shape), for the ids of what a call created; None when not decodable."""
    if status >= 300 or not body:
        return None
    try:
        model = _session.get_service_model(service)
        operation = model.operation_model(operation_name)
        if operation.output_shape is None:
            return None
        parser = create_parser("ec2" if protocol == "ec2" else model.protocol if protocol != "json" else "json")
        parsed = parser.parse({"body": body, "headers": headers, "status_code": status}, operation.output_shape)
        parsed.pop("ResponseMetadata", None)
        return _plain(parsed)
    except Exception:  # noqa: BLE001
        return None


def _plain(value: Any) -> Any:
    """JSON-ready copies of parsed values (moto's parsers return their own mapping types)."""
    if isinstance(value, dict) or hasattr(value, "items"):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


class _Body:
    """A wsgi.input over bytes already read (the real stream can be read only once)."""

    def __init__(self, data: bytes):
        self._data = data
        self._pos = 0

    def read(self, size: int = -1) -> bytes:
        end = len(self._data) if size is None or size < 0 else self._pos + size
        chunk = self._data[self._pos : end]
        self._pos += len(chunk)
        return chunk

    def readline(self, size: int = -1) -> bytes:
        end = self._data.find(b"\n", self._pos)
        end = len(self._data) if end < 0 else end + 1
        if size is not None and size >= 0:
            end = min(end, self._pos + size)
        return self.read(end - self._pos)
