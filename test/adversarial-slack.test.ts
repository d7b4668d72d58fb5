/**
 * The adversarial model (fakes/adversarial-model.ts) behind the real serving core and the real
 * Bolt app against the fake Slack: the scheduled brief and a follow-up question in its thread
 * carry nothing the model fabricated — no altered number, invented quote, foreign name or
 * planted payload reaches chat — and the faithful answer does.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { toTopic } from '../src/config/load.ts';
import { topicSchema } from '../src/config/schema.ts';
import { createAdversary, type Adversary } from './fakes/adversarial-model.ts';
import { startFakeOpenAi, type FakeOpenAi } from './fakes/openai.ts';
import { sendSigned, threadMessageEvent, waitFor } from './fakes/slack.ts';
import { SIGNING_SECRET, startHarness, type Harness } from './helpers/slack-serve.ts';
import { PAYLOAD, PEOPLE, PORT_WREN } from './helpers/adversarial.ts';

const CHANNEL = 'C0300';
/** Every article's own text: a marker that legitimately occurs in it is no evidence of a leak. */
const CORPUS = readdirSync(PORT_WREN)
  .map((f) => readFileSync(join(PORT_WREN, f), 'utf8'))
  .join('\n');

let fake: FakeOpenAi;
let adversary: Adversary;
let h: Harness;

before(async () => {
  adversary = createAdversary({ ...PAYLOAD, people: PEOPLE });
  fake = await startFakeOpenAi({ respond: adversary.respond });
  const topic = toTopic(
    topicSchema.parse({
      id: 'port-wren',
      title: 'Port Wren',
      sources: [{ path: PORT_WREN }],
      window: 'all',
      schedule: { cron: '0 9 * * *', timezone: 'UTC' },
      channels: [`slack:${CHANNEL}`],
      summarizer: { kind: 'llm' },
    }),
    0,
    process.cwd(),
  );
  h = await startHarness({
    topics: [topic],
    env: { OPENAI_API_KEY: 'sk-test-not-a-secret', OPENAI_BASE_URL: fake.baseURL, OPENAI_MODEL: 'fake-model' },
  });
});
after(async () => {
  await h.close();
  await fake.close();
});

/** Everything Slack received in the channel, text and blocks. */
function posted(): string {
  return JSON.stringify(h.slack.messagesIn(CHANNEL).map((m) => [m.text, m.blocks]));
}

test('a scheduled brief and a thread follow-up from an adversarial model: nothing fabricated reaches chat', async () => {
  assert.equal(await h.serve.scheduler.jobFor('port-wren')({ date: new Date('2026-11-23T09:00:00Z') }), 'delivered');
  await waitFor(() => posted().includes('*Sources*'), 15_000, 'brief posted');
  const brief = posted();
  assert.ok(adversary.fabricated.length >= 20, 'the model lied in the brief');
  assert.ok(!brief.includes(PAYLOAD.payloadMarker), 'no payload in the brief');
  for (const lie of adversary.fabricated) {
    if (!CORPUS.includes(lie.marker)) assert.ok(!brief.includes(lie.marker), `${lie.kind} reached Slack: ${lie.marker}`);
  }
  assert.match(brief, /Tideline Notes\) carried 4 instructions addressed to AI systems/);

  const threadTs = h.slack.messagesIn(CHANNEL)[0]!.ts;
  const told = adversary.fabricated.length;
  const question = 'How many people will the tidal plant employ, and what did Mayor Ana Ruiz say?';
  const res = await sendSigned(
    h.eventsUrl,
    SIGNING_SECRET,
    threadMessageEvent({ channel: CHANNEL, threadTs, ts: '1900000000.000300', text: question, eventId: 'EvAdv1' }),
  );
  assert.equal(res.status, 200);
  await waitFor(() => h.slack.messagesIn(CHANNEL).some((m) => m.thread_ts === threadTs && /left out/.test(m.text)), 10_000, 'answer');
  const answer = h.slack.messagesIn(CHANNEL).find((m) => m.thread_ts === threadTs && /left out/.test(m.text))!;
  const text = JSON.stringify([answer.text, answer.blocks]);
  const lies = adversary.fabricated.slice(told);
  assert.ok(lies.length >= 5, `the model lied ${lies.length} times in the answer`);
  for (const lie of [...lies, ...adversary.fabricated]) {
    if (!CORPUS.includes(lie.marker)) assert.ok(!text.includes(lie.marker), `${lie.kind} reached the thread: ${lie.marker}`);
  }
  assert.ok(!posted().includes(PAYLOAD.payloadMarker), 'no payload anywhere in the channel');
  const faithful = adversary.faithful.filter((f) => f.kind === 'answer').at(-1)!;
  assert.ok(answer.text.includes(faithful.text.slice(0, 40)), answer.text);
});
