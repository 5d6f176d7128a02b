"""The host's I/O: HTTP to the Falcon API, the clock and sleeping. It performs commands; it decides nothing."""
import json
import os
import time
from urllib.parse import urlsplit

import urllib3
from urllib3.exceptions import ConnectTimeoutError, HTTPError, NewConnectionError, ProtocolError, ReadTimeoutError

CLOCK_PATH = '/_sandbox/clock'
# The same words as the Node host (TRANSPORT_MESSAGES): the engine keeps them in the run's timeline.
MESSAGES = {'reset': 'connection reset by peer', 'timeout': 'no answer within the request timeout'}


def origin(url: str) -> tuple:
    parts = urlsplit(url)
    return parts.scheme.lower(), (parts.hostname or '').lower(), parts.port


class HostIo:
    """urllib3 without retries or redirects (the engine decides both); the bearer token only to the API origin."""

    def __init__(self, environ=os.environ):
        self.cloud = environ.get('CS_CLOUD', '')
        self.api_base_override = environ.get('PG_API_BASE_URL', '')
        self.app_id = environ.get('APP_ID', '')
        # Local runs against the sandbox may share its virtual clock, so a 45 s rate-limit wait costs nothing.
        self.sandbox_clock = environ.get('PG_SANDBOX_CLOCK', '') == '1' and self.api_base_override != ''
        self._pool = urllib3.PoolManager(retries=False, maxsize=4)

    def now_ms(self) -> float:
        if self.sandbox_clock:
            return self._clock('GET', None)
        return time.time() * 1000

    def sleep(self, ms: float) -> None:
        if self.sandbox_clock:
            self._clock('POST', {'ms': ms})
        else:
            time.sleep(max(0.0, ms) / 1000)

    def _clock(self, method: str, body) -> float:
        url = self.api_base_override.rstrip('/') + CLOCK_PATH + ('/sleep' if body is not None else '')
        answer = self._pool.request(method, url, body=None if body is None else json.dumps(body), timeout=10.0, redirect=False)
        return float(json.loads(answer.data)['nowMs'])

    def http(self, command: dict, api_base_url: str, token: str) -> 'tuple[dict, str | None]':
        """Performs an `http` command; answers the engine event and, for a response, its body."""
        request = command['request']
        url = api_base_url.rstrip('/') + request['path']
        # A path must not move the request off the API origin ('.evil.example/', '@host/'): the token goes nowhere else.
        path = request['path']
        if not path.startswith('/') or path.startswith('//') or '\\' in path or origin(url) != origin(api_base_url):
            return self._error('network', 'refused: the request would leave the Falcon API origin'), None
        headers = dict(request['headers'])
        headers['Authorization'] = f'Bearer {token}'
        budget_s = command['timeoutMs'] / 1000
        deadline = time.monotonic() + budget_s
        try:
            answer = self._pool.request(request['method'], url, headers=headers, body=request['body'],
                                        timeout=urllib3.Timeout(total=budget_s), redirect=False, preload_content=False)
            # urllib3's read timeout is per read: a body dripped byte by byte must still end at the deadline.
            data = bytearray()
            while chunk := answer.read1(65536):
                data += chunk
                if time.monotonic() > deadline:
                    answer.release_conn()
                    return self._error('timeout', MESSAGES['timeout']), None
            answer.release_conn()
        except (ReadTimeoutError, ConnectTimeoutError):
            return self._error('timeout', MESSAGES['timeout']), None
        except ProtocolError:
            return self._error('reset', MESSAGES['reset']), None
        except (NewConnectionError, HTTPError) as error:
            return self._error('network', type(error).__name__), None
        response_headers = {name: ', '.join(answer.headers.getlist(name)) for name in answer.headers.keys()}
        event = {'kind': 'http-response', 'nowMs': self.now_ms(), 'status': answer.status, 'headers': response_headers}
        return event, bytes(data).decode('utf-8', errors='replace')

    def _error(self, code: str, message: str) -> dict:
        return {'kind': 'http-error', 'nowMs': self.now_ms(), 'code': code, 'message': message}
