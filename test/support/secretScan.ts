import { base64UrlDecode, utf8Decode } from '../../functions/engine/encoding.ts';

/** The decoded JSON inside a `pg2.<key id>.<payload>.<mac>` checkpoint, so a scan sees what it really carries. */
export function checkpointPayload(checkpoint: string): string {
  const payload = checkpoint.split('.')[2] ?? '';
  const bytes = base64UrlDecode(payload);
  return (bytes && utf8Decode(bytes)) ?? '';
}

/** Which of the secrets occur in any of the texts. */
export function leakedSecrets(texts: Iterable<string>, secrets: readonly string[]): string[] {
  const found = new Set<string>();
  for (const text of texts) for (const secret of secrets) if (secret && text.includes(secret)) found.add(secret);
  return [...found];
}
