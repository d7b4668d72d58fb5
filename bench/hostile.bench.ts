/**
 * Hostile-input budget: any single article or file up to the caps (20 MB local file, 500
 * feed items, 200,000 characters of article text) is briefed in ≤ 5 s and ≤ 500 MB RSS.
 * Each input is briefed by the built CLI as its own process (`brief t --source FILE --offline`: no
 * teaser page is fetched; a fresh
 * database each time: collect and brief), timed, with the child's peak RSS read from
 * process.resourceUsage() at its exit. Medians of 3, next to a floor: a one-article brief.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median } from './measure.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const MB = 1_000_000;
const FILE_CAP = 20 * MB - 1000;
const RUNS = 3;

const WORDS = [
  'the',
  'harbour',
  'council',
  'said',
  'ferry',
  'bridge',
  'repairs',
  'would',
  'take',
  'longer',
  'but',
  'engineers',
  'disagreed',
  'on',
  'Monday',
];

/** `bytes` of text made by repeating `unit`. */
function repeat(unit: string, bytes: number): string {
  return unit.repeat(Math.max(1, Math.floor(bytes / unit.length)));
}

function words(bytes: number, sep = ' '): string {
  const parts: string[] = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const w = WORDS[(i * 7) % WORDS.length]!;
    parts.push(w);
    size += w.length + sep.length;
  }
  return parts.join(sep);
}

const PROSE_PARAGRAPH =
  'The harbour council said on Monday that repairs to the old swing bridge would take until March, ' +
  'three months longer than planned, and cost 14 million euros. Engineers from the transport office disagreed, ' +
  'according to the Valley Post, saying the work could finish by February if the ferry ran at night. ' +
  '"We will not cut corners," deputy mayor Ines Varga told reporters, but unions warned of 120 job cuts.\n\n';

interface Input {
  readonly name: string;
  readonly file: string;
  readonly content: () => string | Buffer;
}

