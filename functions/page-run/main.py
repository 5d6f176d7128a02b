"""Pagination Guard's page-run Foundry function: a thin Python host around the TypeScript engine bundle.

Every decision (validation, paging, retries, checkpoints, what to store, what to answer) is taken by the
bundle's function machine running in QuickJS; this file only performs the I/O it asks for.
"""
import secrets

from crowdstrike.foundry.function import APIError, Function, Request, Response

import fdk_fixes
from embedded_engine import EmbeddedEngine, EngineFailure
from host_io import HostIo

func = Function.instance()
ENGINE = EmbeddedEngine()
IO = HostIo()


def invoke(request: Request) -> Response:
    """Drives one invocation of the function machine; always answers a Response, never raises."""
    invocation_id = None
    try:
        answer = ENGINE.start({
            'nowMs': IO.now_ms(),
            'envelope': {
                'method': request.method,
                'url': request.url,
                'body': request.body,
                'params': {'header': request.params.header, 'query': request.params.query},
            },
            'host': {'cloud': IO.cloud, 'apiBaseUrl': IO.api_base_override, 'appId': IO.app_id,
                     'entropy': secrets.token_hex(32)},
        })
        invocation_id = answer['id']
        while answer['step']['kind'] == 'io':
            event, body = perform(answer['step']['command'], answer['apiBaseUrl'], request.access_token)
            answer = ENGINE.resume(invocation_id, event, body)
        invocation_id = None
        response = answer['step']['response']
        return Response(code=response['code'], body=response['body'],
                        errors=[APIError(code=e['code'], message=e['message']) for e in response['errors']])
    except EngineFailure as failure:
        return failed('EMBEDDED_ENGINE_FAILED', f'The embedded JavaScript engine failed: {failure}')
    except Exception as error:  # noqa: BLE001 - the FDK drops the connection on an exception; answer instead
        return failed('HOST_FAILED', f'The function host failed: {type(error).__name__}: {str(error)[:200]}')
    finally:
        if invocation_id is not None:
            ENGINE.abandon(invocation_id)


def perform(command: dict, api_base_url: str, token: str) -> 'tuple[dict, str | None]':
    kind = command['kind']
    if kind == 'http':
        return IO.http(command, api_base_url, token)
    if kind == 'sleep':
        IO.sleep(command['ms'])
        return {'kind': 'slept', 'nowMs': IO.now_ms()}, None
    if kind == 'authenticate':
        # Foundry hands the function one token per invocation; there are no credentials to get another.
        return {'kind': 'authenticated', 'nowMs': IO.now_ms(), 'ok': False, 'retryable': False,
                'message': 'the access token of a Foundry function invocation cannot be refreshed'}, None
    raise ValueError(f'unknown command kind {kind!r}')


def failed(error_code: str, message: str) -> Response:
    return Response(code=500, body={'error_code': error_code, 'field': 'host'},
                    errors=[APIError(code=500, message=f'{message} (field: host)')])


@func.handler(method='POST', path='/page-run')
def page_run(request: Request, _config, _logger) -> Response:
    return invoke(request)


@func.handler(method='POST', path='/checkpoints')
def checkpoints(request: Request, _config, _logger) -> Response:
    return invoke(request)


@func.handler(method='POST', path='/enrich')
def enrich(request: Request, _config, _logger) -> Response:
    return invoke(request)


if __name__ == '__main__':
    fdk_fixes.apply(fallback=invoke)
    func.run()
