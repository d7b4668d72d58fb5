/**
 * Splitting a rendered brief into messages, shared by the chat adapters: parts are kept in
 * order and packed greedily, a new message starting when the next part would pass the
 * per-message count or size limit. A part larger than the budget still gets a message of its
 * own (renderers keep each part within the platform's per-part limit).
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
