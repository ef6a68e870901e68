"""CloudWatch's Smithy RPC v2 CBOR protocol in front of moto, which speaks only its Query protocol.

The AWS SDK for Go v2 (and so the Terraform AWS provider 6.x) calls CloudWatch with RPC v2 CBOR:
POST /service/GraniteServiceVersion20100801/operation/<Operation>, header `smithy-protocol: rpc-v2-cbor`,
and refuses any answer without that header ("unexpected smithy-protocol response header"). moto 5.2.5
has no CBOR support (upstream: getmoto/moto, "CloudWatch: support the smithy-rpc-v2-cbor protocol").

This adapter is narrow and driven by botocore's CloudWatch model, not by hand-written shapes:
CBOR request -> parameters (input shape) -> Query request -> moto -> Query XML response -> parameters
(output shape) -> CBOR response. Errors keep their code: `__type` names the modelled error shape and
`x-amzn-query-error` carries the Query error code, as AWS does for this query-compatible service.
"""

from __future__ import annotations

import io
from typing import Any, Callable
from urllib.parse import urlencode

import botocore.session
from botocore.parsers import QueryParser, RpcV2CBORParser
from botocore.serialize import QuerySerializer, RpcV2CBORSerializer

PATH_PREFIX = "/service/GraniteServiceVersion20100801/operation/"
SHAPE_NAMESPACE = "com.amazonaws.cloudwatch#"

_model = botocore.session.get_session().get_service_model("cloudwatch")


def is_cbor_cloudwatch(environ: dict[str, Any]) -> bool:
    return environ.get("HTTP_SMITHY_PROTOCOL") == "rpc-v2-cbor" and environ.get("PATH_INFO", "").startswith(
        PATH_PREFIX
    )


def decode_request(operation_name: str, body: bytes) -> dict[str, Any]:
    """The parameters of a CBOR request, as botocore names them."""
    operation = _model.operation_model(operation_name)
    if operation.input_shape is None or not body:
        return {}
    parsed = RpcV2CBORParser().parse({"body": body, "headers": {}, "status_code": 200}, operation.input_shape)
    parsed.pop("ResponseMetadata", None)
    return parsed


def _encode(value: Any, shape: Any) -> bytes:
    out = bytearray()
    RpcV2CBORSerializer()._serialize_data_item(out, value, shape)
    return bytes(out)


def _encode_map(value: dict[str, str]) -> bytes:
    """A CBOR map of text strings (error bodies, which have no modelled shape here)."""
    out = bytearray([0xA0 + len(value)])
    for key, text in value.items():
        for item in (key, text):
            data = item.encode("utf-8")
            out += _text_header(len(data)) + data
    return bytes(out)


def _text_header(length: int) -> bytes:
    if length < 24:
        return bytes([0x60 + length])
    if length < 256:
        return bytes([0x78, length])
    if length < 65536:
        return bytes([0x79]) + length.to_bytes(2, "big")
    return bytes([0x7A]) + length.to_bytes(4, "big")


def _error_shape_name(operation: Any, code: str) -> str:
    for shape in operation.error_shapes:
        query_code = shape.metadata.get("error", {}).get("code")
        if code in (shape.name, query_code):
            return shape.name
    return code


def handle(environ: dict[str, Any], start_response: Callable[..., Any], app: Callable[..., Any], body: bytes):
    """Answers one CBOR request by way of moto's Query protocol."""
    operation_name = environ["PATH_INFO"][len(PATH_PREFIX) :]
    operation = _model.operation_model(operation_name)
    params = decode_request(operation_name, body)

    query = QuerySerializer().serialize_to_request(params, operation)
    form = urlencode(query["body"]).encode("utf-8")
    inner = dict(environ)
    for key in ("HTTP_SMITHY_PROTOCOL", "HTTP_TRANSFER_ENCODING", "HTTP_CONTENT_ENCODING"):
        inner.pop(key, None)
    inner.update(
        {
            "PATH_INFO": "/",
            "RAW_URI": "/",
            "REQUEST_URI": "/",
            "QUERY_STRING": "",
            "REQUEST_METHOD": "POST",
            "CONTENT_TYPE": "application/x-www-form-urlencoded; charset=utf-8",
            "CONTENT_LENGTH": str(len(form)),
            "wsgi.input": io.BytesIO(form),
        }
    )
    captured: dict[str, Any] = {}

    def capture(status: str, headers: list[tuple[str, str]], exc_info: Any = None):
        captured["status"] = status
        captured["headers"] = headers
        return lambda data: None

    xml = b"".join(app(inner, capture))
    status_code = int(captured["status"].split(" ", 1)[0])
    headers = [("smithy-protocol", "rpc-v2-cbor"), ("Content-Type", "application/cbor")]
    parser = QueryParser()
    response = {"body": xml, "headers": dict(captured["headers"]), "status_code": status_code}

    if status_code >= 300:
        error = parser.parse(response, operation.output_shape)["Error"]
        code = error.get("Code", "InternalFailure")
        headers.append(("x-amzn-query-error", f"{code};Sender"))
        payload = _encode_map(
            {"__type": SHAPE_NAMESPACE + _error_shape_name(operation, code), "message": error.get("Message", "")}
        )
    elif operation.output_shape is None:
        payload = _encode_map({})
    else:
        result = parser.parse(response, operation.output_shape)
        result.pop("ResponseMetadata", None)
        payload = _encode(result, operation.output_shape)

    headers.append(("Content-Length", str(len(payload))))
    start_response(captured["status"], headers)
    return [payload], {"operation": operation_name, "params": params, "status": status_code}
