/**
 * One line of progress on a terminal for long `collect` and `brief` work: files read,
 * articles stored, stories built. Redrawn in place (carriage return) at most every 100 ms,
 * erased when the work ends. Silent when stderr is not a terminal (piped, logged, a test).
 */
import type { BuildProgress } from '../brief/index.ts';
import type { CollectProgress } from '../collect/index.ts';

const MIN_INTERVAL_MS = 100;
const ERASE_LINE = '\u001b[2K';

const count = (n: number): string => n.toLocaleString('en');

/** "collecting 2/3 sources · 4,000 files read · 3,950 articles stored" */
export function collectLine(p: CollectProgress): string {
  const parts = [`collecting ${p.sourcesDone}/${p.sourcesTotal} sources`];
  if (p.filesRead > 0) parts.push(`${count(p.filesRead)} files read`);
  if (p.itemsRead > 0) parts.push(`${count(p.itemsRead)} feed items read`);
  parts.push(`${count(p.articlesStored)} articles stored`);
  return parts.join(' · ');
}

/** "briefing 3,950 articles · 5/8 stories built" */
export function buildLine(p: BuildProgress): string {
  return `briefing ${count(p.articles)} articles · ${p.storiesBuilt}/${p.storiesTotal} stories built`;
}

export class ProgressLine {
  private lastDrawn = Number.NEGATIVE_INFINITY;
  private shown = false;

  /** `enabled`: whether `stream` is a terminal — decided once, at the CLI boundary. */
  constructor(
    private readonly stream: NodeJS.WritableStream,
    readonly enabled: boolean,
    private readonly clock: () => number = () => performance.now(),
  ) {}

  /** Shows `text`, unless the line was drawn less than 100 ms ago (`force` draws anyway). */
  update(text: string, force = false): void {
    if (!this.enabled) return;
    const at = this.clock();
    if (!force && at - this.lastDrawn < MIN_INTERVAL_MS) return;
    this.lastDrawn = at;
    this.stream.write(`\r${ERASE_LINE}${text}`);
    this.shown = true;
  }

  /** Erases the line, so what is printed next starts on a clean line. */
  clear(): void {
    if (!this.shown) return;
    this.stream.write(`\r${ERASE_LINE}`);
    this.shown = false;
    this.lastDrawn = Number.NEGATIVE_INFINITY;
  }
}
