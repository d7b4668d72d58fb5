import type { StoredBrief } from '../../core/types.ts';
import type { BriefRepo } from '../port.ts';
import { toStoredBrief, type BriefRow } from '../rows.ts';
import { pgText, type Pool } from './database.ts';

export class PgBriefRepo implements BriefRepo {
  constructor(private readonly pool: Pool) {}

  private async one(sql: string, params: unknown[]): Promise<StoredBrief | undefined> {
    const row = (await this.pool.query<BriefRow>(sql, params)).rows[0];
    return row && toStoredBrief(row);
  }

  async save(stored: StoredBrief): Promise<void> {
    await this.pool.query(
      `INSERT INTO briefs (id, topic_id, content_key, created_at, brief_json, article_map) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (id) DO UPDATE SET topic_id = EXCLUDED.topic_id, content_key = EXCLUDED.content_key,
         created_at = EXCLUDED.created_at, brief_json = EXCLUDED.brief_json, article_map = EXCLUDED.article_map`,
      [
        stored.id,
        stored.topicId,
        stored.contentKey,
        stored.createdAt,
        pgText(JSON.stringify(stored.brief)),
        JSON.stringify(stored.articleMap),
      ],
    );
  }

  byId(id: string): Promise<StoredBrief | undefined> {
    return this.one('SELECT * FROM briefs WHERE id = $1', [id]);
  }

  byContentKey(topicId: string, contentKey: string): Promise<StoredBrief | undefined> {
    return this.one('SELECT * FROM briefs WHERE topic_id = $1 AND content_key = $2 ORDER BY created_at DESC LIMIT 1', [
      topicId,
      contentKey,
    ]);
  }

  latest(topicId: string): Promise<StoredBrief | undefined> {
    return this.one('SELECT * FROM briefs WHERE topic_id = $1 ORDER BY created_at DESC, seq DESC LIMIT 1', [topicId]);
  }
}
