"""Tests of the Python host: the FDK's HTTP runner, the embedded engine and the host's I/O, over real sockets.

The Falcon API is the one boundary faked here: a loopback HTTP server that answers from a script and records
what it was sent. Everything else is the real code (FDK runner, QuickJS, the engine bundle, urllib3).
"""
import json
import socket
import threading
import urllib.request
from http.server import BaseHTTPRequestHandler, HTTPServer, ThreadingHTTPServer
from logging import getLogger

import pytest
from crowdstrike.foundry.function import Request
from crowdstrike.foundry.function.runner_http import HTTPRequestHandler

import fdk_fixes
import main
from embedded_engine import EmbeddedEngine, EngineFailure
from host_io import HostIo


class FakeFalcon:
    """A loopback server standing in for the Falcon API: `answer(method, path, body)` -> (status, headers, body)."""

    def __init__(self, answer):
        self.requests = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def _serve(self):
                length = int(self.headers.get('Content-Length', 0))
                body = self.rfile.read(length).decode('utf-8') if length else ''
                outer.requests.append({'method': self.command, 'path': self.path, 'headers': dict(self.headers), 'body': body})
                status, headers, text = answer(self.command, self.path, body)
                payload = text.encode('utf-8')
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header('Content-Length', str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_POST = do_PUT = do_DELETE = _serve

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(('127.0.0.1', 0), Handler)
        self.url = f'http://127.0.0.1:{self.server.server_address[1]}'
        threading.Thread(target=self.server.serve_forever, kwargs={'poll_interval': 0.01}, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


ENVELOPE_META = {'meta': {'query_time': 0.01, 'trace_id': 'trace-test', 'powered_by': 'detectsapi'}}
STORAGE = '/customobjects/v1/collections/'


class FakeStorage:
    """Custom storage as the fake API keeps it: objects by collection/key, GET answers the raw object."""

    def __init__(self):
        self.objects = {}

    def answer(self, method, path, body):
        key = path[len(STORAGE):]
        if method == 'PUT':
            self.objects[key] = body
            return 200, {'Content-Type': 'application/json'}, json.dumps(dict(ENVELOPE_META, resources=[]))
        if method == 'GET' and key in self.objects:
            return 200, {'Content-Type': 'application/octet-stream'}, self.objects[key]
        return 404, {'Content-Type': 'application/json'}, json.dumps(dict(ENVELOPE_META, resources=[], errors=[{'code': 404, 'message': 'not found'}]))


def alerts_page(count, total):
    resources = [{'composite_id': f'cid:ind:{n}', 'created_timestamp': f'2026-10-01T00:00:{n:02d}Z', 'severity': 50} for n in range(count)]
    meta = dict(ENVELOPE_META['meta'], pagination={'limit': 100, 'total': total})
    return json.dumps({'meta': meta, 'resources': resources, 'errors': []})


@pytest.fixture
def host_for():
    """Points the module's host at a fake Falcon; restores it afterwards."""
    fakes = []
    original = main.IO

    def point(answer, **environ):
        fake = FakeFalcon(answer)
        fakes.append(fake)
        main.IO = HostIo({'PG_API_BASE_URL': fake.url, 'APP_ID': 'app-test', **environ})
        return fake

    yield point
    main.IO = original
    for fake in fakes:
        fake.close()


def page_run_request(body, headers=None):
    request = Request(body=body, method='POST', url='/page-run', access_token='token-123')
    request.params.header = headers or {}
    return request


def test_a_page_run_pages_stores_its_run_record_and_answers_the_machine_response(host_for):
    storage = FakeStorage()

    def answer(method, path, body):
        if path.startswith('/alerts/combined/alerts/v1'):
            return 200, {'Content-Type': 'application/json'}, alerts_page(3, 3)
        if path.startswith(STORAGE):
            return storage.answer(method, path, body)
        return 404, {}, '{}'

    fake = host_for(answer)
    response = main.invoke(page_run_request({'stream': 'alerts'}, {'X-Cs-Executionid': ['exec-9']}))
    assert response.code == 200, response.errors
    assert response.body['item_count'] == 3
    assert response.body['verdict'] == 'complete'
    assert response.body['run_recorded'] == 'true'
    api = [r for r in fake.requests if r['path'].startswith('/alerts/')]
    assert api and all(r['headers']['Authorization'] == 'Bearer token-123' for r in api)
    runs = [r for r in fake.requests if r['method'] == 'PUT' and '/pagination_runs/' in r['path']]
    assert len(runs) == 1 and runs[0]['headers']['X-CS-APP-ID'] == 'app-test'
    assert json.loads(runs[0]['body'])['execution_id'] == 'exec-9'
    # The install's signing key was made on first use from os.urandom: 256 bits, stored, never answered.
    key = json.loads(storage.objects['pagination_keys/objects/checkpoint-signing'])['current']['key']
    assert len(key) == 64 and key not in json.dumps(response.body)


def test_bad_input_is_a_400_naming_the_field_and_nothing_is_sent(host_for):
    fake = host_for(lambda *_: (500, {}, ''))
    response = main.invoke(page_run_request({'stream': 'incidents'}))
    assert response.code == 400
    assert response.body == {'error_code': 'INPUT_INVALID', 'field': 'stream'}
    assert '(field: stream)' in response.errors[0].message
    assert fake.requests == []


def test_a_401_ends_the_run_classified_because_the_token_cannot_be_refreshed(host_for):
    storage = FakeStorage()

    def answer(method, path, body):
        if path.startswith('/alerts/'):
            return 401, {'Content-Type': 'application/json'}, json.dumps(dict(ENVELOPE_META, errors=[{'code': 401, 'message': 'access denied, invalid bearer token'}], resources=[]))
        return storage.answer(method, path, body)

    host_for(answer)
    response = main.invoke(page_run_request({'stream': 'alerts'}))
    assert response.code == 200
    assert response.body['error_code'] == 'AUTH_FAILED'
    assert response.body['verdict'] == 'failed:AUTH_FAILED'
    assert response.body['resume_safe'] == 'true' and response.body['checkpoint'].startswith('pg2.')
    assert 'cannot be refreshed' in response.body['error_message']


def test_a_path_that_would_leave_the_api_origin_never_carries_the_token():
    listener = socket.socket()
    listener.bind(('127.0.0.1', 0))
    listener.listen(1)
    listener.settimeout(0.2)
    io = HostIo({})
    port = listener.getsockname()[1]
    for path in ['.evil.example/x', f'@127.0.0.1:{port}/x', f'//127.0.0.1:{port}/x']:
        event, body = io.http({'request': {'method': 'GET', 'path': path, 'headers': {}, 'body': None}, 'timeoutMs': 1000}, 'http://127.0.0.1:9', 'secret-token')
        assert event['kind'] == 'http-error' and 'leave the Falcon API origin' in event['message'] and body is None
    with pytest.raises(socket.timeout):
        listener.accept()
    listener.close()


def test_a_reset_and_a_timeout_are_told_apart():
    listener = socket.socket()
    listener.bind(('127.0.0.1', 0))
    listener.listen(4)
    base = f'http://127.0.0.1:{listener.getsockname()[1]}'
    done = threading.Event()

    def reset_then_hold():
        conn, _ = listener.accept()
        conn.recv(65536)
        conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b'\x01\x00\x00\x00\x00\x00\x00\x00')
        conn.close()
        held, _ = listener.accept()
        held.recv(65536)
        done.wait()
        held.close()

    threading.Thread(target=reset_then_hold, daemon=True).start()
    io = HostIo({})
    command = {'request': {'method': 'GET', 'path': '/x', 'headers': {}, 'body': None}, 'timeoutMs': 150}
    assert io.http(command, base, 't')[0]['code'] == 'reset'
    assert io.http(command, base, 't')[0]['code'] == 'timeout'
    done.set()
    listener.close()


def test_a_body_dripped_slower_than_the_timeout_ends_at_the_timeout():
    listener = socket.socket()
    listener.bind(('127.0.0.1', 0))
    listener.listen(1)
    done = threading.Event()

    def drip():
        conn, _ = listener.accept()
        conn.recv(65536)
        conn.sendall(b'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{')
        # One byte every 50 ms: no single read waits long, the whole body would take minutes.
        while not done.wait(0.05):
            try:
                conn.sendall(b' ')
            except OSError:
                break
        conn.close()

    threading.Thread(target=drip, daemon=True).start()
    command = {'request': {'method': 'GET', 'path': '/x', 'headers': {}, 'body': None}, 'timeoutMs': 300}
    event, body = HostIo({}).http(command, f'http://127.0.0.1:{listener.getsockname()[1]}', 't')
    done.set()
    listener.close()
    assert event['kind'] == 'http-error' and event['code'] == 'timeout' and body is None


def test_the_sandbox_clock_is_read_and_slept_on_over_http(host_for):
    now = {'ms': 1_000.0}

    def answer(method, path, body):
        if path == '/_sandbox/clock/sleep':
            now['ms'] += json.loads(body)['ms']
        return 200, {'Content-Type': 'application/json'}, json.dumps({'nowMs': now['ms']})

    host_for(answer, PG_SANDBOX_CLOCK='1')
    assert main.IO.now_ms() == 1_000.0
    main.IO.sleep(45_000)
    assert main.IO.now_ms() == 46_000.0


def test_the_embedded_engine_turns_a_runaway_script_into_a_failure_instead_of_a_hang():
    engine = EmbeddedEngine(call_time_limit_s=0.2)
    loop = engine._context.eval('() => { for (;;) {} }')
    with pytest.raises(EngineFailure):
        engine._call(loop)


def test_an_engine_failure_answers_500_with_a_stable_code(host_for, monkeypatch):
    host_for(lambda *_: (200, {}, '{}'))

    def explode(_invocation):
        raise EngineFailure('InternalError: out of memory')

    monkeypatch.setattr(main.ENGINE, 'start', explode)
    response = main.invoke(page_run_request({'stream': 'alerts'}))
    assert response.code == 500
    assert response.body == {'error_code': 'EMBEDDED_ENGINE_FAILED', 'field': 'host'}


@pytest.fixture
def runner():
    """The FDK's own HTTP runner, patched by fdk_fixes, on a loopback port."""
    fdk_fixes.apply(fallback=main.invoke)
    HTTPRequestHandler.bind_router(main.func._router)
    HTTPRequestHandler.bind_logger(getLogger('fdk-test'))
    server = HTTPServer(('127.0.0.1', 0), HTTPRequestHandler)
    threading.Thread(target=server.serve_forever, kwargs={'poll_interval': 0.01}, daemon=True).start()
    yield f'http://127.0.0.1:{server.server_address[1]}/'
    server.shutdown()
    server.server_close()


def post(url, payload: bytes):
    request = urllib.request.Request(url, data=payload, headers={'Content-Type': 'application/json'}, method='POST')
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status, dict(answer.headers), json.loads(answer.read())
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), json.loads(error.read())


