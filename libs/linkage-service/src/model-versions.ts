import type { EntityManager } from 'typeorm';
import { BrokerError } from '@joinedup/core';
import { type TrainedModel, validateModelConfig } from '@joinedup/linkage';

type Queryable = Pick<EntityManager, 'query'>;

export interface ModelVersionSummary {
  version: string;
  status: 'proposed' | 'published' | 'retired';
  basedOn: string | null;
  reason: string;
  thresholds: TrainedModel['thresholds'];
  proposedBy: string;
  previewRunId: string | null;
  publishRunId: string | null;
  publishedBy: string | null;
  createdAt: string;
  publishedAt: string | null;
}

interface VersionRow {
  version: string;
  status: ModelVersionSummary['status'];
  based_on: string | null;
  reason: string;
  model: TrainedModel;
  proposed_by: string;
  preview_run_id: string | null;
  publish_run_id: string | null;
  published_by: string | null;
  created_at: Date;
  published_at: Date | null;
}

const summaryOf = (r: VersionRow): ModelVersionSummary => ({
  version: r.version,
  status: r.status,
  basedOn: r.based_on,
  reason: r.reason,
  thresholds: r.model.thresholds,
  proposedBy: r.proposed_by,
  previewRunId: r.preview_run_id,
  publishRunId: r.publish_run_id,
  publishedBy: r.published_by,
  createdAt: r.created_at.toISOString(),
  publishedAt: r.published_at?.toISOString() ?? null,
});

/**
 * The linkage model's versions (linkage_model_version). The published one is what incremental and batch
 * linkage score with; with none published, the file model the service was built with applies. A new
 * version is proposed with other thresholds, measured by a dry-run re-link, and published by a re-link
 * that applies it (see RelinkRuns).
 */
export class ModelVersions {
  constructor(private readonly fileModel: TrainedModel) {}

  get fileVersion(): string {
    return this.fileModel.version;
  }

  /** The published version's name, or null when the file model applies. One indexed row. */
  async publishedVersion(db: Queryable): Promise<string | null> {
    const rows = await db.query<{ version: string }[]>(
      `SELECT version FROM linkage_model_version WHERE status = 'published'`,
    );
    return rows[0]?.version ?? null;
  }

  /** The model of a version; the file model's own version needs no row. */
  async model(db: Queryable, version: string | null): Promise<TrainedModel> {
    if (version === null || version === this.fileModel.version) return this.fileModel;
    const rows = await db.query<{ model: TrainedModel }[]>(
      `SELECT model FROM linkage_model_version WHERE version = $1`,
      [version],
    );
    if (!rows[0]) throw new BrokerError('NOT_FOUND', `no linkage model version ${version}`);
    return rows[0].model;
  }

  async published(db: Queryable): Promise<TrainedModel> {
    return this.model(db, await this.publishedVersion(db));
  }

  /** A new version from the published one with other thresholds; proposing the same thresholds again returns it. */
  async propose(
    db: Queryable,
    input: { link?: number; review?: number; reason: string; by: string },
  ): Promise<{ version: ModelVersionSummary; created: boolean }> {
    const base = await this.published(db);
    const thresholds = { link: input.link ?? base.thresholds.link, review: input.review ?? base.thresholds.review };
    if (!(thresholds.review > 0 && thresholds.review <= thresholds.link && thresholds.link < 1))
      throw new BrokerError('VALIDATION_FAILED', 'thresholds must satisfy 0 < review <= link < 1', {
        problems: [`link ${thresholds.link}, review ${thresholds.review}`],
      });
    const root = base.version.split('+')[0]!;
    const model: TrainedModel = {
      ...base,
      version: `${root}+link${thresholds.link}-review${thresholds.review}`,
      thresholds,
    };
    const checked = validateModelConfig(model);
    if (!checked.ok)
      throw new BrokerError('VALIDATION_FAILED', 'the model is not valid', { problems: checked.problems });
    const existing = await this.find(db, model.version);
    if (existing) return { version: existing, created: false };
    await db.query(
      `INSERT INTO linkage_model_version (version, model, status, based_on, reason, proposed_by)
       VALUES ($1, $2, 'proposed', $3, $4, $5)`,
      [model.version, JSON.stringify(model), base.version, input.reason, input.by],
    );
    return { version: (await this.find(db, model.version))!, created: true };
  }

  async find(db: Queryable, version: string): Promise<ModelVersionSummary | null> {
    const rows = await db.query<VersionRow[]>(`SELECT * FROM linkage_model_version WHERE version = $1`, [version]);
    return rows[0] ? summaryOf(rows[0]) : null;
  }

  async list(db: Queryable): Promise<ModelVersionSummary[]> {
    const rows = await db.query<VersionRow[]>(`SELECT * FROM linkage_model_version ORDER BY created_at DESC`);
    return rows.map(summaryOf);
  }

  async setPreviewRun(db: Queryable, version: string, runId: string): Promise<void> {
    await db.query(`UPDATE linkage_model_version SET preview_run_id = $2 WHERE version = $1`, [version, runId]);
  }

  /** In the applying re-link's transaction: this version becomes the published one, the previous is retired. */
  async markPublished(m: EntityManager, version: string, runId: string, by: string): Promise<void> {
    if (version === this.fileModel.version && !(await this.find(m, version))) {
      // Going back to the file model: no row to publish, the previous one is simply retired.
      await m.query(`UPDATE linkage_model_version SET status = 'retired' WHERE status = 'published'`);
      return;
    }
    await m.query(`UPDATE linkage_model_version SET status = 'retired' WHERE status = 'published' AND version <> $1`, [
      version,
    ]);
    await m.query(
      `UPDATE linkage_model_version SET status = 'published', publish_run_id = $2, published_by = $3, published_at = now()
       WHERE version = $1`,
      [version, runId, by],
    );
  }
}
