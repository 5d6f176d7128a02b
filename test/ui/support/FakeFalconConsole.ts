import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { runRecordKey, RUNS_COLLECTION, type RunRecord } from '../../../functions/storage/RunRecord.ts';
import { CollectionStore } from '../../../sandbox/customStorage/CollectionStore.ts';
import type { ReplyContext } from '../../../sandbox/replies.ts';
import { REPO_ROOT } from '../../../scripts/buildUi.ts';

export type Surface = 'extension' | 'page';

const SURFACE_DIST: Readonly<Record<Surface, string>> = {
  extension: 'ui/extensions/pagination-health/src/dist',
  page: 'ui/pages/pagination-runs/src/dist',
};

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  'index.html': 'text/html; charset=utf-8',
  'app.js': 'text/javascript; charset=utf-8',
  'app.css': 'text/css; charset=utf-8',
};

/** What the console answers to foundry-js's `connect`, plus how this console misbehaves, if at all. */
export interface Scenario {
  surface: Surface;
  data: Record<string, unknown>;
  /** Answer every collection search with a 403 envelope. */
  refuseSearch?: boolean;
}

export interface LoggedMessage {
  scenario: string;
  type: string;
  payload: unknown;
}

/**
 * A stand-in for the Falcon console, on a loopback HTTP server:
 * - `http://127.0.0.1:<port>/console/<scenario>` is the console page. It hosts the built UI in a sandboxed,
 *   cross-origin iframe (`http://localhost:<port>/...`), sizes it from foundry-js `resize` messages, and
 *   answers foundry-js's postMessage protocol (`{message: {type, payload}, meta: {messageId}}`, answered
 *   with the same meta) by asking this server at `/bridge`.
 * - Collection messages become Falcon custom storage REST calls on the sandbox's CollectionStore, where
 *   the run records were PUT, and the console hands the REST answer back as the payload: the search
 *   envelope for `search`, the stored object for `read`.
 * - The built UI is served with a strict Content-Security-Policy, so a CSP violation shows up in the test.
 */
export class FakeFalconConsole {
  readonly messages: LoggedMessage[] = [];
  readonly #server: Server;
  readonly #store = new CollectionStore();
  readonly #scenarios = new Map<string, Scenario>();
  #port = 0;

  private constructor() {
    this.#server = createServer((request, response) => {
      this.#route(request, response).catch((error: unknown) => {
        response.writeHead(500, { 'content-type': 'text/plain' });
        response.end(error instanceof Error ? error.stack : String(error));
      });
    });
  }

  static async start(): Promise<FakeFalconConsole> {
    const fake = new FakeFalconConsole();
    await new Promise<void>((resolve) => fake.#server.listen(0, '127.0.0.1', resolve));
    fake.#port = (fake.#server.address() as AddressInfo).port;
    return fake;
  }

  get consoleOrigin(): string {
    return `http://127.0.0.1:${this.#port}`;
  }

  /** The UI's origin: another host name, so the iframe is cross-origin as in the real console. */
  get uiOrigin(): string {
    return `http://localhost:${this.#port}`;
  }

  /** The CSP the UI is served with: only its own files, no inline code or style, no network. */
  get uiContentSecurityPolicy(): string {
    return [
      "default-src 'none'",
      "script-src 'self'",
      "style-src 'self'",
      "img-src 'self'",
      "connect-src 'none'",
      "form-action 'none'",
      "base-uri 'none'",
      "object-src 'none'",
      `frame-ancestors ${this.consoleOrigin}`,
    ].join('; ');
  }

  /** Stores objects as the page-run function would: PUT to custom storage under the run's key. */
  put(records: ReadonlyArray<RunRecord | { key: string; object: unknown }>): void {
    for (const entry of records) {
      const [key, object] = 'key' in entry ? [entry.key, entry.object] : [runRecordKey(entry), entry];
      const answer = this.#storage('PUT', `/objects/${encodeURIComponent(key)}`, new URLSearchParams(), JSON.stringify(object));
      if (answer.status !== 200) throw new Error(`PUT ${key} answered ${answer.status}: ${answer.body}`);
    }
  }

  /** Registers a console session and returns the console page URL that opens it. */
  open(scenario: Scenario): { id: string; url: string } {
    const id = randomUUID();
    this.#scenarios.set(id, scenario);
    return { id, url: `${this.consoleOrigin}/console/${id}` };
  }

  messagesOf(scenario: string, type?: string): LoggedMessage[] {
    return this.messages.filter((m) => m.scenario === scenario && (type === undefined || m.type === type));
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  async #route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', this.consoleOrigin);
    const host = request.headers.host ?? '';
    if (request.method === 'GET' && url.pathname.startsWith('/console/') && host.startsWith('127.0.0.1')) {
      const scenario = this.#scenarios.get(url.pathname.slice('/console/'.length));
      if (!scenario) return void respond(response, 404, 'text/plain', 'unknown scenario');
      return void respond(response, 200, 'text/html; charset=utf-8', consolePage(url.pathname.slice('/console/'.length), scenario, this.uiOrigin));
    }
    if (url.pathname === '/favicon.ico') return void respond(response, 204, 'image/x-icon', '');
    if (request.method === 'POST' && url.pathname === '/bridge') {
      const body = JSON.parse(await readBody(request)) as { scenario: string; message: { type: string; payload?: unknown } };
      return void respond(response, 200, 'application/json', JSON.stringify(this.#answer(body.scenario, body.message)));
    }
    if (request.method === 'GET' && host.startsWith('localhost')) {
      for (const [surface, dist] of Object.entries(SURFACE_DIST)) {
        const prefix = `/${dist}/`;
        const file = url.pathname.startsWith(prefix) ? url.pathname.slice(prefix.length) : '';
        const type = CONTENT_TYPES[file];
        if (type !== undefined) {
          const content = await readFile(join(REPO_ROOT, dist, file));
          response.writeHead(200, { 'content-type': type, 'content-security-policy': this.uiContentSecurityPolicy, 'x-surface': surface });
          return void response.end(content);
        }
      }
    }
    respond(response, 404, 'text/plain', 'not found');
  }

  /** What the console posts back to the iframe for one foundry-js message; `reply: false` for one-way messages. */
  #answer(scenarioId: string, message: { type: string; payload?: unknown }): { reply: boolean; payload?: unknown } {
    const scenario = this.#scenarios.get(scenarioId);
    this.messages.push({ scenario: scenarioId, type: message.type, payload: message.payload });
    if (!scenario) return { reply: false };
    switch (message.type) {
      case 'connect':
        return { reply: true, payload: { origin: this.consoleOrigin, data: scenario.data } };
      case 'collection':
        return { reply: true, payload: this.#collection(scenario, message.payload as Record<string, unknown>) };
      default:
        // resize and broadcast are one-way; nothing else is used by the UI.
        return { reply: false };
    }
  }

  #collection(scenario: Scenario, payload: Record<string, unknown>): unknown {
    if (payload['collection'] !== RUNS_COLLECTION) return errorEnvelope(404, `collection ${String(payload['collection'])} not found`);
    switch (payload['type']) {
      case 'search': {
        if (scenario.refuseSearch) return errorEnvelope(403, 'access denied, authorization failed');
        const params = new URLSearchParams();
        for (const name of ['filter', 'offset', 'sort', 'limit']) {
          const value = payload[name];
          if (value !== undefined && value !== null) params.set(name, String(value));
        }
        return JSON.parse(this.#storage('POST', '/objects', params).body) as unknown;
      }
      case 'read': {
        const answer = this.#storage('GET', `/objects/${encodeURIComponent(String(payload['key']))}`, new URLSearchParams());
        return JSON.parse(answer.body) as unknown;
      }
      default:
        return errorEnvelope(400, `collection operation ${String(payload['type'])} is not served by this fake console`);
    }
  }

  #storage(method: string, path: string, params: URLSearchParams, body?: string): { status: number; body: string } {
    const query = params.toString();
    const url = `http://sandbox.falcon.test/customobjects/v1/collections/${RUNS_COLLECTION}${path}${query ? `?${query}` : ''}`;
    const context: ReplyContext = { nowMs: Date.now(), traceId: randomUUID(), region: 'us-1', rateLimit: null };
    const headers = { 'X-CS-APP-ID': 'pagination-guard' };
    const answer = this.#store.handle(
      { method, url, headers, ...(body !== undefined ? { body } : {}) },
      new URL(url),
      new Map(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v])),
      context,
    );
    if (answer.kind !== 'http') throw new Error(`custom storage answered ${answer.kind}`);
    return { status: answer.status, body: answer.body };
  }
}

