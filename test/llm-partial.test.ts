/**
 * Partial failure stays partial (map-reduce against the fake OpenAI-compatible server): a
 * failed chunk is retried alone; a chunk that keeps failing is written by the fallback while
 * the other chunks keep the model's work; a failed merge joins the partials; only a story the
 * model could not write at all falls back whole — and the note says which. Also: streaming is
 * a per-topic setting (`summarizer.stream`), validated and honoured end to end.
 */
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import { parseConfigText } from '../src/config/load.ts';
import { ConfigError } from '../src/core/errors.ts';
import type { Brief, StoryArticle } from '../src/core/types.ts';
import { ExtractiveSummarizer } from '../src/brief/summarize/extractive.ts';
import { LlmSummarizer } from '../src/brief/summarize/llm.ts';
import { startFakeOpenAi, userPrompt, type ChatRequestBody, type FakeOpenAi } from './fakes/openai.ts';
import { runCli, tempDir } from './helpers/cli.ts';

const BASE = [
  'The harbor city council approved a tidal power plant on Thursday after a long debate.',
  'Fishing groups warned that the turbines could disturb the migration of local salmon.',
];
/** Twelve invented reports of one story: three chunks of four at four articles per call. */
const ARTICLES: StoryArticle[] = Array.from({ length: 12 }, (_, i) => ({
  id: `a${i + 1}`,
  title: `Tidal plant report ${i + 1}`,
  url: `https://example.test/tidal/${i + 1}`,
  text: [...BASE, `Correspondent ${i + 1} counted ${200 + i} people at the harbour hall meeting.`].join('\n\n'),
}));

function idsOf(request: ChatRequestBody): string[] {
  return /Article ids you may cite: ([^.]+)\./.exec(userPrompt(request))?.[1]?.split(', ') ?? [];
}
const isMerge = (request: ChatRequestBody): boolean => userPrompt(request).includes('<partial n="');
const isChunk =
  (n: number) =>
  (request: ChatRequestBody): boolean =>
    !isMerge(request) && idsOf(request)[0] === `a${(n - 1) * 4 + 1}`;

/** A model that claims each chunk's first correspondent sentence, and merges by joining. */
function model(request: ChatRequestBody): unknown {
  const ids = idsOf(request);
  return {
    headline: 'Harbor city approves tidal power plant',
    summary: BASE[0],
    claims: [
      { text: BASE[0], articleIds: ids },
      ...(isMerge(request)
        ? []
        : [
            {
              text: `Correspondent ${ids[0]!.slice(1)} counted ${199 + Number(ids[0]!.slice(1))} people at the harbour hall meeting.`,
              articleIds: [ids[0]!],
            },
          ]),
    ],
    figures: [],
    disagreements: [],
  };
}

let fake: FakeOpenAi;
before(async () => {
  fake = await startFakeOpenAi();
});
after(() => fake.close());
beforeEach(() => {
  fake.requests.length = 0;
  fake.respond = model;
});

function summarizer(): LlmSummarizer {
  return new LlmSummarizer({
    apiKey: 'sk-test',
    baseURL: fake.baseURL,
    model: 'fake-model',
    maxRetries: 0,
    replyRetries: 0,
    retryDelayMs: 1,
    timeoutMs: 5_000,
    maxArticlesPerCall: 4,
    fallback: new ExtractiveSummarizer(),
  });
}

/** Makes the model answer prose (unusable) to requests matching `fails`, `times` times (Infinity = always). */
function failing(fails: (r: ChatRequestBody) => boolean, times: number): void {
  let left = times;
  fake.respond = (request) => {
    if (fails(request) && left > 0) {
      left--;
      return 'Sorry, I lost my train of thought.';
    }
    return model(request);
  };
}

