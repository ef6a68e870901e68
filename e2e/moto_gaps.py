"""Operations the lab needs that moto 5.2.5 lacks, answered from moto's own backend state.

Each entry is narrow, says what AWS does, and names the upstream gap. The list of what is NOT filled
(and so left out of the emulator run) is e2e/emulator-gaps.ts; the README's table is checked against it.
"""

from __future__ import annotations

import json
import time
import uuid
from typing import Any, Callable

from moto.athena.models import athena_backends
from moto.core import DEFAULT_ACCOUNT_ID
from moto.ec2.responses.flow_logs import FlowLogs as FlowLogsResponse
from moto.s3.models import FakeDeleteMarker

Answer = tuple[int, dict[str, Any]]


def _athena(region: str):
    return athena_backends[DEFAULT_ACCOUNT_ID][region]


def delete_named_query(params: dict[str, Any], region: str) -> Answer:
    # AWS: DeleteNamedQuery deletes the query and answers {}. moto: not implemented (getmoto/moto, Athena
    # coverage: delete_named_query). Terraform's aws_athena_named_query calls it on destroy.
    _athena(region).named_queries.pop(params.get("NamedQueryId", ""), None)
    return 200, {}


def get_named_query(params: dict[str, Any], region: str) -> Answer | None:
    # AWS: an unknown id is InvalidRequestException. moto: a 500 (AttributeError on None). Known ids go to moto.
    if params.get("NamedQueryId") in _athena(region).named_queries:
        return None
    return 400, {"__type": "InvalidRequestException", "Message": "NamedQuery not found"}


# Saved Logs Insights queries, by region and id. moto: PutQueryDefinition, DescribeQueryDefinitions and
# DeleteQueryDefinition not implemented (getmoto/moto, CloudWatch Logs coverage). aws_cloudwatch_query_definition
# puts, reads back by name prefix and id, and deletes; these answer as AWS documents (Logs API reference).
_query_definitions: dict[str, dict[str, dict[str, Any]]] = {}


# AWS: a repeated PutQueryDefinition with the same clientToken (the SDK fills one in and keeps it across
# retries) is the same request: it answers the id it created the first time instead of creating another.
_client_tokens: dict[str, str] = {}


def put_query_definition(params: dict[str, Any], region: str) -> Answer:
    store = _query_definitions.setdefault(region, {})
    token = params.get("clientToken")
    if token and token in _client_tokens and not params.get("queryDefinitionId"):
        return 200, {"queryDefinitionId": _client_tokens[token]}
    query_id = params.get("queryDefinitionId") or str(uuid.uuid4())
    if params.get("queryDefinitionId") and query_id not in store:
        return 400, {"__type": "ResourceNotFoundException", "message": "Query definition not found"}
    store[query_id] = {
        "queryDefinitionId": query_id,
        "name": params.get("name", ""),
        "queryString": params.get("queryString", ""),
        "lastModified": int(time.time() * 1000),
        "logGroupNames": params.get("logGroupNames", []),
        "queryLanguage": params.get("queryLanguage", "CWLI"),
    }
    if token:
        _client_tokens[token] = query_id
    return 200, {"queryDefinitionId": query_id}


def describe_query_definitions(params: dict[str, Any], region: str) -> Answer:
    prefix = params.get("queryDefinitionNamePrefix", "")
    found = [q for q in _query_definitions.get(region, {}).values() if q["name"].startswith(prefix)]
    return 200, {"queryDefinitions": sorted(found, key=lambda q: q["name"])}


def delete_query_definition(params: dict[str, Any], region: str) -> Answer:
    if _query_definitions.get(region, {}).pop(params.get("queryDefinitionId", ""), None) is None:
        return 400, {"__type": "ResourceNotFoundException", "message": "Query definition not found"}
    return 200, {"success": True}


def _keep_destination_options() -> None:
    # AWS: DescribeFlowLogs returns an S3 flow log's DestinationOptions (FileFormat, HiveCompatiblePartitions,
    # PerHourPartition). moto: CreateFlowLogs ignores them and DescribeFlowLogs leaves them out, so Terraform
    # reads `destination_options` back empty and plans to replace the flow log. Kept on moto's own FlowLog.
    original = FlowLogsResponse.create_flow_logs

    def create_flow_logs(self: FlowLogsResponse) -> Any:
        result = original(self)
        options = self._get_param("DestinationOptions") or {}
        if self._get_param("LogDestinationType") == "s3":
            for flow_log_id in result.result["FlowLogIds"]:
                self.ec2_backend.flow_logs[flow_log_id].destination_options = {
                    "FileFormat": options.get("FileFormat", "plain-text"),
                    "HiveCompatiblePartitions": str(options.get("HiveCompatiblePartitions", False)).lower() == "true",
                    "PerHourPartition": str(options.get("PerHourPartition", False)).lower() == "true",
                }
        return result

    FlowLogsResponse.create_flow_logs = create_flow_logs  # type: ignore[method-assign]


def patch_moto() -> None:
    """Bugs of moto 5.2.5 that break what AWS does, mended in place (each narrow, each named)."""
    # Deleting the last version of a key whose versions include a delete marker (DeleteObjects with version
    # ids, as `force_destroy` of a versioned bucket does) calls dispose() on every version; FakeDeleteMarker
    # has none (AttributeError, HTTP 500). A delete marker holds no data: nothing to dispose of.
    if not hasattr(FakeDeleteMarker, "dispose"):
        FakeDeleteMarker.dispose = lambda self, garbage=False: None  # type: ignore[attr-defined]
    _keep_destination_options()


FILLERS: dict[str, Callable[[dict[str, Any], str], Answer | None]] = {
    "AmazonAthena.DeleteNamedQuery": delete_named_query,
    "AmazonAthena.GetNamedQuery": get_named_query,
    "Logs_20140328.PutQueryDefinition": put_query_definition,
    "Logs_20140328.DescribeQueryDefinitions": describe_query_definitions,
    "Logs_20140328.DeleteQueryDefinition": delete_query_definition,
}


def answer(target: str, body: bytes, region: str) -> tuple[int, bytes] | None:
    """The answer to a JSON-protocol call that moto cannot give, or None to let moto answer."""
    filler = FILLERS.get(target)
    if filler is None:
        return None
    result = filler(json.loads(body or b"{}"), region)
    if result is None:
        return None
    status, payload = result
    return status, json.dumps(payload).encode("utf-8")
