/**
 * Prompt tokens per story: evidence selection (+ map-reduce) vs the naive baseline (every
 * article's full text in one prompt), at 10, 50 and 200 articles per story. Both are measured
 * by what the fake OpenAI-compatible server receives (its usage.prompt_tokens, chars/4), and
 * every planted figure value must be present in what was sent.
 *
 * Run: node --import tsx --expose-gc bench/llm-tokens.bench.ts
 */
import type { StoryArticle, StoryInput } from '../src/core/types.ts';
import { selectEvidence } from '../src/brief/summarize/evidence.ts';
import { ExtractiveSummarizer } from '../src/brief/summarize/extractive.ts';
import { LlmSummarizer } from '../src/brief/summarize/llm.ts';
import { OpenAiJsonChat } from '../src/llm/openai.ts';
import { escapeAttribute, escapeForFence, storyOutputSchema } from '../src/llm/json.ts';
import { defaultPrompts } from '../src/llm/prompts.ts';
import { countTokens, fencedArticleIds, startFakeOpenAi, userPrompt } from '../test/fakes/openai.ts';
import { measure, median } from './measure.ts';
import { prng } from './synthetic.ts';

const WORDS = `harbor council tidal turbine estuary engineers residents budget contract tender storm
coast ferry salmon fishing grid cable substation permit lawsuit mayor ministry regulator investors
bond loan inspection survey seabed sediment noise wildlife tourism jobs apprentices union schedule
delay weather barge crane steel concrete foundation design consultant audit hearing petition vote`.split(/\s+/);
const OUTLETS = ['Coast Ledger', 'Evening Wire', 'Harbor Times', 'Tide Report', 'Regional Post', 'Daily Current', 'Seaboard News'];

/** The story's shared facts, each with a few wordings; articles report some of them. */
const STORY_FIGURES: { value: string; wordings: string[] }[] = [
  {
    value: '€3.1 billion',
    wordings: [
      'The plant will cost €3.1 billion, officials said.',
      'Officials put the price of the project at €3.1 billion.',
      'At €3.1 billion, it is the largest public works project in the region.',
    ],
  },
  {
    value: '20%',
    wordings: [
      'It should supply 20% of the region\u2019s electricity.',
      'Planners expect the turbines to cover 20% of local power demand.',
    ],
  },
  {
    value: '4 years',
    wordings: [
      'Construction is expected to take 4 years, the energy department said.',
      'The energy department estimates 4 years of building work.',
    ],
  },
  {
    value: '6 years',
    wordings: [
      'Engineers warned construction could take 6 years because of winter storms.',
      'Some engineers think 6 years is more realistic given the storms.',
    ],
  },
  { value: '31 to 12', wordings: ['Councillors voted 31 to 12 in favour.', 'The motion passed 31 to 12 after a long debate.'] },
  {
    value: '1,200 jobs',
    wordings: [
      'The mayor said the plant would create 1,200 jobs.',
      'About 1,200 jobs are promised during construction, according to the mayor.',
    ],
  },
  {
    value: '48 turbines',
    wordings: ['The design calls for 48 turbines on the seabed.', 'Engineers will anchor 48 turbines in the channel.'],
  },
  {
    value: '€40 million',
    wordings: [
      'A €40 million fund will compensate fishing groups.',
      'Fishing groups will share a €40 million compensation fund, the council said.',
    ],
  },
];

function sentence(rand: () => number, words: number): string {
  const out = Array.from({ length: words }, () => WORDS[Math.floor(rand() * WORDS.length)]!);
  return `${out[0]!.charAt(0).toUpperCase()}${out[0]!.slice(1)} ${out.slice(1).join(' ')}.`;
}

/** One story covered by `n` articles, with planted figures; returns the values planted. */
function syntheticStory(n: number, seed: number): { story: StoryInput; planted: Set<string> } {
  const rand = prng(seed);
  const planted = new Set<string>();
  const articles: StoryArticle[] = [];
  for (let i = 0; i < n; i++) {
    const paragraphs: string[] = [
      [
        'The harbor city council approved a tidal power plant on Thursday.',
        'A tidal power plant won the council\u2019s approval on Thursday.',
        'Councillors backed the tidal plant in Thursday\u2019s vote.',
      ][i % 3]!,
    ];
    const figures = [...STORY_FIGURES].sort(() => rand() - 0.5).slice(0, 2 + Math.floor(rand() * 3));
    for (const f of figures) {
      paragraphs.push(f.wordings[Math.floor(rand() * f.wordings.length)]!);
      planted.add(f.value);
    }
    // Some outlets add a figure of their own (a local detail nobody else reports).
    if (rand() < 0.3) {
      const value = `${50 + i} residents`;
      paragraphs.push(`At the hearing, ${value} signed a petition about noise from the site, the ${OUTLETS[i % OUTLETS.length]} learned.`);
      planted.add(value);
    }
    // Background and colour: what makes real articles long, and what evidence selection drops.
    for (let p = 0; p < 22; p++)
      paragraphs.push(`${sentence(rand, 12 + Math.floor(rand() * 10))} ${sentence(rand, 10 + Math.floor(rand() * 10))}`);
    articles.push({
      id: `a${i + 1}`,
      title: `Tidal plant approved (${OUTLETS[i % OUTLETS.length]} ${i + 1})`,
      url: `https://example.test/story/${i + 1}`,
      publisher: OUTLETS[i % OUTLETS.length]!,
      publishedAt: '2026-11-20T08:00:00Z',
      text: paragraphs.sort(() => (rand() < 0.15 ? -1 : 0)).join('\n\n'),
    });
  }
  return { story: { id: 's1', articles }, planted };
}

