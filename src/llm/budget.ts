/**
 * Token arithmetic for the LLM path: an estimate for planning (the real count comes back in
 * the API's `usage`), and the per-brief budget shared by the stories of one brief.
 */
import type { Usage } from '../core/types.ts';

/**
 * Approximate tokens of a text: about 4 characters per token for English prose, which is
 * close enough for budgeting; what a call really cost is read from `usage` afterwards.
 */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

export function addUsage(a: Usage, b: Usage): Usage {
  return {
    llmCalls: a.llmCalls + b.llmCalls,
    promptTokens: a.promptTokens + b.promptTokens,
    completionTokens: a.completionTokens + b.completionTokens,
  };
}

/**
 * Prompt+completion tokens one brief may spend. Calls reserve their estimate before they go
 * out (so concurrent stories can't all pass the check at once) and settle to the real usage
 * when they return.
 */
export class TokenBudget {
  private spent = 0;
  private reserved = 0;

  /** `limit` undefined = unlimited. */
  constructor(readonly limit: number | undefined) {}

  /** Reserves `tokens` if they fit; false when the budget can't take them. */
  reserve(tokens: number): boolean {
    if (this.limit !== undefined && this.spent + this.reserved + tokens > this.limit) return false;
    this.reserved += tokens;
    return true;
  }

  /** Replaces a reservation by what the call really used (0 if it failed before any usage). */
  settle(reservedTokens: number, usedTokens: number): void {
    this.reserved -= reservedTokens;
    this.spent += usedTokens;
  }

  get used(): number {
    return this.spent;
  }
}
