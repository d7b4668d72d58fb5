/**
 * Local folders: a file whose size and mtime are as recorded is skipped unread; one touched
 * but unchanged is read and hashed but not parsed again; a changed one is ingested. A
 * configured topic's `brief --offline` of an unchanged folder reads nothing and reuses its brief.
 */
import assert from 'node:assert/strict';
import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { createBriefService } from '../src/app/brief-service.ts';
import { collectTopics, type CollectProgress, type CollectReport } from '../src/collect/index.ts';
import { readEnv } from '../src/config/load.ts';
import { silentLogger } from '../src/core/log.ts';
import type { Topic } from '../src/core/types.ts';
import { openSqliteStore } from '../src/store/sqlite/index.ts';
import { tempDir } from './helpers/cli.ts';
import { folderTopic } from './helpers/topics.ts';

const PAST = new Date('2026-01-01T00:00:00Z');

function article(i: number, extra = ''): string {
  return `Harbour report number ${i}\n\nThe harbour authority published its report number ${i} on Monday, listing ${i * 7} ship calls and ${i + 3} berth closures over the quarter, the port office said.${extra}\n`;
}

function folder(n: number): string {
  const dir = join(tempDir(), 'news');
  mkdirSync(dir);
  for (let i = 0; i < n; i += 1) {
    const path = join(dir, `${i}.txt`);
    writeFileSync(path, article(i));
    utimesSync(path, PAST, PAST); // old enough that its mtime is trusted
  }
  return dir;
}

function topic(dir: string, id = 'harbour'): Topic {
  return folderTopic(dir, id);
}

async function collect(
  store: ReturnType<typeof openSqliteStore>,
  topics: Topic[],
): Promise<{ report: CollectReport; last: CollectProgress | undefined }> {
  let last: CollectProgress | undefined;
  const report = await collectTopics(topics, { store, logger: silentLogger, onProgress: (p) => (last = p) });
  return { report, last };
}

test('unchanged files are skipped unread; touched ones hashed; changed ones ingested', async () => {
  const dir = folder(5);
  const store = openSqliteStore(':memory:');
  const first = await collect(store, [topic(dir)]);
  assert.equal(first.report.sources[0]?.new, 5);
  assert.equal(first.last?.filesRead, 5);

  const second = await collect(store, [topic(dir)]);
  assert.equal(second.last?.filesRead, 0, 'nothing read');
  assert.equal(second.report.sources[0]?.unchangedFiles, 5);

  // Touched (new mtime, same bytes): read and hashed, not parsed or stored again.
  const touched = new Date('2026-02-01T00:00:00Z');
  utimesSync(join(dir, '1.txt'), touched, touched);
  // Changed: read again (its URL is stored, so it is known: identity is the URL).
  writeFileSync(join(dir, '2.txt'), article(2, ' The report was later corrected.'));
  utimesSync(join(dir, '2.txt'), PAST, PAST);
  // New: read and stored.
  writeFileSync(join(dir, '5.txt'), article(5));
  utimesSync(join(dir, '5.txt'), PAST, PAST);
  const third = await collect(store, [topic(dir)]);
  assert.equal(third.last?.filesRead, 3);
  assert.equal(third.report.sources[0]?.unchangedFiles, 4);
  assert.equal(third.report.sources[0]?.known, 1);
  assert.equal(third.report.sources[0]?.new, 1);

  const fourth = await collect(store, [topic(dir)]);
  assert.equal(fourth.last?.filesRead, 0);
  await store.close();
});

test('a file written just now is not trusted by its mtime alone', async () => {
  const dir = folder(1);
  writeFileSync(join(dir, 'fresh.txt'), article(9));
  const store = openSqliteStore(':memory:');
  await collect(store, [topic(dir)]);
  const again = await collect(store, [topic(dir)]);
  assert.equal(again.last?.filesRead, 1, 'the fresh file is read (and hashed) again');
  assert.equal(again.report.sources[0]?.new, 0);
  await store.close();
});

test('a file read for one topic is read again for another, and linked to it', async () => {
  const dir = folder(3);
  const store = openSqliteStore(':memory:');
  await collect(store, [topic(dir, 'a')]);
  const other = await collect(store, [topic(dir, 'b')]);
  assert.equal(other.last?.filesRead, 3);
  assert.equal((await store.articles.list({ topicId: 'b' })).length, 3);
  assert.equal((await collect(store, [topic(dir, 'a')])).last?.filesRead, 0);
  await store.close();
});

test('brief --offline of a configured topic: an unchanged folder is not re-read, the brief is reused', async () => {
  const dir = folder(4);
  const store = openSqliteStore(':memory:');
  const reports: CollectReport[] = [];
  let filesRead = 0;
  const service = createBriefService({
    topics: [topic(dir)],
    env: readEnv({}),
    store,
    logger: silentLogger,
    onCollect: (r) => reports.push(r),
    onCollectProgress: (p) => (filesRead = p.filesRead),
  });
  const first = await service.brief('harbour');
  assert.equal(filesRead, 4);
  filesRead = 0;
  const second = await service.brief('harbour');
  assert.equal(filesRead, 0, 'no file read');
  assert.equal(reports[1]?.sources[0]?.unchangedFiles, 4);
  assert.equal(second.id, first.id, 'the stored brief is reused');
  await store.close();
});
