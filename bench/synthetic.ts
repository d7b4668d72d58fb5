/**
 * A generator of synthetic news corpora with planted ground truth, for benchmarks: stories
 * covered by several outlets in paraphrase (shared entities, figures and topic words, each
 * outlet wording them its own way), syndicated copies (same body under another headline,
 * furniture and lead), and noise articles that belong to no story. Seeded and deterministic.
 */

export interface SyntheticArticle {
  id: string;
  title: string;
  text: string;
  publisher: string;
  publishedAt: string;
  url: string;
}

export interface SyntheticCorpus {
  articles: SyntheticArticle[];
  /** Planted story of every article (noise articles are stories of one; copies share their original's). */
  goldStory: Map<string, string>;
  /** Syndicated copy → its original. */
  duplicateOf: Map<string, string>;
}

/** mulberry32: a small, fast, seedable PRNG. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SYLLABLES = [
  'ka',
  'lo',
  'mi',
  'ren',
  'tor',
  'vel',
  'san',
  'dri',
  'po',
  'lun',
  'zen',
  'mar',
  'ti',
  'bex',
  'qua',
  'nor',
  'fel',
  'gan',
  'hu',
  'jor',
  'kel',
  'ost',
  'pra',
  'sul',
  'ur',
  'vin',
  'wes',
  'yal',
];
const FIRST = [
  'Liu',
  'Zhang',
  'Maria',
  'James',
  'Aisha',
  'Kenji',
  'Olga',
  'Pedro',
  'Fatima',
  'Lars',
  'Priya',
  'Tomas',
  'Chen',
  'Amara',
  'Igor',
  'Sofia',
];
const ORG_KIND = ['Ministry', 'Institute', 'Group', 'Bank', 'Authority', 'Council', 'Labs', 'Holdings', 'Agency', 'University'];
const VERBS_SAID = ['said', 'told reporters', 'announced', 'confirmed', 'stated', 'noted', 'warned', 'argued'];
const GENERAL = `market growth policy plan report officials government company industry sector data
investment project development public national local region global economy price rate demand supply
program system capacity research technology network service support issue security workers customers
analysts experts leaders statement decision agreement meeting review process results figures change
pressure risk impact response concern future access funding budget target level quarter month`.split(/\s+/);
const OUTLETS = Array.from({ length: 40 }, (_, i) => `Outlet ${String.fromCharCode(65 + (i % 26))}${i >= 26 ? i : ''} News`);
const FURNITURE = [
  'Subscribe to our newsletter.',
  'Share this article.',
  'Advertisement',
  'Read more: latest headlines',
  'Photo: staff photographer',
  'Comments are closed.',
];

/**
 * A corpus of about `n` articles: ~82% in planted stories of 3–12 articles from distinct
 * outlets, ~8% syndicated copies of story articles, ~10% noise. Dates span n/40 days.
 */
