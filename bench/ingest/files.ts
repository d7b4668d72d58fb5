/**
 * Writes a synthetic corpus (bench/synthetic.ts) as a folder of text files, one article a
 * file: headline, a source line, a date line, then the body — what `--source ./folder` reads.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateCorpus } from '../synthetic.ts';

export function writeCorpusFiles(n: number, dir: string, seed = 42): void {
  mkdirSync(dir, { recursive: true });
  const corpus = generateCorpus(n, seed);
  corpus.articles.forEach((a, i) => {
    const body = `${a.title}\n\nSource: ${a.publisher}\nPublished: ${a.publishedAt}\n\n${a.text}\n`;
    writeFileSync(join(dir, `${String(i).padStart(5, '0')}.txt`), body);
  });
}
