/**
 * Extraction: the shared china-ai corpus (read at run time, never copied) must come out with
 * none of EXPECTED.md's "Must never appear" strings; the bundled demo corpus and our own HTML
 * fixtures come out with their metadata and without their furniture.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { extractFromHtml, extractFromText, htmlToText, removeFurniture } from '../src/collect/pages/index.ts';
import { toIsoDate } from '../src/text/dates.ts';
import type { ExtractedArticle } from '../src/collect/pages/index.ts';
import { CORPUS_MUST_NEVER_APPEAR } from './helpers/corpus.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const corpus = fileURLToPath(new URL('../../shared/corpus/china-ai/', import.meta.url));
const demo = join(root, 'demo', 'china-ai');
const pages = join(root, 'test', 'fixtures', 'pages');
const skipCorpus = existsSync(corpus) ? false : `corpus not found at ${corpus}`;

/** EXPECTED.md's "Must never appear" list, plus the other furniture of those five files. */
const NEVER = [
  ...CORPUS_MUST_NEVER_APPEAR,
  'Back to stories',
  'View original source',
  'on Pexels',
  '[Photo',
  'www.digitaltoday.co.kr',
  'Against this',
  '###',
  '**',
  '💬',
  '🔒',
];

function corpusArticle(prefix: string): ExtractedArticle & { url?: string } {
  const file = readdirSync(corpus).find((f) => f.startsWith(prefix) && f.endsWith('.txt'));
  assert.ok(file, `no corpus file ${prefix}`);
  return extractFromText(readFileSync(join(corpus, file), 'utf8'), { format: 'text', fileName: file });
}

function paragraphs(text: string): string[] {
  return text.split('\n\n');
}

/** Furniture checks shared by every extracted article. */
function assertClean(article: ExtractedArticle, label: string, never: readonly string[] = NEVER): void {
  for (const s of never) {
    assert.ok(!article.title.includes(s), `${label}: title contains ${JSON.stringify(s)}`);
    assert.ok(!article.text.includes(s), `${label}: text contains ${JSON.stringify(s)}`);
  }
  const norm = (s: string) =>
    s
      .toLowerCase()
      .replace(/[^\p{L}\p{N}]+/gu, ' ')
      .trim();
  for (const p of paragraphs(article.text)) {
    assert.notEqual(norm(p), norm(article.title), `${label}: headline repeated in the text`);
    assert.ok(!/^\s*\|\s*$/.test(p) && !/\s\|$/.test(p), `${label}: stray "|" in ${JSON.stringify(p)}`);
    assert.ok(!/^source$/i.test(p.trim()), `${label}: bare "Source" line`);
    assert.ok(!/^https?:\/\/\S+$/.test(p.trim()), `${label}: bare URL line`);
  }
  assert.ok(!article.text.includes('\n\n\n'), `${label}: paragraphs are separated by exactly one blank line`);
}