/** The naive prompt: same template, every article's full text fenced. */
function naiveEvidence(articles: readonly StoryArticle[]): string {
  return articles
    .map((a) => `<article id="${escapeAttribute(a.id)}" title="${escapeAttribute(a.title)}">\n${escapeForFence(a.text)}\n</article>`)
    .join('\n\n');
}

const RUNS = 3;
const fake = await startFakeOpenAi();
const extractive = new ExtractiveSummarizer();
const rows: string[] = [];
let ratioAt50 = Number.NaN;
let allKept = true;

for (const n of [10, 50, 200]) {
  const { story, planted } = syntheticStory(n, 1000 + n);

  // Naive baseline: one call with everything.
  fake.requests.length = 0;
  const chat = new OpenAiJsonChat({ apiKey: 'bench', baseURL: fake.baseURL, model: 'bench-model', maxRetries: 0 });
  const naivePrompt = defaultPrompts().render('story-summary', {
    story_id: story.id,
    article_ids: story.articles.map((a) => a.id).join(', '),
    evidence: naiveEvidence(story.articles),
  });
  const naive = await chat.json({ system: naivePrompt.system, user: naivePrompt.user, schema: storyOutputSchema, schemaName: 'story' });

  // Evidence selection (+ map-reduce above 50 articles), a few runs for the timing.
  const runs: { tokens: number; calls: number; ms: number; rss: number; heap: number; sent: string }[] = [];
  for (let r = 0; r < RUNS; r++) {
    fake.requests.length = 0;
    const summarizer = new LlmSummarizer({
      apiKey: 'bench',
      baseURL: fake.baseURL,
      model: 'bench-model',
      maxRetries: 0,
      fallback: extractive,
    });
    const m = await measure(() => summarizer.summarize(story));
    if (m.result.note) throw new Error(`unexpected fallback at ${n} articles: ${m.result.note}`);
    runs.push({
      tokens: m.result.usage.promptTokens,
      calls: m.result.usage.llmCalls,
      ms: m.ms,
      rss: m.peakRssMb,
      heap: m.peakHeapMb,
      sent: fake.requests.map((q) => userPrompt(q)).join('\n'),
    });
  }
  const selectionMs = median(
    Array.from({ length: RUNS }, () => {
      const t = performance.now();
      selectEvidence(story.articles);
      return performance.now() - t;
    }),
  );
  const run = runs[0]!;
  const lost = [...planted].filter((v) => !run.sent.includes(escapeForFence(v)));
  if (lost.length > 0) allKept = false;
  const represented = new Set(fencedArticleIds(run.sent)).size;
  const ratio = run.tokens / naive.usage.promptTokens;
  if (n === 50) ratioAt50 = ratio;
  const naiveCheck = countTokens(naivePrompt.system + '\n' + naivePrompt.user);
  rows.push(
    `| ${n} | ${naive.usage.promptTokens.toLocaleString('en')} | ${run.tokens.toLocaleString('en')} | ${(ratio * 100).toFixed(1)}% | ${run.calls} | ${planted.size - lost.length}/${planted.size}${lost.length ? ` (lost: ${lost.join(', ')})` : ''} | ${represented}/${n} | ${selectionMs.toFixed(1)} | ${median(runs.map((x) => x.ms)).toFixed(0)} | ${Math.max(...runs.map((x) => x.rss)).toFixed(0)} / ${Math.max(...runs.map((x) => x.heap)).toFixed(0)} |`,
  );
  if (Math.abs(naiveCheck - naive.usage.promptTokens) > 2) throw new Error('fake usage and local count disagree');
}
await fake.close();

console.log(`## LLM prompt tokens per story: evidence selection vs naive

Synthetic story (one event, 8 shared planted figures in varied wordings, ~30% of articles with a figure
of their own, ~22 paragraphs of background each). Tokens are what the fake OpenAI-compatible server
received (prompt_tokens, chars/4), system prompt included. "Selected" is the real LlmSummarizer:
evidence selection (~2,500 tokens per prompt, stretched up to 4,000 so every article
is citable), map-reduce above 50 articles (chunk prompts + merge).
Timings are medians of ${RUNS} runs against the local fake server; memory is peak RSS / heap (MB).

| articles | naive prompt tokens | selected prompt tokens | ratio | LLM calls | planted figures in prompt | articles citable (≥ 1 sentence sent) | evidence selection ms (all articles, one pass) | summarize ms | peak RSS / heap MB |
| ---: | ---: | ---: | ---: | ---: | :--- | ---: | ---: | ---: | ---: |
${rows.join('\n')}

At 50 articles: **${(ratioAt50 * 100).toFixed(1)}%** of the naive tokens (target ≤ 15%); planted figures lost: **${allKept ? 'none' : 'SOME (see table)'}**.
`);
process.exitCode = allKept && ratioAt50 <= 0.15 ? 0 : 1;