describe('map-reduce: partial failure stays partial', () => {
  test('a chunk that fails once is retried alone; nothing falls back', async () => {
    failing(isChunk(2), 1);
    const result = await summarizer().summarize({ id: 's1', articles: ARTICLES });
    assert.equal(result.note, undefined);
    assert.equal(fake.requests.filter(isChunk(1)).length, 1);
    assert.equal(fake.requests.filter(isChunk(2)).length, 2, 'chunk 2 asked again');
    assert.equal(fake.requests.filter(isChunk(3)).length, 1);
    assert.equal(fake.requests.filter(isMerge).length, 1);
  });

  test('a chunk that keeps failing is written by the fallback; the others keep the model\u2019s work', async () => {
    failing(isChunk(2), Infinity);
    const result = await summarizer().summarize({ id: 's1', articles: ARTICLES });
    assert.match(result.note ?? '', /^articles a5–a8 \(part 2 of 3\) written by extractive: the model reply was not usable JSON/);
    assert.doesNotMatch(result.note ?? '', /fell back/);
    assert.equal(result.story.headline, 'Harbor city approves tidal power plant', 'the model\u2019s merge');
    const merge = userPrompt(fake.requests.find(isMerge));
    assert.match(merge, /Correspondent 1 counted 200/, 'chunk 1 by the model');
    assert.match(merge, /Correspondent 9 counted 208/, 'chunk 3 by the model');
    assert.match(merge, /a5|a6|a7|a8/, 'chunk 2 by the fallback, in the merge');
  });

  test('a failed merge joins the partials without the model, with a note', async () => {
    failing(isMerge, Infinity);
    const result = await summarizer().summarize({ id: 's1', articles: ARTICLES });
    assert.match(result.note ?? '', /^the merge of 3 partial summaries failed \(.+\); joined without the model$/);
    const texts = result.story.claims.map((c) => c.text);
    assert.equal(texts.filter((t) => t === BASE[0]).length, 1, 'the same claim once');
    assert.deepEqual(
      result.story.claims.find((c) => c.text === BASE[0])!.articleIds,
      ARTICLES.map((a) => a.id),
    );
    for (const n of [1, 5, 9])
      assert.ok(
        texts.some((t) => t.startsWith(`Correspondent ${n} counted`)),
        `chunk of a${n}`,
      );
  });

  test('when every chunk fails, the story falls back whole', async () => {
    failing(() => true, Infinity);
    const result = await summarizer().summarize({ id: 's1', articles: ARTICLES });
    assert.match(result.note ?? '', /^fell back to extractive: /);
    assert.equal(fake.requests.filter(isMerge).length, 0);
  });
});

describe('summarizer.stream', () => {
  test('is validated by the config schema', () => {
    const parse = (value: string) =>
      parseConfigText(`topics:\n  - id: t\n    sources: [x]\n    summarizer: { stream: ${value} }\n`, 'briefbot.config.yaml');
    assert.equal(parse('true').topics[0]!.summarizer.stream, true);
    assert.throws(
      () => parse('"yes"'),
      (e: unknown) => e instanceof ConfigError && /topics\[0\]\.summarizer\.stream/.test(e.message),
    );
  });

  test('a topic with stream: true streams its briefs and its answers', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'articles'));
    ARTICLES.slice(0, 2).forEach((a, i) => writeFileSync(join(dir, 'articles', `${i + 1}.txt`), `${a.title}\n\n${a.text}\n`));
    writeFileSync(
      join(dir, 'briefbot.config.yaml'),
      'topics:\n  - id: tidal\n    sources: [articles]\n    window: all\n    summarizer: { kind: llm, stream: true }\n',
    );
    fake.respond = (request) =>
      userPrompt(request).includes('<passage n="1"')
        ? { answered: true, text: 'The council approved a tidal power plant on Thursday [1].' }
        : model(request);
    const env = {
      BRIEFBOT_DB: join(dir, 'db.sqlite'),
      OPENAI_API_KEY: 'sk-test',
      OPENAI_BASE_URL: fake.baseURL,
      OPENAI_MODEL: 'fake-model',
    };
    const brief = await runCli(['brief', 'tidal', '--offline', '--format', 'json'], { cwd: dir, env });
    assert.equal(brief.code, 0, brief.stderr);
    assert.equal((JSON.parse(brief.stdout) as Brief).summarizer, 'llm:fake-model');
    const ask = await runCli(['ask', 'tidal', 'What did the council approve on Thursday?', '--offline'], { cwd: dir, env });
    assert.equal(ask.code, 0, ask.stderr);
    assert.match(ask.stdout, /^The council approved a tidal power plant on Thursday \[1\]\./);
    assert.ok(fake.requests.length >= 2);
    for (const request of fake.requests) {
      assert.equal(request.stream, true);
      assert.deepEqual(request.stream_options, { include_usage: true });
    }
  });
});
