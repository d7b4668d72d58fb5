/**
 * Opening the SQLite database and bringing its schema up to date.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, fstatSync, linkSync, mkdirSync, openSync, readSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { BriefbotError, ConfigError, oneLine } from '../../core/errors.ts';
import { migrations, type Migration } from './migrations/index.ts';

export type Db = Database.Database;

/** The first 16 bytes of every SQLite 3 database file. */
const SQLITE_HEADER = Buffer.from('SQLite format 3\u0000', 'latin1');

/**
 * An existing file must already be an SQLite database. SQLite itself would treat a 0-byte file
 * as a new, empty database: that is what a failed copy, a full disk or a bad restore leaves,
 * and silently starting afresh would forget every follow, posted brief and stored article
 * (and re-post scheduled briefs). So Briefbot only ever creates a database where no file is.
 */
function checkExistingFile(path: string): void {
  let header: Buffer;
  try {
    const fd = openSync(path, 'r');
    try {
      if (!fstatSync(fd).isFile()) throw new ConfigError(`database ${path} is not a regular file`, 'database');
      header = Buffer.alloc(SQLITE_HEADER.length);
      header = header.subarray(0, readSync(fd, header, 0, header.length, 0));
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    if (error instanceof ConfigError) throw error;
    throw new ConfigError(`database ${path}: cannot read it: ${oneLine(error)}`, 'database');
  }
  if (header.length === 0) {
    throw new ConfigError(
      `database ${path} is empty (0 bytes); Briefbot never starts a new database over an existing file: restore it from a backup, or delete it to start afresh`,
      'database',
    );
  }
  if (!header.equals(SQLITE_HEADER)) {
    throw new ConfigError(
      `database ${path} is not a Briefbot database (not an SQLite file); restore it from a backup or move it aside`,
      'database',
    );
  }
}

function isCorruption(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT';
}

/** Pragmas every connection sets. */
function configure(db: Db): void {
  // WAL lets readers (a chat command) proceed while a collect writes; a crash loses at most
  // the transaction in flight. busy_timeout covers a second process (CLI next to serve).
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
}

/**
 * Page size of new databases, bytes (SQLite's default is 4,096). Storing 10,000 articles, each
 * with 32 near-duplicate band keys scattered over their index, rewrites most of that index's
 * pages in every batch; with 16 KB pages the batches' commits and checkpoints write about half
 * as much (SQLite alone: 0.90 → 0.69 s for those 10,000 articles), and reading them back is no
 * slower. Databases created before keep their page size.
 */
const PAGE_SIZE = 16_384;

/**
 * Creates the database file complete or not at all: built under a temporary name beside it,
 * then linked into place. Another process starting at the same moment never sees a
 * half-made (0-byte) file, and of two that race, one's file wins and the other opens it.
 */
function createDatabaseFile(path: string, list: readonly Migration[]): void {
  const temporary = `${path}.${process.pid}-${randomBytes(4).toString('hex')}.new`;
  const db = new Database(temporary);
  try {
    // Set before the first table: a database keeps its page size (a WAL database for good).
    db.pragma(`page_size = ${PAGE_SIZE}`);
    configure(db);
    migrate(db, list);
    db.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    db.close();
  }
  try {
    linkSync(temporary, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    rmSync(temporary, { force: true });
  }
}

/** Opens the database at `path` (creating it where no file is), or in memory for ":memory:". */
export function openDatabase(path: string, list: readonly Migration[] = migrations): Db {
  if (path !== ':memory:') {
    checkExistingFile(path);
    mkdirSync(dirname(path), { recursive: true });
    try {
      if (!existsSync(path)) createDatabaseFile(path, list);
    } catch (error) {
      throw new BriefbotError('STORE', `cannot create database ${path}: ${oneLine(error)}`, { cause: error });
    }
  }
  let db: Db;
  try {
    db = new Database(path, { fileMustExist: path !== ':memory:' });
  } catch (error) {
    throw new BriefbotError('STORE', `cannot open database ${path}: ${(error as Error).message}`, { cause: error });
  }
  try {
    configure(db);
    migrate(db, list);
  } catch (error) {
    db.close();
    if (isCorruption(error)) {
      throw new ConfigError(
        `database ${path} is not a Briefbot database (${oneLine(error)}); restore it from a backup or move it aside`,
        'database',
      );
    }
    throw error;
  }
  return db;
}

export function migrate(db: Db, list: readonly Migration[]): void {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`);
  const applied = new Set(
    db
      .prepare('SELECT version FROM schema_migrations')
      .all()
      .map((row) => (row as { version: number }).version),
  );
  const newest = Math.max(0, ...list.map((m) => m.version));
  const ahead = [...applied].filter((v) => v > newest);
  if (ahead.length > 0) {
    throw new BriefbotError(
      'STORE',
      `database schema version ${Math.max(...ahead)} is newer than this Briefbot (${newest}); upgrade Briefbot`,
    );
  }
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  const isApplied = db.prepare('SELECT 1 FROM schema_migrations WHERE version = ?');
  for (const migration of [...list].sort((a, b) => a.version - b.version)) {
    if (applied.has(migration.version)) continue;
    // IMMEDIATE takes the write lock first: of two processes starting on an old database, the
    // second waits, then sees the migration applied instead of applying it again.
    db.transaction(() => {
      if (isApplied.get(migration.version) !== undefined) return;
      db.exec(migration.sql);
      record.run(migration.version, migration.name, new Date().toISOString());
    }).immediate();
  }
}
