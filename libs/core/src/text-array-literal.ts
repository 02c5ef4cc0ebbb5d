/**
 * A PostgreSQL text array literal, each value quoted (so commas, braces and spaces are kept) with its
 * quotes and backslashes escaped: for COPY, where values arrive as text.
 */
export function textArrayLiteral(values: readonly string[]): string {
  return `{${values.map((v) => `"${v.replace(/[\\"]/g, '\\$&')}"`).join(',')}}`;
}

/**
 * A field of COPY's text format: only backslash, tab and line breaks need escaping, and JSON text has
 * no raw tab or line break, so most fields go through untouched (no copy of a million strings).
 */
export const copyTextField = (v: string): string =>
  /[\\\t\n\r]/.test(v)
    ? v.replace(/[\\\t\n\r]/g, (c) => ({ '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' })[c]!)
    : v;

/**
 * JSON text as a field of COPY's text format: JSON holds no raw tab or line break, so only a backslash
 * (from an escape in the JSON) needs escaping, and most JSON has none (checked without a regex: a batch
 * writes a million).
 */
export const copyJsonField = (json: string): string => (json.includes('\\') ? json.replace(/\\/g, '\\\\') : json);

/** One row of COPY's text format (without its line end): each field escaped, tab-separated. */
export const copyTextFields = (fields: readonly string[]): string => fields.map(copyTextField).join('\t');
