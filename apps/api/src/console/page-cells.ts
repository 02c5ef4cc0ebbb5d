import type { Request } from 'express';

/** A GOV.UK table cell: text is escaped by the macro; html is for links and forms built here, escaped by `esc`. */
export type Cell = { text: string } | { html: string };

export const text = (value: unknown): Cell => ({
  text: value === null || value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value),
});

export const esc = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** A query-string parameter, trimmed; '' when absent or repeated. */
export const q = (req: Request, name: string) =>
  typeof req.query[name] === 'string' ? (req.query[name] as string).trim() : '';

/** Ids that may appear in a console path (agency slugs, client ids, kids): anything else is a 404. */
export const SAFE = /^[A-Za-z0-9._:/-]{1,200}$/;

/** A form field as Express parsed it: one value, several, or none. */
export type FormValue = string | string[] | undefined;
export const many = (value: FormValue): string[] => ([] as string[]).concat(value ?? []);