const INPUTS: readonly Input[] = [
  { name: 'floor: one short article (.txt)', file: 'floor.txt', content: () => `Bridge repairs run late\n\n${PROSE_PARAGRAPH}` },
  { name: '9.6 MB of words, no punctuation, one line (.txt)', file: 'wall.txt', content: () => `Wall of words\n\n${words(9_600_000)}\n` },
  {
    name: '20 MB of words, no punctuation, one line (.txt)',
    file: 'wall20.txt',
    content: () => `Wall of words\n\n${words(FILE_CAP - 100)}\n`,
  },
  {
    name: '20 MB of prose paragraphs (.txt)',
    file: 'prose.txt',
    content: () => `A very long article\n\n${repeat(PROSE_PARAGRAPH, FILE_CAP - 100)}`,
  },
  {
    name: '20 MB of capitals, one "word" (.txt)',
    file: 'caps.txt',
    content: () => `Capitals\n\nAccording to the ${repeat('A', FILE_CAP - 200)} reported\n`,
  },
  {
    name: '20 MB of " but " clauses (.txt)',
    file: 'but.txt',
    content: () => `Buts\n\n${repeat('Liu Wei said the gap is small, but ', FILE_CAP - 100)}\n`,
  },
  {
    name: '20 MB Markdown: table rows of spaces (.md)',
    file: 'table.md',
    content: () =>
      `# Table\n\nSome words about the harbour council and the ferry repairs here.\n\n${repeat(`|${' '.repeat(5000)}x\n`, FILE_CAP - 200)}`,
  },
  {
    name: '20 MB HTML article, 40,000 paragraphs (.html)',
    file: 'page.html',
    content: () =>
      `<html><head><title>Long page</title></head><body><article><h1>Long page</h1>${repeat(`<p>${PROSE_PARAGRAPH.trim()}</p>\n`, FILE_CAP - 500)}</article></body></html>`,
  },
  {
    name: '20 MB HTML of unclosed tags (.html)',
    file: 'tags.html',
    content: () => `<html><body><p>Harbour council words here for the ferry.</p>${repeat('<div <b <i ', FILE_CAP - 200)}</body></html>`,
  },
  {
    name: '20 MB RSS feed, 70,614 items (.xml)',
    file: 'feed.xml',
    content: () => {
      const items: string[] = [];
      let size = 0;
      for (let i = 0; size < FILE_CAP - 200; i++) {
        const item = `<item><title>Notice ${i} on bay ${i}</title><link>https://n.example.com/${i}</link><pubDate>${new Date(Date.UTC(2026, 0, 1) + i * 60_000).toUTCString()}</pubDate><description>Parking bay ${i} on Example Street is closed for resurfacing, the council said in notice ${i} on Monday afternoon.</description></item>`;
        items.push(item);
        size += item.length;
      }
      return `<?xml version="1.0"?><rss version="2.0"><channel><title>Notices</title>${items.join('')}</channel></rss>`;
    },
  },
  {
    name: '20 MB RSS item of unclosed <script / CDATA (.xml)',
    file: 'evil-feed.xml',
    content: () =>
      `<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><item><title>Evil</title><link>https://e.example.com/1</link><description>${repeat('&lt;script &lt;![CDATA[ ', FILE_CAP - 400)}</description></item></channel></rss>`,
  },
  {
    name: '20 MB RSS item of 2.5 million tiny elements (.xml)',
    file: 'elements-feed.xml',
    content: () =>
      `<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><item><title>Crowded</title><link>https://e.example.com/2</link><description>Harbour words.</description>${repeat('<b>w</b>', FILE_CAP - 400)}</item></channel></rss>`,
  },
  {
    // The element cap at full use in every item read (the text of these items is short: what
    // many long, similar items cost is the collect's own matter, not the XML parser's).
    name: 'RSS, 500 items of 200 elements each (.xml)',
    file: 'busy-items.xml',
    content: () => {
      const items = Array.from({ length: 500 }, (_, i) => {
        const tags = Array.from({ length: 196 }, (_, j) => `<category>${WORDS[(i + j) % WORDS.length]} ${j}</category>`).join('');
        return `<item><title>Notice ${i} on bay ${i}</title><link>https://b.example.com/${i}</link><pubDate>${new Date(Date.UTC(2026, 0, 1) + i * 60_000).toUTCString()}</pubDate>${tags}<description>${PROSE_PARAGRAPH.trim()}</description></item>`;
      });
      return `<?xml version="1.0"?><rss version="2.0"><channel><title>Busy</title>${items.join('')}</channel></rss>`;
    },
  },
  {
    // Within every cap: 500 long items that share most of their words share LSH bands without
    // being copies, so each is checked exactly against its best candidates (at most 16), and
    // clustering reads the first 12,000 characters of each.
    name: 'RSS, 500 items of 37 KB sharing most of their words (.xml)',
    file: 'similar-items.xml',
    content: () => {
      let seed = 7;
      const next = (n: number): number => {
        seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0;
        return seed % n;
      };
      const vocabulary = Array.from({ length: 3000 }, (_, i) => `w${i.toString(36)}${'abcdefgh'.slice(0, 2 + (i % 6))}`);
      const base = Array.from({ length: 4000 }, () => vocabulary[next(vocabulary.length)]!);
      const items = Array.from({ length: 500 }, (_, i) => {
        const text = [...base];
        for (let k = 0; k < 200; k++) text[next(text.length)] = vocabulary[next(vocabulary.length)]!;
        const sentences: string[] = [];
        for (let j = 0; j < text.length; j += 15) sentences.push(`${text.slice(j, j + 15).join(' ')}.`);
        return `<item><title>Report ${i} on the matter</title><link>https://s.example.com/${i}</link><pubDate>${new Date(Date.UTC(2026, 0, 1) + i * 60_000).toUTCString()}</pubDate><description><![CDATA[${sentences.join(' ')}]]></description></item>`;
      });
      return `<?xml version="1.0"?><rss version="2.0"><channel><title>Similar</title>${items.join('')}</channel></rss>`;
    },
  },
  {
    name: '20 MB Atom entry: one attribute value (.xml)',
    file: 'attribute-feed.xml',
    content: () =>
      `<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>T</title><entry><title>Long link</title><id>urn:a:1</id><link href="https://a.example.com/${repeat('a&amp;', FILE_CAP - 400)}"/><updated>2026-01-01T00:00:00Z</updated><summary>Harbour words.</summary></entry></feed>`,
  },
  {
    name: '20 MB processing instruction in an RSS item (.xml)',
    file: 'instruction-feed.xml',
    content: () =>
      `<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><item><title>Noted</title><link>https://e.example.com/3</link><description>Harbour words.</description><?note ${repeat('a b ', FILE_CAP - 400)}?></item></channel></rss>`,
  },
  {
    name: '20 MB RSS tag of 3 million attributes (.xml)',
    file: 'attributes-feed.xml',
    content: () =>
      `<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><item><title>Crowded tag</title><link>https://e.example.com/4</link><description>Harbour words.</description><x ${repeat('a="1" ', FILE_CAP - 400)}/></item></channel></rss>`,
  },
  {
    name: 'RSS item: one 1,000,000-letter word (.xml)',
    file: 'word-feed.xml',
    content: () =>
      `<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><item><title>One word</title><link>https://e.example.com/5</link><description>Harbour words. ${'a'.repeat(999_000)}</description></item></channel></rss>`,
  },
  {
    name: '20 MB RSS item of character references (&#65;) (.xml)',
    file: 'references-feed.xml',
    content: () =>
      `<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><item><title>References</title><link>https://e.example.com/6</link><description>Harbour words.${repeat('&#65;', FILE_CAP - 400)}</description></item></channel></rss>`,
  },
  {
    name: '20 MB RSS item of 2.8 million comments (.xml)',
    file: 'comments-feed.xml',
    content: () =>
      `<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><item><title>Comments</title><link>https://e.example.com/7</link><description>Harbour words.${repeat('<!---->', FILE_CAP - 400)}</description></item></channel></rss>`,
  },
  {
    name: '20 MB RSS item of 1.5 million CDATA sections (.xml)',
    file: 'sections-feed.xml',
    content: () =>
      `<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><item><title>Sections</title><link>https://e.example.com/8</link><description>Harbour words.${repeat('<![CDATA[a]]>', FILE_CAP - 400)}</description></item></channel></rss>`,
  },
];

