"""FalconPy (crowdstrike-falconpy) as a client of the sandbox, driven by test/sdk/falconpy.test.ts.

Usage: falconpy_loops.py BASE_URL CLIENT_ID CLIENT_SECRET MODE

MODE ``loops`` reads every stream with the service classes in the manual loop its route needs and prints
``{stream: [ids...]}`` as JSON. MODE ``region`` builds a service class with the credentials (it logs in at
once) and prints the base URL FalconPy uses afterwards, with no further request (it may be the real cloud).

FalconPy's login (``_login_handler``, stateful) runs ``autodiscover_region`` on the token answer's
``X-Cs-Region``: any known region makes it replace the caller's ``base_url`` with that region's
CrowdStrike URL. So ``loops`` mints the token with ``OAuth2.token()`` (not stateful: no autodiscovery)
and gives the service classes ``access_token`` and ``base_url``, which FalconPy then keeps.
"""

import json
import sys
from urllib.parse import parse_qs, urlsplit

from falconpy import IOC, Alerts, Hosts, Intel, OAuth2, SpotlightVulnerabilities

PAGE = 97
VULNERABILITY_FILTER = "created_timestamp:>'1970-01-01'"


def body_of(answer: dict) -> dict:
    """The answer's body, or a failure naming the status and the API's errors."""
    if answer["status_code"] not in (200, 201):
        raise RuntimeError(f"FalconPy call answered {answer['status_code']}: {answer['body'].get('errors')}")
    return answer["body"]


def pagination(body: dict) -> dict:
    return body.get("meta", {}).get("pagination", {}) or {}


def alerts(sdk: dict) -> list:
    ids, after = [], None
    while True:
        keywords = {"limit": PAGE, "sort": "created_timestamp|asc"}
        if after:
            keywords["after"] = after
        body = body_of(sdk["alerts"].get_alerts_combined(**keywords))
        ids += [alert["composite_id"] for alert in body["resources"]]
        after = pagination(body).get("after")
        if not after:
            return ids


def alert_ids(sdk: dict) -> list:
    ids, offset = [], 0
    while True:
        page = body_of(sdk["alerts"].query_alerts_v2(offset=offset, limit=PAGE, sort="created_timestamp|asc"))
        if page["resources"]:
            entities = body_of(sdk["alerts"].get_alerts_v2(composite_ids=page["resources"]))
            ids += [alert["composite_id"] for alert in entities["resources"]]
        offset += len(page["resources"])
        if not page["resources"] or offset >= pagination(page).get("total", 0):
            return ids


def iocs(sdk: dict) -> list:
    ids, after = [], None
    while True:
        keywords = {"limit": PAGE}
        if after:
            keywords["after"] = after
        body = body_of(sdk["ioc"].indicator_combined(**keywords))
        ids += [ioc["id"] for ioc in body["resources"] or []]
        after = pagination(body).get("after")
        if not after:
            return ids


def intel_indicators(sdk: dict) -> list:
    """Next-Page carries the filter that continues after the page's last `_marker`."""
    ids = []
    parameters = {"limit": PAGE, "sort": "_marker|asc"}
    while True:
        answer = sdk["intel"].query_indicator_entities(parameters=parameters)
        body = body_of(answer)
        ids += [indicator["id"] for indicator in body["resources"]]
        next_page = answer["headers"].get("Next-Page")
        if not next_page or not body["resources"]:
            return ids
        query = parse_qs(urlsplit(next_page).query)
        parameters = {name: values[0] for name, values in query.items()}


def hosts(sdk: dict) -> list:
    """Combined devices: `meta.pagination.next` goes back as `offset`."""
    ids, offset = [], None
    while True:
        keywords = {"limit": PAGE, "sort": "first_seen.asc"}
        if offset:
            keywords["offset"] = offset
        body = body_of(sdk["hosts"].query_devices_by_filter_combined(**keywords))
        ids += [device["device_id"] for device in body["resources"]]
        offset = pagination(body).get("next")
        if not offset:
            return ids


def hosts_scroll(sdk: dict) -> list:
    """The scroll: the same `offset` token goes back until a page is empty; ids hydrate through POST v2."""
    ids, offset = [], None
    while True:
        keywords = {"limit": PAGE, "sort": "first_seen.asc"}
        if offset:
            keywords["offset"] = offset
        page = body_of(sdk["hosts"].query_devices_by_filter_scroll(**keywords))
        if not page["resources"]:
            return ids
        details = body_of(sdk["hosts"].get_device_details(ids=page["resources"]))
        ids += [device["device_id"] for device in details["resources"]]
        offset = pagination(page).get("offset")
        if not offset:
            return ids


def vulnerabilities(sdk: dict) -> list:
    ids, after = [], None
    while True:
        keywords = {"filter": VULNERABILITY_FILTER, "limit": PAGE, "sort": "created_timestamp|asc"}
        if after:
            keywords["after"] = after
        body = body_of(sdk["spotlight"].query_vulnerabilities_combined(**keywords))
        ids += [vulnerability["id"] for vulnerability in body["resources"]]
        after = pagination(body).get("after")
        if not after:
            return ids


LOOPS = {
    "alerts": alerts,
    "alert-ids": alert_ids,
    "iocs": iocs,
    "intel-indicators": intel_indicators,
    "hosts": hosts,
    "hosts-scroll": hosts_scroll,
    "vulnerabilities": vulnerabilities,
}


def main(base_url: str, client_id: str, client_secret: str, mode: str) -> dict:
    if mode == "region":
        # A service class with credentials logs in as it is built; a second login() would already go elsewhere.
        falcon = Hosts(client_id=client_id, client_secret=client_secret, base_url=base_url)
        return {"token_status": falcon.token_status, "base_url": falcon.base_url}
    token = OAuth2(client_id=client_id, client_secret=client_secret, base_url=base_url).token()
    access_token = body_of(token)["access_token"]
    auth = {"access_token": access_token, "base_url": base_url}
    sdk = {
        "alerts": Alerts(**auth),
        "ioc": IOC(**auth),
        "intel": Intel(**auth),
        "hosts": Hosts(**auth),
        "spotlight": SpotlightVulnerabilities(**auth),
    }
    return {stream: loop(sdk) for stream, loop in LOOPS.items()}


if __name__ == "__main__":
    json.dump(main(*sys.argv[1:5]), sys.stdout)
