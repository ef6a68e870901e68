"""moto's server (`moto_server`) with the two additions the emulator run needs, as WSGI middleware:

- CloudWatch over Smithy RPC v2 CBOR (moto_cbor.py), so that the AWS provider can create alarms;
- the few operations moto lacks, answered from its own state (moto_gaps.py);
- a call recorder (moto_recorder.py) when LAB_MOTO_RECORD names a file, with a phase that the run sets
  by POST /_lab/phase/<name> (answered here, never passed to moto).

Same command line as moto_server: -H host, -p port, -s (HTTPS with a generated certificate).
"""

from __future__ import annotations

import argparse
import io
import os
import signal
import sys
from typing import Any, Callable

from werkzeug.serving import run_simple

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import moto_cbor  # noqa: E402
import moto_gaps  # noqa: E402
from moto_recorder import Recorder, decode, decode_response, signing_scope  # noqa: E402
from moto.moto_server.werkzeug_app import (  # noqa: E402
    DomainDispatcherApplication,
    MotoRequestHandler,
    create_backend_app,
)

PHASE_PATH = "/_lab/phase/"


def read_body(environ: dict[str, Any]) -> bytes:
    stream = environ.get("wsgi.input")
    if stream is None:
        return b""
    length = environ.get("CONTENT_LENGTH")
    if length:
        return stream.read(int(length))
    if environ.get("wsgi.input_terminated") or "chunked" in environ.get("HTTP_TRANSFER_ENCODING", ""):
        return stream.read()
    return b""


class LabMiddleware:
    def __init__(self, app: Callable[..., Any], recorder: Recorder):
        self.app = app
        self.recorder = recorder

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]):
        path = environ.get("PATH_INFO", "")
        if path.startswith(PHASE_PATH):
            self.recorder.set_phase(path[len(PHASE_PATH) :])
            start_response("204 No Content", [("Content-Length", "0")])
            return [b""]

        body = read_body(environ)
        environ = dict(environ)
        environ["wsgi.input"] = io.BytesIO(body)
        environ["CONTENT_LENGTH"] = str(len(body))
        environ.pop("HTTP_TRANSFER_ENCODING", None)

        if moto_cbor.is_cbor_cloudwatch(environ):
            chunks, call = moto_cbor.handle(environ, start_response, self.app, body)
            self.recorder.record(
                {
                    "service": "cloudwatch",
                    "region": (signing_scope(environ) or (None,))[0],
                    "protocol": "smithy-rpc-v2-cbor",
                    **call,
                }
            )
            return chunks

        filled = moto_gaps.answer(environ.get("HTTP_X_AMZ_TARGET", ""), body, (signing_scope(environ) or ("",))[0])
        if filled is not None:
            status, payload = filled
            start_response(
                f"{status} {'OK' if status == 200 else 'Bad Request'}",
                [("Content-Type", "application/x-amz-json-1.1"), ("Content-Length", str(len(payload)))],
            )
            self.recorder.record({**decode(environ, body), "status": status, "filled": True})
            return [payload]

        captured: dict[str, Any] = {}

        def capture(status: str, headers: list[tuple[str, str]], exc_info: Any = None):
            captured["status"] = status
            captured["headers"] = headers
            return start_response(status, headers, exc_info)

        chunks = list(self.app(environ, capture))
        if self.recorder.path:
            call = decode(environ, body)
            status = int(captured.get("status", "500").split(" ", 1)[0])
            entry = {**call, "status": status, "method": environ.get("REQUEST_METHOD"), "path": path}
            if call.get("operation") and status < 300:
                entry["response"] = decode_response(
                    call["service"],
                    call["operation"],
                    call.get("protocol", ""),
                    status,
                    dict(captured.get("headers", [])),
                    b"".join(chunks),
                )
            self.recorder.record(entry)
        return chunks


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("-H", "--host", default="127.0.0.1")
    parser.add_argument("-p", "--port", type=int, default=4566)
    parser.add_argument("-s", "--ssl", action="store_true")
    args = parser.parse_args()
    os.environ.setdefault("MOTO_PORT", str(args.port))
    moto_gaps.patch_moto()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))

    moto_app = DomainDispatcherApplication(create_backend_app)
    app = LabMiddleware(moto_app, Recorder(os.environ.get("LAB_MOTO_RECORD")))
    run_simple(
        args.host,
        args.port,
        app,
        threaded=True,
        ssl_context="adhoc" if args.ssl else None,
        request_handler=MotoRequestHandler,
    )


if __name__ == "__main__":
    main()
