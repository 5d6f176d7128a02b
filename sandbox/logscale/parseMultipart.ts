/** One part of a multipart/form-data body (RFC 7578). */
export interface FormPart {
  name: string;
  /** The `filename` of a file part, or null for a plain field. */
  filename: string | null;
  /** The part's own Content-Type, or null when it sent none (RFC 7578 §4.4: text/plain then). */
  contentType: string | null;
  value: string;
}

export type MultipartResult = { kind: 'parsed'; parts: FormPart[] } | { kind: 'malformed'; message: string };

const CRLF = '\r\n';
/** RFC 2046 §5.1.1: 1 to 70 characters. */
const MAX_BOUNDARY_CHARS = 70;

/**
 * A strict multipart/form-data parser for a body already decoded as UTF-8 text (the sandbox's bodies are
 * strings; ingest data is JSON, so nothing binary is lost). Strict where a lenient parser would hide a
 * client bug: CRLF line endings (RFC 7578 §4.1), a closing delimiter, a named Content-Disposition of
 * type form-data on every part. Lenient only where the RFCs are: a preamble and an epilogue are skipped,
 * and header fields other than Content-Disposition and Content-Type are ignored (RFC 7578 §4.8).
 */
export function parseMultipart(contentType: string | undefined, body: string): MultipartResult {
  const boundary = boundaryOf(contentType);
  if (boundary.kind === 'malformed') return boundary;
  const delimiter = `--${boundary.value}`;

  // The first delimiter opens the body or ends the preamble's last line (RFC 2046 §5.1.1).
  let pos = body.startsWith(delimiter) ? delimiter.length : indexAfter(body, CRLF + delimiter, 0);
  if (pos === -1) return malformed(`the body has no opening delimiter line "${delimiter}"`);
  const parts: FormPart[] = [];
  for (;;) {
    if (body.startsWith('--', pos)) return { kind: 'parsed', parts };
    if (pos === body.length) return malformed(`the body ends without the closing delimiter "${delimiter}--"`);
    if (!body.startsWith(CRLF, pos)) {
      return malformed(`the delimiter line before part ${parts.length + 1} does not end with CRLF (multipart line endings must be \\r\\n)`);
    }
    const start = pos + CRLF.length;
    const end = body.indexOf(CRLF + delimiter, start);
    if (end === -1) return malformed(`part ${parts.length + 1} is not ended by a delimiter line (the body must close with "${delimiter}--")`);
    const part = parsePart(body.slice(start, end), parts.length + 1);
    if (part.kind === 'malformed') return part;
    parts.push(part.part);
    pos = end + CRLF.length + delimiter.length;
  }
}

type BoundaryResult = { kind: 'found'; value: string } | { kind: 'malformed'; message: string };

function boundaryOf(contentType: string | undefined): BoundaryResult {
  if (contentType === undefined || contentType.trim() === '') return malformed('the request has no Content-Type; send multipart/form-data with a boundary');
  const [mediaType = '', ...rest] = contentType.split(';');
  if (mediaType.trim().toLowerCase() !== 'multipart/form-data') {
    return malformed(`the Content-Type is "${mediaType.trim()}", not multipart/form-data`);
  }
  const params = parseParams(`;${rest.join(';')}`);
  if (params.kind === 'malformed') return malformed(`the Content-Type parameters are malformed: ${params.message}`);
  const boundary = params.values.get('boundary');
  if (boundary === undefined) return malformed('the multipart/form-data Content-Type has no boundary parameter');
  if (boundary.length === 0 || boundary.length > MAX_BOUNDARY_CHARS) {
    return malformed(`the boundary must be 1 to ${MAX_BOUNDARY_CHARS} characters, got ${boundary.length}`);
  }
  return { kind: 'found', value: boundary };
}

type PartResult = { kind: 'part'; part: FormPart } | { kind: 'malformed'; message: string };

function parsePart(text: string, index: number): PartResult {
  // A part without header fields starts with the blank line itself.
  const blank = text.startsWith(CRLF) ? 0 : text.indexOf(CRLF + CRLF);
  if (blank === -1) return malformed(`part ${index} has no blank line (CRLF CRLF) between its headers and its content`);
  const headerBlock = blank === 0 ? '' : text.slice(0, blank);
  const value = text.slice(blank === 0 ? CRLF.length : blank + 2 * CRLF.length);

  let disposition: string | null = null;
  let contentType: string | null = null;
  for (const line of headerBlock === '' ? [] : headerBlock.split(CRLF)) {
    const colon = line.indexOf(':');
    if (colon <= 0 || /^\s/.test(line)) return malformed(`part ${index} has a malformed header line "${line}"`);
    const name = line.slice(0, colon).trim().toLowerCase();
    const fieldValue = line.slice(colon + 1).trim();
    if (name === 'content-disposition') {
      if (disposition !== null) return malformed(`part ${index} has two Content-Disposition headers`);
      disposition = fieldValue;
    } else if (name === 'content-type') {
      if (contentType !== null) return malformed(`part ${index} has two Content-Type headers`);
      contentType = fieldValue;
    }
  }
  if (disposition === null) return malformed(`part ${index} has no Content-Disposition header`);
  const [type = '', ...rest] = disposition.split(';');
  if (type.trim().toLowerCase() !== 'form-data') return malformed(`part ${index} has Content-Disposition "${type.trim()}", not form-data`);
  const params = parseParams(`;${rest.join(';')}`);
  if (params.kind === 'malformed') return malformed(`part ${index} has a malformed Content-Disposition: ${params.message}`);
  const name = params.values.get('name');
  if (name === undefined || name === '') return malformed(`part ${index} has no name in its Content-Disposition`);
  return { kind: 'part', part: { name, filename: params.values.get('filename') ?? null, contentType, value } };
}

type ParamsResult = { kind: 'params'; values: Map<string, string> } | { kind: 'malformed'; message: string };

const PARAM = /^;\s*([!#$%&'*+.^_`|~0-9A-Za-z-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;\s"]*))\s*/;

/** `; key=value; key="quoted \" value"` (RFC 9110 §5.6.6); names are case-insensitive. */
function parseParams(text: string): ParamsResult {
  const values = new Map<string, string>();
  // A trailing `;` is common and harmless.
  let rest = text.replace(/[;\s]+$/, '');
  while (rest !== '') {
    const match = PARAM.exec(rest);
    if (match === null) return malformed(`cannot read a parameter at "${rest.slice(0, 40)}"`);
    const key = (match[1] ?? '').toLowerCase();
    if (values.has(key)) return malformed(`the parameter "${key}" appears twice`);
    values.set(key, match[2] !== undefined ? match[2].replace(/\\(.)/g, '$1') : (match[3] ?? ''));
    rest = rest.slice(match[0].length);
  }
  return { kind: 'params', values };
}

function indexAfter(text: string, search: string, from: number): number {
  const at = text.indexOf(search, from);
  return at === -1 ? -1 : at + search.length;
}

function malformed(message: string): { kind: 'malformed'; message: string } {
  return { kind: 'malformed', message: `Malformed multipart/form-data: ${message}` };
}
