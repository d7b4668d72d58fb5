/**
 * `serve` with briefs built in worker threads: a build past its time budget is stopped; the
 * `/brief` caller gets the last brief of that topic and window with a note saying so, or,
 * when there is none, a one-line reason. Real Bolt, real workers, fake Slack on 127.0.0.1.
 */
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { createBriefService } from '../src/app/brief-service.ts';
import { BuildPool } from '../src/app/build-pool.ts';
import { readEnv, toTopic } from '../src/config/load.ts';
import { topicSchema } from '../src/config/schema.ts';
import { silentLogger } from '../src/core/log.ts';
import { sendSigned, slashCommandBody, waitFor } from './fakes/slack.ts';
import { tempDir } from './helpers/cli.ts';
import { SIGNING_SECRET, startHarness } from './helpers/slack-serve.ts';

function writeArticle(dir: string, name: string, title: string, sentence: string): void {
  writeFileSync(
    join(dir, name),
    `${title}\n\n${sentence} The port office confirmed the figures on Tuesday, and said more details would follow next week.\n`,
  );
}

test('a build past its budget: the last brief, marked stale; with none, a one-line reason', { timeout: 60_000 }, async () => {
  const dir = tempDir();
  const news = join(dir, 'news');
  mkdirSync(news);
  writeArticle(news, 'a.txt', 'Quay reopens after storm', 'The north quay reopened on Monday after storm repairs costing 4 million euros.');
  const topics = [toTopic(topicSchema.parse({ id: 'quay', sources: [{ path: news }], window: 'all', channels: [] }), 0, dir)];

  // The pool needs the harness's store, and the harness the pool's builder.
  const ref: { pool?: BuildPool } = {};
  const h = await startHarness({ dbPath: join(dir, 'b.db'), topics, builder: (job) => ref.pool!.run(job), serve: { freshForMs: 0 } });
  // A budget of 1 ms: no worker starts that fast, so every build is stopped.
  const pool = new BuildPool({ size: 1, budgetMs: 1, cache: h.store.cache, logger: silentLogger });
  ref.pool = pool;
  try {
    const send = (id: string): Promise<unknown> =>
      sendSigned(h.eventsUrl, SIGNING_SECRET, slashCommandBody({ text: 'quay', channel: 'C0009', responseUrl: h.slack.responseUrl(id) }), {
        contentType: 'application/x-www-form-urlencoded',
      });

    await send('none-yet');
    await waitFor(() => h.slack.responses.length >= 1, 20_000, 'a reply');
    assert.match(
      String(h.slack.responses[0]?.['text']),
      /Could not build the quay brief: building the quay brief \(1 articles\) took longer than its 0 s budget and was stopped/,
    );

    // A brief built (in this thread) earlier; then a new article makes the next build necessary.
    const inThread = createBriefService({ topics, env: readEnv({}), store: h.store, logger: silentLogger });
    const earlier = await inThread.brief('quay');
    writeArticle(news, 'b.txt', 'Ferry timetable changes', 'The island ferry will add two crossings a day from May, the operator said.');

    await send('stale');
    await waitFor(() => h.slack.messagesIn('C0009').length >= 1, 20_000, 'the stale brief posted');
    const posted = JSON.stringify(h.slack.messagesIn('C0009'));
    assert.match(posted, /Quay reopens after storm/);
    assert.doesNotMatch(posted, /Ferry timetable/, 'the stale brief, not a new one');
    assert.match(posted, /a newer one took longer than 0 s to build and was stopped/);
    assert.equal((await h.store.briefs.byId(earlier.id))?.brief.notes, undefined, 'the stored brief itself is unchanged');
  } finally {
    await h.close();
    await pool.close();
  }
});
