/**
 * Splitting rendered briefs into messages, shared by the chat adapters. Everything is kept in
 * order and packed greedily: a new message (or block, or embed) starts when the next part
 * would pass the count or size limit.
 */

/**
 * Packs parts into messages of at most `maxParts` parts and `maxSize` total size. A part
 * larger than the budget still gets a message of its own (renderers keep each part within
 * the platform's per-part limit).
 */
export function packInOrder<T>(parts: readonly T[], sizeOf: (part: T) => number, maxParts: number, maxSize: number): T[][] {
  const messages: T[][] = [];
  let current: T[] = [];
  let used = 0;
  for (const part of parts) {
    const size = sizeOf(part);
    if (current.length > 0 && (current.length >= maxParts || used + size > maxSize)) {
      messages.push(current);
      current = [];
      used = 0;
    }
    current.push(part);
    used += size;
  }
  if (current.length > 0) messages.push(current);
  return messages;
}

/**
 * Joins lines into texts of at most `max` characters, breaking only at line ends. A single
 * line longer than `max` is handed to `breakLine`, which returns it as pieces of at most
 * `max` characters (the platform decides whether to cut or to continue it).
 */
export function packLines(lines: readonly string[], max: number, breakLine: (line: string) => readonly string[]): string[] {
  const chunks: string[] = [];
  let current = '';
  for (const line of lines) {
    const candidate = current === '' ? line : `${current}\n${line}`;
    if (candidate.length <= max) {
      current = candidate;
      continue;
    }
    if (current !== '') chunks.push(current);
    const pieces = line.length > max ? breakLine(line) : [line];
    chunks.push(...pieces.slice(0, -1));
    current = pieces[pieces.length - 1] ?? '';
  }
  if (current.trim() !== '') chunks.push(current);
  return chunks;
}