describe('the shared china-ai corpus', { skip: skipCorpus }, () => {
  test('no file keeps anything EXPECTED.md says must never appear', () => {
    const files = readdirSync(corpus).filter((f) => f.endsWith('.txt'));
    assert.equal(files.length, 5);
    for (const file of files) {
      const article = extractFromText(readFileSync(join(corpus, file), 'utf8'), { format: 'text', fileName: file });
      assert.ok(article.title.length > 10, `${file}: a title`);
      assert.ok(article.text.length > 1000, `${file}: the article text is kept`);
      assertClean(article, file);
    }
  });

  test('000: headline kept once, glued Markdown headings split into their own paragraphs', () => {
    const a = corpusArticle('000');
    assert.equal(a.title, "Former Tencent AI Lead Surprises China's Firms with Insight into Their Core LLM Innovation");
    assert.ok(!a.text.includes('Innovation**') && !a.text.startsWith('Former Tencent'));
    const ps = paragraphs(a.text);
    assert.ok(ps[0]?.startsWith('In an interview with The South China Morning Post'), ps[0]);
    assert.ok(ps.includes("Key Developments: Tencent's Insight into China's AI Landscape"));
    assert.ok(ps.some((p) => p.startsWith('The former Tencent lead emphasized')));
    assert.ok(ps.includes('Conclusion: Addressing the AI Innovation Gap'));
    assert.ok(!/LandscapeThe|GrowthThe|GapThe/.test(a.text));
    assert.ok(a.text.endsWith('compete with US-based rivals.'));
  });

  test('001: comment footers and the self-promotion go, the AFP attribution stays', () => {
    const a = corpusArticle('001');
    assert.equal(a.title, 'The Gap in Fundamental LLM Innovation');
    assert.ok(a.text.includes('reported by AFP'));
    assert.ok(a.text.includes('it is crucial to maintain an updated view of the global LLM innovation landscape'));
    assert.ok(!a.text.includes('AI-RADAR'));
  });

  test('002: triple headline once, metadata read, figures kept, truncated tail dropped', () => {
    const a = corpusArticle('002');
    assert.equal(a.title, 'Former Tencent AI chief says LLMs cannot beat U.S., points to AI video as next battleground');
    assert.ok(!a.text.includes('Former Tencent AI chief says'));
    assert.equal(a.publishedAt, '2026-05-22T02:14:00.000Z');
    assert.equal(a.publisher, 'digitaltoday.co.kr');
    assert.match(a.url ?? '', /^https:\/\/www\.digitaltoday\.co\.kr\/en\/view\/57733\//);
    for (const figure of ['at least 3 months', '6 months', 'GPT-5.6', 'Liu Wei', 'paradigm innovation']) {
      assert.ok(a.text.includes(figure), `keeps ${figure}`);
    }
    // The caption names Kling (the claim about AI video needs it); only its credit goes.
    assert.ok(a.text.includes('Kling'));
    assert.ok(a.text.trim().endsWith('presenting new technological directions directly.'));
  });

  test('003: the figure stays, the near-identical second headline goes', () => {
    const a = corpusArticle('003');
    assert.equal(a.title, "China's AI Leaders Admit Lag: Less Than 20% Chance to Beat US Giants");
    assert.ok(a.text.includes('less than 20%'));
    assert.ok(a.text.includes('the gap may actually be widening'));
    assert.ok(!a.text.includes('China AI Leaders See Less Than 20% Chance'));
  });

  test('004: nav, photo credit and tag tail go; the SCMP/date line is read', () => {
    const a = corpusArticle('004');
    assert.match(a.title, /^China is losing the LLM race but can still win in AI/);
    assert.equal(a.publisher, 'SCMP');
    assert.equal(a.publishedAt, '2026-05-22T00:00:00.000Z');
    assert.ok(paragraphs(a.text)[0] === 'The assessment');
    assert.ok(!/\n\nAI$/.test(a.text), 'the trailing tag line "AI" is dropped');
    assert.ok(a.text.includes('can still "win"'));
  });
});

describe('the bundled demo corpus', () => {
  const DEMO_FURNITURE = [
    'Back to',
    'Comments (0)',
    'Log in or register',
    'Photo by',
    '[Photo',
    'Share this',
    'Read more',
    'Subscribe',
    'cookies',
    'Next article',
    'Be the first',
    'Source Domain',
    'Published:',
    'Publish Date',
    'Source:',
    'Image: Getty',
    '(Reuters/',
    'first appeared on',
    '图片来源',
    '暂无评论',
    'Related stories',
    'All rights reserved',
    'Home',
    '首页',
    'By Mei Lin Chau',
    'By Sara',
    'Asia Markets Digest |',
  ];
  const files = readdirSync(demo).sort();

  test('has 8–12 articles in .txt, .md and .html', () => {
    assert.ok(files.length >= 8 && files.length <= 12, `${files.length} files`);
    assert.deepEqual([...new Set(files.map((f) => extname(f)))].sort(), ['.html', '.md', '.txt']);
  });

  const extracted = new Map(
    files.map((f) => {
      const raw = readFileSync(join(demo, f), 'utf8');
      const article: ExtractedArticle =
        extname(f) === '.html'
          ? extractFromHtml(raw, `file://${join(demo, f)}`)
          : extractFromText(raw, { format: extname(f) === '.md' ? 'markdown' : 'text', fileName: f });
      return [f, article] as const;
    }),
  );

  test('every article has a title, a date, real text and no furniture', () => {
    for (const [file, article] of extracted) {
      assert.ok(article.title.length > 10, `${file}: title`);
      assert.ok(article.publishedAt?.startsWith('2026-05-'), `${file}: publishedAt ${article.publishedAt}`);
      assert.ok(article.text.length > 150, `${file}: text`);
      assertClean(article, file, [...NEVER, ...DEMO_FURNITURE]);
    }
  });

  test('metadata of the demo articles', () => {
    const get = (prefix: string) => [...extracted.entries()].find(([f]) => f.startsWith(prefix))?.[1];
    assert.equal(get('01')?.author, 'Mei Lin Chau');
    assert.equal(get('02')?.publisher, 'Pacific AI Wire');
    assert.equal(get('03')?.publisher, 'TechLedger');
    assert.equal(get('03')?.canonicalUrl, 'https://techledger.example/2026/05/tencent-ai-leader-llm-innovation');
    assert.equal(get('06')?.author, 'Sara Lindqvist');
    assert.equal(get('06')?.publisher, 'AI Frontier Notes');
    assert.equal(get('09')?.lang, 'zh-CN');
    assert.equal(get('10')?.publisher, 'SCMP');
    // The syndicated copy keeps the same body as its original.
    assert.equal(get('04')?.text, get('01')?.text);
  });
});

describe('web pages', () => {
  const page = (name: string) => readFileSync(join(pages, name), 'utf8');

  test('a news page: metadata from JSON-LD, OpenGraph and the canonical link; no furniture', () => {
    const a = extractFromHtml(page('news-full.html'), 'https://lantern.example/tech/chip-curbs-lean-models?utm_medium=rss');
    assert.equal(a.title, 'Chip curbs push Chinese labs toward leaner models');
    assert.equal(a.publisher, 'Lantern Tech News');
    assert.equal(a.author, 'Priya Natarajan, Tom Becker');
    assert.equal(a.publishedAt, '2026-05-20T23:45:00.000Z');
    assert.equal(a.lang, 'en-GB');
    assert.equal(a.canonicalUrl, 'https://lantern.example/tech/chip-curbs-lean-models');
    const ps = paragraphs(a.text);
    assert.equal(ps.length, 4, a.text);
    assert.ok(ps[0]?.startsWith('Export restrictions on advanced accelerators'));
    assert.ok(a.text.includes('roughly 6,000'));
    assert.ok(a.text.includes('investors & customers'), 'entities decoded');
    // Sentences that merely mention a photo or a source are content.
    assert.ok(a.text.includes('The photo agencies that once covered product launches'));
    for (const s of [
      'cookies',
      'Accept',
      'Sign up',
      'newsletter',
      'Subscribe',
      'Related stories',
      'Inside the race',
      'Comments',
      'Great article',
      'Log in',
      'Share this',
      'Tweet',
      'Unsplash',
      'Reuters',
      'Home',
      'Markets',
      '©',
      'By Priya',
      'window.tracking',
      'color:red',
    ]) {
      assert.ok(!a.text.includes(s), `furniture ${JSON.stringify(s)} in ${a.text}`);
    }
  });

  test('a Chinese page: title, language, date, no share bar, comments, credit or editor line', () => {
    const a = extractFromHtml(page('zh-news.html'), 'https://chenguang.example/tech/1.html');
    assert.equal(a.title, '国产视频大模型用户突破千万');
    assert.equal(a.lang, 'zh-CN');
    assert.equal(a.publisher, '晨光网');
    assert.equal(a.publishedAt, '2026-05-20T09:30:00.000Z');
    assert.equal(paragraphs(a.text).length, 3, a.text);
    assert.ok(a.text.includes('注册用户已经突破一千万'));
    for (const s of ['首页', '图片来源', '责任编辑', '分享到', '暂无评论', '发表评论', '来源']) assert.ok(!a.text.includes(s), s);
  });

  test('a Chinese portal title loses its channel and site suffix', () => {
    const html = page('zh-news.html').replace(/<h1>[^<]*<\/h1>/, '');
    assert.equal(extractFromHtml(html, 'https://chenguang.example/tech/1.html').title, '国产视频大模型用户突破千万');
  });

  test('a page that is not an article gives no text, not its navigation', () => {
    const a = extractFromHtml(page('not-article.html'), 'https://lantern.example/');
    assert.ok(a.text.length < 100, JSON.stringify(a.text));
    for (const s of ['Home', 'World', 'cookies', 'Chip curbs', 'Most read', 'Privacy']) assert.ok(!a.text.includes(s), s);
  });

  test('pathologically deep markup is read without Readability and without stalling', () => {
    const html = `${'<div>'.repeat(3000)}<p>Deep text about AI chips and export rules, long enough to matter.</p>${'</div>'.repeat(3000)}`;
    assert.equal(
      extractFromHtml(html, 'https://example.test/deep').text,
      'Deep text about AI chips and export rules, long enough to matter.',
    );
    assert.equal(htmlToText(html), 'Deep text about AI chips and export rules, long enough to matter.');
  });

  test('broken markup and broken JSON-LD still give the text', () => {
    const html = `<html><head><script type="application/ld+json">{not json</script><meta property="og:title" content="A title"></head>
      <body><div><p>First paragraph of a short item about AI chips, long enough to count as text here.<p>Second one, unclosed, also about chips and the export rules that shape them.</div>`;
    const a = extractFromHtml(html, 'https://example.test/x');
    assert.equal(a.title, 'A title');
    assert.match(a.text, /First paragraph of a short item/);
    assert.match(a.text, /Second one, unclosed/);
  });
});

describe('htmlToText (feed content)', () => {
  test('tags gone, entities decoded, paragraphs kept, furniture removed', () => {
    const html = `<p>Kuaishou&rsquo;s Kling passed <b>45&nbsp;million</b> creators &amp; counting.</p>
      <p>Prices start at 66 yuan.<br>Enterprise plans via API.</p>
      <figure><img src="x.jpg"><figcaption>Photo by A. B. on Unsplash</figcaption></figure>
      <p><a href="https://example.test/story">Read more</a></p>
      <p>The post <a href="https://x.test">Kling passes 45m</a> appeared first on <a href="https://x.test">X</a>.</p>`;
    const text = htmlToText(html);
    assert.ok(text.startsWith('Kuaishou’s Kling passed 45 million creators & counting.'), text);
    assert.ok(text.includes('Prices start at 66 yuan.'));
    assert.ok(!/<|Read more|Unsplash|&amp;|&rsquo;|appeared first/.test(text), text);
  });

  test('a teaser keeps its text, loses its "Continue reading" link', () => {
    assert.equal(
      htmlToText('<p>Kuaishou released Kling 3.0 on Wednesday. <a href="/k">Continue reading →</a></p>'),
      'Kuaishou released Kling 3.0 on Wednesday.',
    );
  });

  test('plain text and empty input', () => {
    assert.equal(htmlToText(''), '');
    assert.equal(htmlToText('Just a teaser about AI…'), 'Just a teaser about AI…');
  });
});

describe('removeFurniture', () => {
  test('keeps sentences that merely mention photos, sources or comments', () => {
    const text =
      'Sources close to the company said the photo was staged.\n\nThe comments from Liu drew attention across the industry.\n\nSource';
    assert.equal(
      removeFurniture(text),
      'Sources close to the company said the photo was staged.\n\nThe comments from Liu drew attention across the industry.',
    );
  });

  test('keeps content that starts like furniture', () => {
    const lines = [
      'Next year, the company plans to double its spending on chips.',
      'By Monday, the company had reversed course.',
      'See more details in the filing, the regulator said.',
      'Copyright lawsuits against AI labs multiplied this year.',
      'Get ready for updates to the export rules, officials warned.',
      'Photographs of the new data centre circulated on Weibo.',
      'Home prices in Shenzhen rose 3% in May.',
      'Share prices of Kuaishou rose 5% after the launch.',
    ];
    const text = lines.join('\n\n');
    assert.equal(removeFurniture(text), text);
  });

  test('drops a short truncated last fragment and a tag line, but not a lone teaser', () => {
    assert.equal(removeFurniture('A full paragraph about chips.\n\nAgainst this…'), 'A full paragraph about chips.');
    assert.equal(removeFurniture('A full paragraph about chips.\n\nAI'), 'A full paragraph about chips.');
    assert.equal(removeFurniture('Only a teaser…'), 'Only a teaser…');
  });

  test('splits a glued heading, but not inside brand names the text uses', () => {
    const text = 'DeepSeek changed things.### What DeepSeek ChangedThe lab released weights openly.';
    assert.equal(removeFurniture(text), 'DeepSeek changed things.\n\nWhat DeepSeek Changed\n\nThe lab released weights openly.');
  });

  test('hostile text neither throws nor hangs (long glued words, unclosed brackets, many lines)', () => {
    assert.doesNotThrow(() => removeFurniture(`### ${'aB'.repeat(40_000)}`));
    assert.equal(removeFurniture('a\n'.repeat(20_000)).length, 'a '.repeat(20_000).length - 1);
    assert.doesNotThrow(() => extractFromText('[Photo: '.repeat(5_000) + '<a'.repeat(5_000), { format: 'markdown' }));
  });

  test('removes the repeated headline, glued or alone', () => {
    const title = 'Kling 3.0 arrives as Kuaishou bets on video';
    assert.equal(
      removeFurniture(`${title}\n\n${title}Kuaishou released a model on Monday.`, title),
      'Kuaishou released a model on Monday.',
    );
  });

  test('menus, bylines, cookie notices, newsletter boxes and comment counts', () => {
    const text = [
      'Home | World | Tech',
      'By Jane Doe · 22 May 2026',
      'We use cookies to improve your experience. Accept all',
      'Subscribe to our newsletter for daily updates.',
      '💬 Comments (12)',
      'By contrast, the second model was cheaper.',
    ].join('\n\n');
    assert.equal(removeFurniture(text), 'By contrast, the second model was cheaper.');
  });
});

describe('extractFromText (Markdown and metadata)', () => {
  test('Markdown syntax becomes plain text; front matter is metadata', () => {
    const md = [
      '---',
      'title: "Qwen team ships a new model"',
      'date: 2026-05-21',
      'author: Ana Ruiz',
      'publisher: Frontier Notes',
      'url: https://notes.example/qwen',
      '---',
      '# Qwen team ships a new model',
      '',
      'The **Qwen** team at [Alibaba](https://alibaba.example) released a model',
      'that is *faster* than the last one.',
      '',
      '![chart](chart.png)',
      '',
      '- it costs less',
      '- it runs on `older` chips',
      '',
      '> "We focused on efficiency," a lead said.',
    ].join('\n');
    const a = extractFromText(md, { format: 'markdown', fileName: 'qwen.md' });
    assert.equal(a.title, 'Qwen team ships a new model');
    assert.equal(a.publishedAt, '2026-05-21T00:00:00.000Z');
    assert.equal(a.author, 'Ana Ruiz');
    assert.equal(a.publisher, 'Frontier Notes');
    assert.equal(a.url, 'https://notes.example/qwen');
    assert.equal(
      a.text,
      'The Qwen team at Alibaba released a model that is faster than the last one.\n\nit costs less\n\nit runs on older chips\n\n"We focused on efficiency," a lead said.',
    );
  });

  test('no headline line: the first sentence stands in and the file name is the last resort', () => {
    const long = `${'The model was trained on a large cluster of older accelerators in Guizhou. '.repeat(4)}`;
    assert.equal(
      extractFromText(long, { format: 'text' }).title,
      'The model was trained on a large cluster of older accelerators in Guizhou',
    );
    assert.equal(extractFromText('', { format: 'text', fileName: '/x/07-kling-launch.txt' }).title, 'kling launch');
  });

  test('Chinese text is tagged zh', () => {
    assert.equal(extractFromText('刘威谈中美差距\n\n刘威认为，目前中美之间的技术差距至少为3个月。', { format: 'text' }).lang, 'zh');
  });
});

test('toIsoDate reads the forms pages use', () => {
  assert.equal(toIsoDate('2026-05-22 02:14:00'), '2026-05-22T02:14:00.000Z');
  assert.equal(toIsoDate('2026-05-22T10:00:00+08:00'), '2026-05-22T02:00:00.000Z');
  assert.equal(toIsoDate('2026-05-22T10:00:00+0800'), '2026-05-22T02:00:00.000Z');
  assert.equal(toIsoDate('22 May 2026'), '2026-05-22T00:00:00.000Z');
  assert.equal(toIsoDate('May 22, 2026'), '2026-05-22T00:00:00.000Z');
  assert.equal(toIsoDate('2026年5月22日'), '2026-05-22T00:00:00.000Z');
  assert.equal(toIsoDate('Fri, 22 May 2026 02:14:00 GMT'), '2026-05-22T02:14:00.000Z');
  assert.equal(toIsoDate('2026-02-31'), undefined);
  assert.equal(toIsoDate('yesterday'), undefined);
  assert.equal(toIsoDate('0001-01-01'), undefined);
});
