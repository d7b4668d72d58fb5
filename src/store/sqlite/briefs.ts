import type { StoredBrief } from '../../core/types.ts';
import type { BriefRepo } from '../port.ts';
import { toStoredBrief as toStored, type BriefRow } from '../rows.ts';
import type { Db } from './database.ts';

export class SqliteBriefRepo implements BriefRepo {
  private readonly statements;

  constructor(db: Db) {
    this.statements = {
      save: db.prepare(`INSERT OR REPLACE INTO briefs (id, topic_id, content_key, created_at, brief_json, article_map)
        VALUES (?, ?, ?, ?, ?, ?)`),
      byId: db.prepare('SELECT * FROM briefs WHERE id = ?'),
      byKey: db.prepare('SELECT * FROM briefs WHERE topic_id = ? AND content_key = ? ORDER BY created_at DESC LIMIT 1'),
      latest: db.prepare('SELECT * FROM briefs WHERE topic_id = ? ORDER BY created_at DESC, rowid DESC LIMIT 1'),
    };
  }

  async save(stored: StoredBrief): Promise<void> {
    this.statements.save.run(
      stored.id,
      stored.topicId,
      stored.contentKey,
      stored.createdAt,
      JSON.stringify(stored.brief),
      JSON.stringify(stored.articleMap),
    );
  }

  async byId(id: string): Promise<StoredBrief | undefined> {
    const row = this.statements.byId.get(id) as BriefRow | undefined;
    return row && toStored(row);
  }

  async byContentKey(topicId: string, contentKey: string): Promise<StoredBrief | undefined> {
    const row = this.statements.byKey.get(topicId, contentKey) as BriefRow | undefined;
    return row && toStored(row);
  }

  async latest(topicId: string): Promise<StoredBrief | undefined> {
    const row = this.statements.latest.get(topicId) as BriefRow | undefined;
    return row && toStored(row);
  }
}
