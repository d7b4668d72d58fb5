import type { Brief } from '../../core/types.ts';
import type { StoredBrief } from '../../core/types.ts';
import type { BriefRepo } from '../port.ts';
import type { Db } from './database.ts';

interface BriefRow {
  id: string;
  topic_id: string;
  content_key: string;
  created_at: string;
  brief_json: string;
  article_map: string;
}

function toStored(row: BriefRow): StoredBrief {
  return {
    id: row.id,
    topicId: row.topic_id,
    contentKey: row.content_key,
    createdAt: row.created_at,
    brief: JSON.parse(row.brief_json) as Brief,
    articleMap: JSON.parse(row.article_map) as Record<string, string>,
  };
}

export class SqliteBriefRepo implements BriefRepo {
  private readonly statements;

  constructor(db: Db) {
    this.statements = {
      save: db.prepare(`INSERT OR REPLACE INTO briefs (id, topic_id, content_key, created_at, brief_json, article_map)
        VALUES (?, ?, ?, ?, ?, ?)`),
      byId: db.prepare('SELECT * FROM briefs WHERE id = ?'),
      byKey: db.prepare(
        'SELECT * FROM briefs WHERE topic_id = ? AND content_key = ? ORDER BY created_at DESC LIMIT 1',
      ),
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