function build(): void {
  const result = spawnSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) throw new Error('npm run build failed');
}

async function briefOnce(file: string, work: string): Promise<{ ms: number; rssMb: number; code: number | null; stderr: string }> {
  const db = join(work, `b-${Math.random().toString(36).slice(2)}.db`);
  const rssFile = join(work, 'rss.txt');
  const preload = `data:text/javascript,${encodeURIComponent(
    `import { writeFileSync } from 'node:fs'; process.on('exit', () => writeFileSync(${JSON.stringify(rssFile)}, String(process.resourceUsage().maxRSS)));`,
  )}`;
  const started = performance.now();
  const child = spawn(
    process.execPath,
    ['--import', preload, join(root, 'bin', 'briefbot.js'), 'brief', 'hostile', '--source', file, '--format', 'json', '--offline'],
    {
      cwd: work,
      env: { PATH: process.env['PATH'] ?? '', BRIEFBOT_DB: db, LOG_LEVEL: 'error' },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
  const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
  clearTimeout(timer);
  const ms = performance.now() - started;
  let rssMb = Number.NaN;
  try {
    rssMb = Number(readFileSync(rssFile, 'utf8')) / 1024;
  } catch {
    // killed before exit: no figure
  }
  rmSync(db, { force: true });
  return { ms, rssMb, code, stderr };
}

build();
const work = mkdtempSync(join(tmpdir(), 'briefbot-hostile-'));
mkdirSync(work, { recursive: true });
const out: string[] = [];
out.push('## Hostile inputs: one file, briefed by the CLI as its own process\n');
out.push(
  `Budget: ≤ 5 s and ≤ 500 MB peak RSS per input. Median of ${RUNS} runs; load average ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores at the start.\n`,
);
out.push('| input | size | exit | wall (s) | peak RSS (MB) | within budget |');
out.push('| --- | ---: | ---: | ---: | ---: | :---: |');
// BENCH_ONLY=<part of a row's name> runs the matching rows alone.
const only = process.env['BENCH_ONLY'];
for (const input of INPUTS.filter((i) => only === undefined || i.name.includes(only))) {
  const path = join(work, input.file);
  const content = input.content();
  writeFileSync(path, content);
  const runs = [];
  for (let i = 0; i < RUNS; i++) runs.push(await briefOnce(path, work));
  const ms = median(runs.map((r) => r.ms));
  const rss = median(runs.map((r) => r.rssMb));
  const codes = [...new Set(runs.map((r) => r.code))].join('/');
  const ok = runs.every((r) => r.code === 0) && ms <= 5000 && rss <= 500;
  out.push(
    `| ${input.name} | ${(content.length / MB).toFixed(1)} MB | ${codes} | ${(ms / 1000).toFixed(2)} | ${rss.toFixed(0)} | ${ok ? 'yes' : '**no**'} |`,
  );
  if (runs.some((r) => r.code !== 0))
    out.push(
      `|  ↳ ${runs
        .find((r) => r.code !== 0)!
        .stderr.split('\n')[0]!
        .slice(0, 150)
        .replace(/\|/g, '¦')} | | | | | |`,
    );
  rmSync(path, { force: true });
}
out.push(`\nLoad average at the end: ${loadavg()[0]!.toFixed(1)}.`);
rmSync(work, { recursive: true, force: true });
console.log(out.join('\n'));