export function generateCorpus(n: number, seed: number): SyntheticCorpus {
  const rand = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const int = (lo: number, hi: number): number => lo + Math.floor(rand() * (hi - lo + 1));
  const word = (): string => Array.from({ length: int(2, 3) }, () => pick(SYLLABLES)).join('');
  const cap = (w: string): string => w[0]!.toUpperCase() + w.slice(1);
  // A shared pool of topic words: stories draw from it, so stories overlap in vocabulary.
  const vocab = Array.from({ length: 3000 }, word);
  const spanDays = Math.max(10, Math.round(n / 40));
  const start = Date.UTC(2026, 0, 1);

  const articles: SyntheticArticle[] = [];
  const goldStory = new Map<string, string>();
  const duplicateOf = new Map<string, string>();
  const add = (a: Omit<SyntheticArticle, 'id' | 'url'>, story: string): SyntheticArticle => {
    const id = `s${seed}-${articles.length}`;
    const slug = a.title
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .slice(0, 50);
    const article = { ...a, id, url: `https://${a.publisher.toLowerCase().replace(/\s+/g, '')}.example/${slug}-${id}` };
    articles.push(article);
    goldStory.set(id, story);
    return article;
  };
  const filler = (k: number): string => Array.from({ length: k }, () => pick(GENERAL)).join(' ');
  const iso = (t: number): string => new Date(t).toISOString();

  const storyArticles: SyntheticArticle[] = [];
  let storyNo = 0;
  const noiseTarget = Math.round(n * 0.1);
  const copyTarget = Math.round(n * 0.08);
  while (articles.length < n - noiseTarget - copyTarget) {
    storyNo += 1;
    const story = `story-${storyNo}`;
    const person = `${pick(FIRST)} ${cap(word())}`;
    const org = `${cap(word())} ${pick(ORG_KIND)}`;
    const place = cap(word());
    const topic = Array.from({ length: 10 }, () => pick(vocab));
    const figures = [`${int(2, 95)}.${int(1, 9)}%`, `$${int(1, 900)} million`, `${int(100, 99_000).toLocaleString('en')} people`];
    const when = start + rand() * spanDays * 86_400_000;
    const size = Math.min(int(3, 12), n - noiseTarget - copyTarget - articles.length);
    const outlets = [...OUTLETS].sort(() => rand() - 0.5).slice(0, Math.max(1, size));
    for (let k = 0; k < Math.max(1, size); k += 1) {
      // Each outlet mentions most, not all, of the story's facts, in its own words.
      const t = (): string => pick(topic);
      const sentences = [
        `${place} ${t()} ${t()} ${filler(3)} after ${org} ${pick(VERBS_SAID)} ${t()} ${filler(2)} ${figures[0]}.`,
        `${person} of ${org} ${pick(VERBS_SAID)} the ${t()} ${t()} would ${filler(3)} ${t()} ${filler(2)}.`,
        `The ${t()} involves ${figures[1]} and about ${figures[2]}, ${filler(4)} ${t()}.`,
        `${cap(filler(3))} ${t()} ${t()} in ${place}, ${filler(5)}.`,
        `${cap(t())} ${filler(4)} ${t()} ${filler(3)} ${t()}.`,
        `Critics of ${org} ${pick(VERBS_SAID)} that ${filler(4)} ${t()} ${filler(2)}.`,
      ].filter(() => rand() < 0.85);
      const background = (): string =>
        `${cap(filler(int(5, 9)))} ${t()} ${filler(int(3, 6))}. ${cap(filler(int(4, 8)))} ${t()} ${filler(3)}.`;
      const body = [
        sentences.slice(0, 3).join(' '),
        sentences.slice(3).join(' '),
        background(),
        background(),
        `${cap(filler(int(6, 10)))}. ${cap(filler(int(5, 9)))}.`,
      ]
        .filter((p) => p !== '')
        .join('\n\n');
      const title = `${place} ${cap(t())} ${t()}: ${org} ${pick(['moves', 'plans', 'faces', 'backs', 'weighs'])} ${t()}`;
      storyArticles.push(
        add({ title, text: body, publisher: outlets[k]!, publishedAt: iso(when + (rand() - 0.3) * 36 * 3_600_000) }, story),
      );
    }
  }
  for (let k = 0; k < copyTarget && storyArticles.length > 0; k += 1) {
    const original = pick(storyArticles);
    const paragraphs = original.text.split('\n\n');
    const lead = `${cap(filler(6))} ${original.title.split(':')[0]} ${filler(4)}.`;
    const text = [pick(FURNITURE), lead, ...paragraphs.slice(1), pick(FURNITURE)].join('\n\n');
    const copy = add(
      {
        title: `${pick(['Wire:', 'Update:', 'Report:'])} ${original.title}`,
        text,
        publisher: pick(OUTLETS),
        publishedAt: iso(Date.parse(original.publishedAt) + int(1, 20) * 3_600_000),
      },
      goldStory.get(original.id)!,
    );
    duplicateOf.set(copy.id, original.id);
  }
  while (articles.length < n) {
    const topic = Array.from({ length: 6 }, () => pick(vocab));
    const t = (): string => pick(topic);
    const text = `${cap(t())} ${filler(6)} ${t()} ${int(2, 99)}%. ${cap(filler(5))} ${t()} ${t()}.\n\n${cap(filler(9))} ${t()}.`;
    add(
      {
        title: `${cap(t())} ${t()} ${filler(2)}`,
        text,
        publisher: pick(OUTLETS),
        publishedAt: iso(start + rand() * spanDays * 86_400_000),
      },
      `noise-${articles.length}`,
    );
  }
  return { articles, goldStory, duplicateOf };
}
