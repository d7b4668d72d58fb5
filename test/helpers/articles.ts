/** Invented article texts for tests that need many distinct articles (never copied from a corpus). */
import type { Article } from '../../src/core/types.ts';

const WORDS = (
  'harbour bridge council river ferry tram station museum library market school hospital garden ' +
  'tunnel airport stadium theatre factory orchard vineyard canal lighthouse quarry mill bakery ' +
  'festival election budget strike repair opening closure record storm flood drought harvest ' +
  'engineers nurses teachers farmers drivers students residents officials volunteers traders'
).split(' ');

/** A deterministic pseudo-random generator, so every run writes the same articles. */
function generator(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

/** Article `i`: a headline and three paragraphs of prose, unlike article `j` for i ≠ j. */
export function inventedArticle(i: number): string {
  const next = generator(i * 2654435761 + 12345);
  const pick = (): string => WORDS[Math.floor(next() * WORDS.length)]!;
  const sentence = (): string => {
    const words = Array.from({ length: 12 + Math.floor(next() * 8) }, pick);
    words[0] = words[0]!.charAt(0).toUpperCase() + words[0]!.slice(1);
    return `${words.join(' ')} in district ${i}, officials said on day ${1 + Math.floor(next() * 28)}.`;
  };
  const paragraph = (): string => Array.from({ length: 3 }, sentence).join(' ');
  return `Report ${i}: the ${pick()} and the ${pick()} of district ${i}\n\n${paragraph()}\n\n${paragraph()}\n\n${paragraph()}\n`;
}

/** A short article (under 200 characters of text: only exact copies of it are duplicates). */
export function shortInventedArticle(i: number): string {
  const body = inventedArticle(i).split('\n\n')[1]!.split('. ')[0]!;
  return `Notice ${i}\n\n${body.slice(0, 150)}.\n`;
}

/**
 * Articles in bulk, as the store lists them, for tests that need many (pool builds, progress
 * lines): groups of reports about the same invented event, each worded a little differently.
 */
const PLACES = ['Varnholm', 'Ostrava Bay', 'Kellin', 'Marrow Point', 'Tesska', 'Dunmore', 'Hallaby', 'Quorn'];
const THINGS = ['bridge', 'ferry line', 'power plant', 'library', 'rail depot', 'water works', 'market hall', 'harbour wall'];
const VERBS = ['approved', 'opened', 'delayed', 'expanded', 'closed', 'funded'];

export function inventedArticles(n: number, storySize = 5): Article[] {
  return Array.from({ length: n }, (_, i) => {
    const story = Math.floor(i / storySize);
    const place = PLACES[story % PLACES.length]!;
    const thing = THINGS[Math.floor(story / PLACES.length) % THINGS.length]!;
    const verb = VERBS[story % VERBS.length]!;
    const amount = 10 + (story % 90);
    const outlet = `Outlet ${i % storySize}`;
    const text = [
      `The ${place} council ${verb} the ${thing} project on Monday at a cost of ${amount} million euros, officials said in report ${story}.`,
      `Mayor Anna Berg of ${place} said the ${thing} would serve ${amount * 100} residents, according to ${outlet}.`,
      `Critics said the ${thing} plan for ${place} ignored ${(story % 7) + 2} earlier studies, and asked for a review of the costs.`,
    ].join('\n\n');
    return {
      id: `art_${String(i).padStart(6, '0')}`,
      url: `https://news${i % storySize}.example/${story}/${i}`,
      canonicalUrl: `https://news${i % storySize}.example/${story}/${i}`,
      title: `${place} ${thing}: council ${verb} plan (${outlet})`,
      text,
      publisher: outlet,
      publishedAt: new Date(Date.UTC(2026, 10, 20, 0, story % 1440)).toISOString(),
      sourceId: 'invented',
      contentHash: `hash-${i}`,
      firstSeenAt: '2026-11-22T00:00:00.000Z',
    };
  });
}
