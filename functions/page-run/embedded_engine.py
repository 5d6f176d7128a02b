"""The TypeScript engine bundle in QuickJS: JSON strings in, JSON strings out, nothing decided here."""
import json
from pathlib import Path

import quickjs

BUNDLE = Path(__file__).with_name('pagination_guard.js')


class EngineFailure(Exception):
    """QuickJS itself failed (out of memory, stack, time): the invocation answers 500 instead of hanging."""


class EmbeddedEngine:
    """One QuickJS context per process, loaded once and reused by every invocation of a warm function."""

    def __init__(self, bundle: Path = BUNDLE, memory_limit_mb: int = 160, call_time_limit_s: float = 20.0):
        self._context = quickjs.Context()
        # Deeply nested JSON (records inside envelopes inside events) needs more than the 1 MiB default.
        self._context.set_max_stack_size(4 * 1024 * 1024)
        self._context.set_memory_limit(memory_limit_mb * 1024 * 1024)
        self._context.set_time_limit(call_time_limit_s)
        self._context.eval(bundle.read_text(encoding='utf-8'))
        self._start = self._context.eval('(invocation) => PaginationGuard.startFunctionJson(invocation)')
        self._resume = self._context.eval('(id, event, body) => PaginationGuard.resumeFunctionJson(id, event, body)')
        self._abandon = self._context.eval('(id) => PaginationGuard.abandonFunction(id)')

    def start(self, invocation: dict) -> dict:
        return self._call(self._start, json.dumps(invocation))

    def resume(self, invocation_id: int, event: dict, body: 'str | None') -> dict:
        return self._call(self._resume, invocation_id, json.dumps(event), body)

    def abandon(self, invocation_id: int) -> None:
        try:
            self._abandon(invocation_id)
        except quickjs.JSException:
            pass

    def _call(self, function, *args) -> dict:
        try:
            answer = function(*args)
        except (quickjs.JSException, quickjs.StackOverflow, MemoryError) as error:
            raise EngineFailure(str(error)[:300]) from error
        finally:
            self._context.gc()
        return json.loads(answer)
