/**
 * Shortening text for a field with a size cap (a chat title, a disagreement position): the
 * one clip every renderer and stage uses. Lengths are UTF-16 units, as the chat platforms
 * count them.
 */

export interface ClipOptions {
  /** Cut at the last space within the cap, so no word is broken. */
  readonly atWord?: boolean;
  /** What the cut text must not end with (e.g. a lone escape backslash); removed before the "…". */
  readonly unsafeEnd?: RegExp;
}

/** `text` if it fits in `max`, else its start and "…", `max` units at most; never half a surrogate pair. */
export function clip(text: string, max: number, options: ClipOptions = {}): string {
  if (text.length <= max) return text;
  let cut: string;
  if (options.atWord) {
    const head = text.slice(0, max);
    cut = head.slice(0, head.lastIndexOf(' '));
  } else {
    cut = text.slice(0, Math.max(0, max - 1));
  }
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  if (options.unsafeEnd) cut = cut.replace(options.unsafeEnd, '');
  return `${cut}…`;
}
