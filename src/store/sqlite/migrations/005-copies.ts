/**
 * Which sources delivered each article (an ad-hoc topic is "what these sources hold"), and at
 * most one original per text. Two concurrent collects could each store the same text as an
 * original; those are repaired here (the earliest stays the original, the rest become its
 * copies) before a unique index makes it impossible.
 */

/** SHA-256 of the empty normalised text: articles with no words are never copies by hash. */
export const EMPTY_TEXT_HASH = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

export const sql = `
CREATE TABLE article_sources (
  source_id  TEXT NOT NULL,
  article_id TEXT NOT NULL REFERENCES articles(id),
  PRIMARY KEY (source_id, article_id)
) WITHOUT ROWID;
CREATE INDEX article_sources_article ON article_sources(article_id);
INSERT OR IGNORE INTO article_sources (source_id, article_id) SELECT source_id, id FROM articles;

UPDATE articles SET duplicate_of = (
    SELECT o.id FROM articles o
    WHERE o.content_hash = articles.content_hash AND o.duplicate_of IS NULL
    ORDER BY o.first_seen_at, o.id LIMIT 1)
  WHERE duplicate_of IS NULL AND content_hash <> '${EMPTY_TEXT_HASH}' AND EXISTS (
    SELECT 1 FROM articles o
    WHERE o.content_hash = articles.content_hash AND o.duplicate_of IS NULL
      AND (o.first_seen_at < articles.first_seen_at OR (o.first_seen_at = articles.first_seen_at AND o.id < articles.id)));
UPDATE articles SET duplicate_of = (SELECT d.duplicate_of FROM articles d WHERE d.id = articles.duplicate_of)
  WHERE duplicate_of IN (SELECT id FROM articles WHERE duplicate_of IS NOT NULL);
DELETE FROM article_bands WHERE article_id IN (SELECT id FROM articles WHERE duplicate_of IS NOT NULL);

CREATE UNIQUE INDEX articles_one_original_per_text ON articles(content_hash)
  WHERE duplicate_of IS NULL AND content_hash <> '${EMPTY_TEXT_HASH}';
`;