function errorEnvelope(code: number, message: string): unknown {
  return { meta: { powered_by: 'fake-console' }, resources: [], errors: [{ code, message }] };
}

function respond(response: ServerResponse, status: number, contentType: string, body: string): void {
  response.writeHead(status, { 'content-type': contentType });
  response.end(body);
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** The console page: its own chrome in the scenario's theme, and the UI in a sandboxed cross-origin iframe. */
function consolePage(scenarioId: string, scenario: Scenario, uiOrigin: string): string {
  const src = `${uiOrigin}/${SURFACE_DIST[scenario.surface]}/index.html`;
  const dark = scenario.data['theme'] === 'theme-dark';
  const title = scenario.surface === 'extension' ? 'Workflow execution details' : 'Pagination Guard';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Fake Falcon console: ${title}</title>
<style>
  body { margin: 0; font: 14px system-ui, sans-serif; background: ${dark ? '#0f1114' : '#eef1f4'}; color: ${dark ? '#e7eaee' : '#1d2229'}; }
  .bar { padding: 10px 16px; background: #1f2d3d; color: #fff; font-weight: 600; }
  .slot { margin: 16px; width: 1180px; border-radius: 6px; overflow: hidden; box-shadow: 0 1px 3px rgba(0,0,0,.3); }
  #surface { display: block; width: 100%; height: 200px; border: 0; }
</style></head>
<body>
<div class="bar">Falcon · ${title}</div>
<div class="slot" id="slot"><iframe id="surface" title="${scenario.surface === 'extension' ? 'Pagination health' : 'Pagination runs'}" sandbox="allow-scripts" src="${src}"></iframe></div>
<script>
  const scenario = ${JSON.stringify(scenarioId)};
  const frame = document.getElementById('surface');
  window.addEventListener('message', async (event) => {
    if (event.source !== frame.contentWindow) return;
    const envelope = event.data;
    if (!envelope || typeof envelope !== 'object' || !envelope.meta || !envelope.message) return;
    if (envelope.message.type === 'resize') frame.style.height = Math.ceil(envelope.message.payload.height) + 'px';
    const response = await fetch('/bridge', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ scenario, message: envelope.message }) });
    const answer = await response.json();
    if (answer.reply) frame.contentWindow.postMessage({ message: { type: envelope.message.type, payload: answer.payload }, meta: envelope.meta }, '*');
  });
  // What the console does when the user switches theme or the socket context changes.
  window.pushData = (data) => frame.contentWindow.postMessage({ message: { type: 'data', payload: data }, meta: { messageId: crypto.randomUUID() } }, '*');
</script>
</body></html>`;
}