@pytest.mark.parametrize('payload, problem', [(b'{"method": "POST", "url": ', 'not valid JSON'), (b'[1, 2]', 'not a JSON object'), (b'{"url": "/page-run", "params": []}', 'not a JSON object')])
def test_a_malformed_envelope_gets_a_400_instead_of_a_dropped_connection(runner, payload, problem):
    status, _, body = post(runner, payload)
    assert status == 400
    assert body['body']['error_code'] == 'ENVELOPE_INVALID'
    assert 'envelope' in body['errors'][0]['message']


def test_an_unknown_path_is_named_with_the_handlers_the_function_serves(runner):
    status, _, body = post(runner, json.dumps({'method': 'POST', 'url': '/page-runs', 'body': {}}).encode())
    assert status == 404
    assert body['body']['error_code'] == 'HANDLER_NOT_FOUND'
    assert 'POST /page-run, POST /checkpoints, POST /enrich' in body['errors'][0]['message']


def test_the_execution_id_header_is_echoed_instead_of_crashing_the_response(runner, host_for):
    host_for(lambda *_: (500, {}, ''))
    envelope = {'method': 'POST', 'url': '/page-run', 'body': {'stream': 'nope'}, 'params': {'header': {'x-cs-executionid': ['exec-42'], 'X-Cs-Traceid': ['t-1']}}}
    status, headers, body = post(runner, json.dumps(envelope).encode())
    assert status == 400
    assert headers['X-Cs-Executionid'] == 'exec-42' and headers['X-Cs-Traceid'] == 't-1'
    assert body['body']['field'] == 'stream'


def test_a_body_over_124_kb_is_refused_with_413_before_anything_is_sent(runner, host_for):
    fake = host_for(lambda *_: (500, {}, ''))
    envelope = {'method': 'POST', 'url': '/page-run', 'body': {'stream': 'alerts', 'filter': 'x' * (125 * 1024)}}
    status, _, body = post(runner, json.dumps(envelope).encode())
    assert status == 413
    assert body['body']['error_code'] == 'REQUEST_TOO_LARGE'
    assert fake.requests == []
