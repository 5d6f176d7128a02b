"""Prints FalconPy's endpoint tables as JSON, for `npm run check:api` (scripts/checkApi.ts).

Reads data only: every `falconpy._endpoint._<collection>` module's `_<collection>_endpoints` list, and
FalconPy's own table of operations it warns about at call time (`operation_deprecation_mapping`). The one
interpretation made here is reading the deprecation marks out of description text, because FalconPy
keeps them nowhere else; every comparison happens in TypeScript.

The `falconpy._endpoint.deprecated` package is skipped on purpose: it holds legacy operation-id aliases
(old naming conventions such as "entities.perform_action") for routes the main modules already list, so
its entries say nothing about whether a route is deprecated.

Standard library only, plus an installed crowdstrike-falconpy.
"""

import importlib
import json
import pkgutil
import re
import sys
from importlib.metadata import version

import falconpy._endpoint as endpoint_package

PARAM_KEYS = ("name", "in", "type", "enum", "minimum", "maximum", "default", "items", "description")

# "Deprecated:", "DEPRECATED:", "*** Deprecated - ...", "is deprecated in favour of ...".
DEPRECATED = re.compile(r"\bdeprecated\b", re.IGNORECASE)
# "DECOMMISSIONED: ..." marks a route that is already gone, without a date.
DECOMMISSIONED_MARK = re.compile(r"\bDECOMMISSIONED\b")
# "will be decommissioned on September 30, 2025", "will be removed in March 2026".
DECOMMISSION_DATE = re.compile(
    r"\b(?:decommissioned|removed|retired)\s+(?:on|in|by)\s+"
    r"((?:[A-Z][a-z]+\s+\d{1,2},\s*\d{4})|(?:[A-Z][a-z]+\s+\d{4})|(?:\d{4}-\d{2}-\d{2}))"
)
# An API path named in the text ("use GET /devices/combined/devices/v1"); a leading slash is required
# so that prose such as "entities/event-details/v1" of another service is not taken for this API's path.
NAMED_PATH = re.compile(r"(?<![\w/])(/[a-z][\w.-]*(?:/[\w{}.-]+)*/v\d+)\b")
# "Please use version v2 of this endpoint", "deprecated in favor of v2".
NAMED_VERSION = re.compile(r"(?:use version|in favou?r of)\s+v(\d+)\b", re.IGNORECASE)
# "Please use the CombinedDevicesByFilter endpoint", "in favour of the GetParserTemplate API"; an
# operation id has a capital, a digit or an underscore after its first letter, which plain words lack.
NAMED_OPERATION = re.compile(r"(?:\buse|in favou?r of)\s+(?:the\s+)?([A-Za-z]\w*?[A-Z0-9_]\w*)")
# "Use the new IOC Management endpoint (indicator_get_v1)".
PARENTHESISED_OPERATION = re.compile(r"\(([A-Za-z]\w*_v\d+)\)")
VERSION_ONLY = re.compile(r"v\d+")
VERSION_SUFFIX = re.compile(r"/v\d+$")


def endpoint_modules():
    """The `_<collection>` modules of falconpy._endpoint, with their `_<collection>_endpoints` lists."""
    for info in sorted(pkgutil.iter_modules(endpoint_package.__path__), key=lambda i: i.name):
        if info.ispkg or not info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{endpoint_package.__name__}.{info.name}")
        table = getattr(module, f"{info.name}_endpoints", None)
        if isinstance(table, list):
            yield info.name, table


def successor_of(path, description):
    """A replacement path the text names (a path, or another version of this one), else None."""
    named = [p for p in NAMED_PATH.findall(description) if p != path]
    if named:
        return named[0]
    version_match = NAMED_VERSION.search(description)
    if version_match and VERSION_SUFFIX.search(path):
        candidate = VERSION_SUFFIX.sub(f"/v{version_match.group(1)}", path)
        return candidate if candidate != path else None
    return None


def successor_operation_of(description):
    """An operation id the text names as the replacement, else None."""
    for pattern in (PARENTHESISED_OPERATION, NAMED_OPERATION):
        for match in pattern.finditer(description):
            if not VERSION_ONLY.fullmatch(match.group(1)):
                return match.group(1)
    return None


def params_of(raw_params):
    return [{key: param.get(key) for key in PARAM_KEYS} for param in raw_params]


def endpoint_of(row, operation_mapping):
    operation, method, path, description, collection, raw_params = row
    description = description or ""
    decommission_date = DECOMMISSION_DATE.search(description)
    marked_decommissioned = bool(DECOMMISSIONED_MARK.search(description)) or decommission_date is not None
    marks = []
    if DEPRECATED.search(description) or marked_decommissioned:
        marks.append("description")
    if operation in operation_mapping:
        marks.append("operation-mapping")
    mapped_successor = operation_mapping.get(operation) or None
    # Replacements are named after the mark; text before it may name other operations ("use ArchiveGetV1 to
    # check the status. ... deprecated in favor of ArchiveUploadV2").
    mark = DEPRECATED.search(description) or DECOMMISSIONED_MARK.search(description)
    after_mark = description[mark.start():] if mark else ""
    return {
        "operation": operation,
        "method": method.upper(),
        "path": path,
        "collection": collection,
        "deprecated": bool(marks),
        "deprecation_marks": marks,
        "decommissioned": decommission_date.group(1) if decommission_date else None,
        "decommissioned_marked": marked_decommissioned,
        "successor": successor_of(path, after_mark) if after_mark else None,
        "successor_operation": mapped_successor or (successor_operation_of(after_mark) if after_mark else None),
        "description": description,
        "params": params_of(raw_params),
    }


def main():
    operation_mapping = dict(getattr(endpoint_package, "operation_deprecation_mapping", {}))
    endpoints = []
    modules = 0
    for _name, table in endpoint_modules():
        modules += 1
        endpoints.extend(endpoint_of(row, operation_mapping) for row in table)
    json.dump(
        {"falconpy_version": version("crowdstrike-falconpy"), "modules": modules, "endpoints": endpoints},
        sys.stdout,
        default=str,
    )
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
