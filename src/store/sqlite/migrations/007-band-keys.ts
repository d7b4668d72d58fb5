/**
 * Near-duplicate band keys as integers. A band key "b12:9f2c3a1b" (band 12, 32-bit hash) is
 * stored as 12 × 2^32 + 0x9f2c3a1b, and the article it belongs to by a stable integer
 * sequence number instead of its 24-character id: the band index is a third of its former
 * size, so inserting 32 keys per article and looking them up cost far less. `seq` is a real
 * column (rowids may change on VACUUM), given in insertion order.
 */
const HEX = '0123456789abcdef';
/** SQL for the 32-bit value of the last 8 hex digits of `band`. */
const hashValue = Array.from({ length: 8 }, (_, i) => `(instr('${HEX}', substr(band, ${i - 8}, 1)) - 1) * ${16 ** (7 - i)}`).join(' + ');

export const sql = `
ALTER TABLE articles ADD COLUMN seq INTEGER;
UPDATE articles SET seq = rowid;
CREATE UNIQUE INDEX articles_seq ON articles(seq);

CREATE TABLE article_band_keys (
  band INTEGER NOT NULL,
  seq  INTEGER NOT NULL,
  PRIMARY KEY (band, seq)
) WITHOUT ROWID;
INSERT OR IGNORE INTO article_band_keys (band, seq)
  SELECT CAST(substr(b.band, 2, instr(b.band, ':') - 2) AS INTEGER) * 4294967296 + ${hashValue.replaceAll('band', 'b.band')}, a.seq
  FROM article_bands b JOIN articles a ON a.id = b.article_id
  WHERE b.band GLOB 'b[0-9]*:[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]';
DROP TABLE article_bands;
ALTER TABLE article_band_keys RENAME TO article_bands;
`;
