"""Measures the Python host's embedded engine on one page: what `bench/host/hostBench.ts` compares with Node.

Reads {"input": RunInput, "event": http-response event without its body, "bodyFile": path, "runs": N} from
stdin, loads the page-run function as Foundry would (FDK, QuickJS, the bundle), and prints JSON timings.
"""
import json
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / 'functions' / 'page-run'))

started = time.perf_counter()
import main  # noqa: E402 - the function module, exactly as the FDK runner imports it

load_ms = (time.perf_counter() - started) * 1000
spec = json.load(sys.stdin)
body = Path(spec['bodyFile']).read_text(encoding='utf-8')
context = main.ENGINE._context
# The same steps as the Node side: start a run, get its first request, then time the step that reads the page.
page_step = context.eval("""(input, eventJson, body) => {
  const event = JSON.parse(eventJson);
  const first = PaginationGuard.step(null, { kind: 'start', nowMs: event.nowMs - 500, input: JSON.parse(input) });
  const page = { ...event, body };
  const t0 = Date.now();
  const out = PaginationGuard.step(first.state, page);
  return JSON.stringify({ ms: Date.now() - t0, command: out.command.kind, items: out.command.kind === 'emit' ? out.command.items.length : 0 });
}""")
parse_only = context.eval('(body) => { const t0 = Date.now(); JSON.parse(body); return Date.now() - t0; }')

step_ms, call_ms, parse_ms, items = [], [], [], 0
for _ in range(spec['runs']):
    t0 = time.perf_counter()
    answer = json.loads(page_step(json.dumps(spec['input']), json.dumps(spec['event']), body))
    call_ms.append((time.perf_counter() - t0) * 1000)
    step_ms.append(answer['ms'])
    items = answer['items']
    parse_ms.append(parse_only(body))
    context.gc()


def median(values):
    ordered = sorted(values)
    return ordered[len(ordered) // 2]


print(json.dumps({
    'loadMs': load_ms,
    'stepMs': median(step_ms),
    'callMs': median(call_ms),
    'jsonParseMs': median(parse_ms),
    'items': items,
    'peakRssMb': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
}))
