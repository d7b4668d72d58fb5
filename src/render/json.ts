/** The brief JSON contract (docs/contracts.md, section 4), pretty-printed. */
import type { Brief } from '../core/types.ts';

export function renderJson(brief: Brief): string {
  return `${JSON.stringify(brief, null, 2)}\n`;
}
