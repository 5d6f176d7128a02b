/**
 * The JSON body fields a FalconPy `body` parameter documents. FalconPy models a JSON body as one opaque
 * parameter; some descriptions list the fields as paragraphs that open with the field name and two
 * spaces ("after  The after token is used for pagination..."). Returns field → its paragraph, or null
 * when the description documents no field that way (the body's fields then cannot be checked).
 */
export function bodyFields(description: string | null): Map<string, string> | null {
  const fields = new Map<string, string>();
  let current: string | null = null;
  for (const line of (description ?? '').split('\n')) {
    const opening = /^([A-Za-z_][\w.]*) {2,}(\S.*)$/.exec(line);
    if (opening !== null) {
      current = opening[1] as string;
      fields.set(current, opening[2] as string);
    } else if (current !== null) {
      fields.set(current, `${fields.get(current) ?? ''}\n${line}`);
    }
  }
  return fields.size === 0 ? null : fields;
}
