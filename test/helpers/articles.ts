/** Invented article texts for tests that need many distinct articles (never copied from a corpus). */

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
