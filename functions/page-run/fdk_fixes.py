"""Fixes for the pinned FDK's HTTP runner (crowdstrike-foundry-function 1.1.4), each covered by test_main.py.

- A body that is not a JSON object (or not JSON at all) raised before routing, and the connection closed
  with no answer: it now gets a 400 naming the problem.
- Any exception in a handler closed the connection with no answer: it now gets a 500 (the handlers
  already answer on their own; this is the last line of defence).
- An unknown path or method got the router's bare "Not Found": the function machine answers it instead,
  naming the handlers it serves.
- `_resp_headers` iterated a dict as pairs, so an envelope carrying `X-Cs-Executionid` (what Fusion sends)
  made every response raise: the echoed headers are now joined as the FDK meant.
"""
from crowdstrike.foundry.function import APIError, Request, Response
from crowdstrike.foundry.function.context import ctx_request
from crowdstrike.foundry.function.mapping import canonize_header
from crowdstrike.foundry.function.model import FDKException
from crowdstrike.foundry.function.runner_http import HTTPRequestHandler

ECHOED_HEADERS = ('X-Cs-Executionid', 'X-Cs-Origin', 'X-Cs-Traceid')


_fallback = None


def _exec_request(self):
    try:
        request = self._read_request()
        if not isinstance(request.params.header, dict) or not isinstance(request.params.query, dict):
            raise ValueError('params.header and params.query must be objects of lists')
    except Exception as error:  # noqa: BLE001 - whatever the client sent, it gets an answer
        answer = Response(code=400, body={'error_code': 'ENVELOPE_INVALID', 'field': '(envelope)'},
                          errors=[APIError(code=400, message=f'The function request envelope is not a JSON object of the FDK form: {str(error)[:200]} (field: (envelope))')])
        self._write_response(Request(), answer)
        return
    ctx_request.set(request)
    try:
        answer = HTTPRequestHandler._router.route(request, logger=HTTPRequestHandler._logger)
    except FDKException:
        answer = _fallback(request)
    except Exception as error:  # noqa: BLE001
        answer = Response(code=500, body={'error_code': 'HOST_FAILED', 'field': 'host'}, errors=[APIError(code=500, message=f'{type(error).__name__} (field: host)')])
    self._write_response(request, answer)


def _resp_headers(self, request, response):
    headers = {canonize_header(k): v for k, v in (response.header or {}).items() if v}
    request_headers = request.params.header if request.params is not None and isinstance(request.params.header, dict) else {}
    for name in ECHOED_HEADERS:
        value = request_headers.get(name)
        if value:
            headers[name] = value
    return {k: ';'.join(str(x) for x in v) if isinstance(v, list) else str(v) for k, v in headers.items()}


def apply(fallback) -> None:
    """Patches the runner; `fallback(request)` answers a request no handler is registered for."""
    global _fallback
    _fallback = fallback
    HTTPRequestHandler._exec_request = _exec_request
    HTTPRequestHandler._resp_headers = _resp_headers
