/** One changed field between two versions; paths look like `flows[0].categories[1]`. */
export interface FieldChange {
  path: string;
  from: unknown;
  to: unknown;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function leaves(value: Json, path: string, into: Map<string, Json>): void {
  if (Array.isArray(value)) {
    if (value.length === 0) into.set(path, []);
    value.forEach((v, i) => leaves(v, `${path}[${i}]`, into));
  } else if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value);
    if (keys.length === 0 && path) into.set(path, {});
    for (const k of keys) leaves(value[k]!, path ? `${path}.${k}` : k, into);
  } else {
    into.set(path, value);
  }
}

/**
 * Field-level differences between two versions of an agreement, compared as JSON (dates as ISO
 * strings). A field present on one side only shows `undefined` on the other. Sorted by path.
 */
export function diffVersions(from: object, to: object): FieldChange[] {
  const a = new Map<string, Json>();
  const b = new Map<string, Json>();
  leaves(JSON.parse(JSON.stringify(from)) as Json, '', a);
  leaves(JSON.parse(JSON.stringify(to)) as Json, '', b);
  const changes: FieldChange[] = [];
  for (const path of [...new Set([...a.keys(), ...b.keys()])].sort()) {
    const x = a.get(path);
    const y = b.get(path);
    if (JSON.stringify(x) !== JSON.stringify(y)) changes.push({ path, from: x, to: y });
  }
  return changes;
}
