/** Sources, articles with their topics and near-duplicate bands, briefs, a generic cache. */
export const sql = `
CREATE TABLE sources (
  id              TEXT PRIMARY KEY,
  url             TEXT NOT NULL,
  etag            TEXT,
  last_modified   TEXT,
  last_success_at TEXT,
  last_error_at   TEXT,
  last_error      TEXT,
  failure_streak  INTEGER NOT NULL DEFAULT 0,
  failing_since   TEXT
);

CREATE TABLE articles (
  id            TEXT PRIMARY KEY,
  canonical_url TEXT NOT NULL UNIQUE,
  url           TEXT NOT NULL,
  title         TEXT NOT NULL,
  text          TEXT NOT NULL,
  publisher     TEXT,
  author        TEXT,
  published_at  TEXT,
  first_seen_at TEXT NOT NULL,
  -- published time when known, else first seen: what windows filter on
  effective_at  TEXT NOT NULL,
  lang          TEXT,
  guid          TEXT,
  source_id     TEXT NOT NULL,
  content_hash  TEXT NOT NULL,
  duplicate_of  TEXT REFERENCES articles(id)
);
CREATE INDEX articles_content_hash ON articles(content_hash);
CREATE INDEX articles_duplicate_of ON articles(duplicate_of);

CREATE TABLE article_topics (
  article_id TEXT NOT NULL REFERENCES articles(id),
  topic_id   TEXT NOT NULL,
  PRIMARY KEY (topic_id, article_id)
) WITHOUT ROWID;
CREATE INDEX article_topics_article ON article_topics(article_id);

CREATE TABLE article_bands (
  band       TEXT NOT NULL,
  article_id TEXT NOT NULL REFERENCES articles(id),
  PRIMARY KEY (band, article_id)
) WITHOUT ROWID;

CREATE TABLE briefs (
  id          TEXT PRIMARY KEY,
  topic_id    TEXT NOT NULL,
  content_key TEXT NOT NULL,
  created_at  TEXT NOT NULL,
  brief_json  TEXT NOT NULL,
  article_map TEXT NOT NULL
);
CREATE INDEX briefs_topic_created ON briefs(topic_id, created_at);
CREATE INDEX briefs_topic_key ON briefs(topic_id, content_key);

CREATE TABLE cache (
  namespace  TEXT NOT NULL,
  key        TEXT NOT NULL,
  value      TEXT NOT NULL,
  expires_at TEXT,
  PRIMARY KEY (namespace, key)
) WITHOUT ROWID;
`;
