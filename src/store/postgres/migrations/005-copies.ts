/**
 * As SQLite's 005-copies: which sources delivered each article (an ad-hoc topic is what its
 * sources hold), and at most one original per text — pairs that concurrent collects stored
 * twice are repaired (the earliest stays the original) before a unique index forbids them.
 */
/** SHA-256 of the empty normalised text (as in SQLite's 005-copies): articles with no words are never copies by hash. */
const EMPTY_TEXT_HASH = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

export const sql = `
CREATE TABLE article_sources (
  source_id  text NOT NULL,
  article_id text NOT NULL REFERENCES articles(id),
  PRIMARY KEY (source_id, article_id)
);
CREATE INDEX article_sources_article ON article_sources(article_id);
INSERT INTO article_sources (source_id, article_id) SELECT source_id, id FROM articles ON CONFLICT DO NOTHING;

WITH ranked AS (
  SELECT id, first_value(id) OVER (PARTITION BY content_hash ORDER BY first_seen_at, id COLLATE "C") AS original
  FROM articles WHERE duplicate_of IS NULL AND content_hash <> '${EMPTY_TEXT_HASH}'
)
UPDATE articles SET duplicate_of = ranked.original FROM ranked WHERE articles.id = ranked.id AND ranked.original <> ranked.id;
UPDATE articles SET duplicate_of = d.duplicate_of FROM articles d
  WHERE articles.duplicate_of = d.id AND d.duplicate_of IS NOT NULL;
DELETE FROM article_bands WHERE article_id IN (SELECT id FROM articles WHERE duplicate_of IS NOT NULL);

CREATE UNIQUE INDEX articles_one_original_per_text ON articles(content_hash)
  WHERE duplicate_of IS NULL AND content_hash <> '${EMPTY_TEXT_HASH}';
`;
