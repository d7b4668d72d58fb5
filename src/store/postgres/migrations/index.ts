/**
 * Versioned PostgreSQL migrations, numbered like SQLite's (store/sqlite/migrations): version
 * N makes the same change on both backends. A released migration is never edited.
 */
import { sql as core } from './001-core.ts';
import { sql as chat } from './002-chat.ts';
import { sql as articleInstructions } from './003-article-instructions.ts';
import { sql as leases } from './004-leases.ts';
import { sql as copies } from './005-copies.ts';
import { sql as localFiles } from './006-local-files.ts';
import { sql as bandKeys } from './007-band-keys.ts';
import { sql as screenRevision } from './008-screen-revision.ts';

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

export const migrations: readonly Migration[] = [
  { version: 1, name: 'core', sql: core },
  { version: 2, name: 'chat', sql: chat },
  { version: 3, name: 'article-instructions', sql: articleInstructions },
  { version: 4, name: 'leases', sql: leases },
  { version: 5, name: 'copies', sql: copies },
  { version: 6, name: 'local-files', sql: localFiles },
  { version: 7, name: 'band-keys', sql: bandKeys },
  { version: 8, name: 'screen-revision', sql: screenRevision },
];
