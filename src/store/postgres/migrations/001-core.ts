/**
 * Sources, articles with their topics and near-duplicate bands, briefs, a generic cache —
 * the same tables, columns and uniqueness as SQLite's 001-core. Times are timestamptz; JSON
 * documents are the text the application wrote (never queried inside).
 */
export const sql = `
CREATE TABLE sources (
  id              text PRIMARY KEY,
  url             text NOT NULL,
  etag            text,
  last_modified   text,
  last_success_at timestamptz,
  last_error_at   timestamptz,
  last_error      text,
  failure_streak  integer NOT NULL DEFAULT 0,
  failing_since   timestamptz
);

CREATE TABLE articles (
  id            text PRIMARY KEY,
  canonical_url text NOT NULL UNIQUE,
  url           text NOT NULL,
  title         text NOT NULL,
  text          text NOT NULL,
  publisher     text,
  author        text,
  published_at  timestamptz,
  first_seen_at timestamptz NOT NULL,
  -- published time when known, else first seen: what windows filter on
  effective_at  timestamptz NOT NULL,
  lang          text,
  guid          text,
  source_id     text NOT NULL,
  content_hash  text NOT NULL,
  duplicate_of  text REFERENCES articles(id)
);
CREATE INDEX articles_content_hash ON articles(content_hash);
CREATE INDEX articles_duplicate_of ON articles(duplicate_of);

CREATE TABLE article_topics (
  article_id text NOT NULL REFERENCES articles(id),
  topic_id   text NOT NULL,
  PRIMARY KEY (topic_id, article_id)
);
CREATE INDEX article_topics_article ON article_topics(article_id);

CREATE TABLE article_bands (
  band       text NOT NULL,
  article_id text NOT NULL REFERENCES articles(id),
  PRIMARY KEY (band, article_id)
);

CREATE TABLE briefs (
  id          text PRIMARY KEY,
  topic_id    text NOT NULL,
  content_key text NOT NULL,
  created_at  timestamptz NOT NULL,
  brief_json  text NOT NULL,
  article_map text NOT NULL,
  -- insertion order, the tie-break SQLite's rowid gives "latest"
  seq         bigint GENERATED ALWAYS AS IDENTITY
);
CREATE INDEX briefs_topic_created ON briefs(topic_id, created_at);
CREATE INDEX briefs_topic_key ON briefs(topic_id, content_key);

CREATE TABLE cache (
  namespace  text NOT NULL,
  key        text NOT NULL,
  value      text NOT NULL,
  expires_at timestamptz,
  PRIMARY KEY (namespace, key)
);
`;
