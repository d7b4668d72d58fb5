/** The brief JSON contract of DESIGN.md, pretty-printed. */
import type { Brief } from '../core/types.ts';

export function renderJson(brief: Brief): string {
  return `${JSON.stringify(brief, null, 2)}\n`;
}
