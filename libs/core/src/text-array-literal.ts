/**
 * A PostgreSQL text array literal, each value quoted (so commas, braces and spaces are kept) with its
 * quotes and backslashes escaped: for COPY, where values arrive as text.
 */
export function textArrayLiteral(values: readonly string[]): string {
  return `{${values.map((v) => `"${v.replace(/[\\"]/g, '\\$&')}"`).join(',')}}`;
}
