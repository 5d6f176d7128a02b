/** A form field of a multipart/form-data body; `file` parts carry a file name and a content type. */
export type FormPart =
  | { kind: 'field'; name: string; value: string }
  | { kind: 'file'; name: string; filename: string; contentType: string; content: string };

/**
 * A multipart/form-data body (RFC 7578) as a string, for hosts that send bodies as text: the parts here
 * are JSON and ASCII field values, so nothing binary needs escaping. The boundary is derived from `seed`
 * and lengthened until no part contains it, which keeps the body deterministic for replays.
 */
export function multipartBody(parts: readonly FormPart[], seed: string): { contentType: string; body: string } {
  let boundary = `pg-${seed}`;
  while (parts.some((part) => (part.kind === 'file' ? part.content : part.value).includes(boundary))) boundary += '-x';
  const chunks: string[] = [];
  for (const part of parts) {
    chunks.push(`--${boundary}\r\n`);
    if (part.kind === 'file') {
      chunks.push(`Content-Disposition: form-data; name="${part.name}"; filename="${part.filename}"\r\nContent-Type: ${part.contentType}\r\n\r\n${part.content}\r\n`);
    } else {
      chunks.push(`Content-Disposition: form-data; name="${part.name}"\r\n\r\n${part.value}\r\n`);
    }
  }
  chunks.push(`--${boundary}--\r\n`);
  return { contentType: `multipart/form-data; boundary=${boundary}`, body: chunks.join('') };
}
