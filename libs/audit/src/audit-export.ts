import type { JSONWebKeySet } from 'jose';
import {
  readAuditJwks,
  readChainHead,
  readCheckpoints,
  readEvents,
  type Queryable,
  type StoredCheckpoint,
} from './audit-store.js';
import {
  checkpointAnchors,
  withCheckpoints,
  type AuditVerification,
  type AuditVerifyOptions,
} from './audit-verifier.js';
import { verifyChain, type ChainedAuditEvent, type ChainHead } from './hash-chain.js';

export const EXPORT_FORMAT = 'joinedup-audit-export/1';

/**
 * The NDJSON export, one JSON object a line, in this order so a reader can verify in one pass:
 * a header (format, head, the broker's public keys), every signed checkpoint, then every event in seq
 * order. An auditor should check the keys against the broker's published JWKS, or pass their own.
 */
export type ExportLine =
  | { kind: 'header'; format: typeof EXPORT_FORMAT; exportedAt: string; head: ChainHead | null; jwks: JSONWebKeySet }
  | ({ kind: 'checkpoint' } & StoredCheckpoint)
  | ({ kind: 'event' } & ChainedAuditEvent);

/** Lines (each ending in a newline) of an export up to the head at the time the export starts. */
export async function* exportAuditLines(
  db: Queryable,
  options: { exportedAt: Date; pageSize?: number },
): AsyncGenerator<string> {
  // Checkpoints are read before the head, so every checkpoint's seq is inside the exported range.
  const checkpoints = await readCheckpoints(db);
  const head = await readChainHead(db);
  const jwks = await readAuditJwks(db);
  const header: ExportLine = {
    kind: 'header',
    format: EXPORT_FORMAT,
    exportedAt: options.exportedAt.toISOString(),
    head,
    jwks,
  };
  yield `${JSON.stringify(header)}\n`;
  for (const checkpoint of checkpoints) yield `${JSON.stringify({ kind: 'checkpoint', ...checkpoint })}\n`;
  if (!head) return;
  for await (const event of readEvents(db, { untilSeq: head.seq, pageSize: options.pageSize })) {
    yield `${JSON.stringify({ kind: 'event', ...event })}\n`;
  }
}

const MALFORMED = { seq: Number.NaN } as ChainedAuditEvent;

function parseLine(line: string): ExportLine | null {
  try {
    const value = JSON.parse(line) as ExportLine;
    return typeof value === 'object' && value !== null && typeof value.kind === 'string' ? value : null;
  } catch {
    return null;
  }
}

function eventOf(line: ExportLine): ChainedAuditEvent {
  if (line.kind !== 'event') return MALFORMED;
  const { kind: _kind, ...event } = line;
  return event;
}

/**
 * Verifies an export offline, streaming: checkpoint signatures (with `jwks`, or the keys in the header),
 * then the chain against every checkpoint and the header's head. Lines may come from readline.
 */
export async function verifyAuditExport(
  lines: AsyncIterable<string> | Iterable<string>,
  options: Omit<AuditVerifyOptions, 'pageSize'> = {},
): Promise<AuditVerification> {
  const iterator = (async function* () {
    for await (const line of lines) if (line.trim() !== '') yield parseLine(line);
  })();
  const first = await iterator.next();
  const header = first.done ? null : first.value;
  if (header?.kind !== 'header' || header.format !== EXPORT_FORMAT) {
    const message = `not a ${EXPORT_FORMAT} file (no header line)`;
    return {
      ok: false,
      checked: 0,
      head: null,
      firstBroken: { seq: 1, reason: 'malformed', message },
      checkpoints: { verified: 0, latest: null },
    };
  }
  const checkpoints: StoredCheckpoint[] = [];
  let pending = await iterator.next();
  while (!pending.done && pending.value?.kind === 'checkpoint') {
    const { kind: _kind, ...checkpoint } = pending.value;
    checkpoints.push(checkpoint);
    pending = await iterator.next();
  }
  const { anchors, report } = await checkpointAnchors(checkpoints, options.jwks ?? header.jwks);
  // The header's head is unsigned; as an anchor it still catches a file cut short after export.
  if (header.head && !anchors.has(header.head.seq)) anchors.set(header.head.seq, header.head.hash);
  const events = (async function* () {
    while (!pending.done) {
      yield pending.value ? eventOf(pending.value) : MALFORMED;
      pending = await iterator.next();
    }
  })();
  const chain = await verifyChain(events, {
    anchors,
    onProgress: options.onProgress,
    progressEvery: options.progressEvery,
  });
  return withCheckpoints(chain, report);
}
