/**
 * Follow-up answers over a brief's sources: retrieve passages (BM25), then either quote the
 * best ones (offline) or ask the LLM for an answer that cites them. Either way the answer
 * cites only passages it was given, numbered like `sources`, and a model's sentence whose
 * numbers, quotes or names the passages it cites don't hold is cut (verify.ts); when the
 * sources don't answer the question, it says so plainly instead of guessing. Planted
 * instructions in the sources are never passages (text/instructions.ts).
 */
import type { Answer } from '../core/service.ts';
import { oneLine } from '../core/errors.ts';
import { silentLogger, type Logger } from '../core/log.ts';
import { ZERO_USAGE, type Usage } from '../core/types.ts';
import type { CacheRepo } from '../store/port.ts';
import { ReplyCache, replyCacheKey } from '../llm/cache.ts';
import { LlmCallError, type JsonChat } from '../llm/client.ts';
import { OpenAiJsonChat } from '../llm/openai.ts';
import { answerOutputSchema, escapeForFence, unescapeFromFence, type AnswerOutput } from '../llm/json.ts';
import { screenInstructions } from '../text/instructions.ts';
import { defaultPrompts, type PromptRegistry } from '../llm/prompts.ts';
import { retrievePassages, type Passage } from './retrieve.ts';
import { verifyAnswer } from './verify.ts';

/** An article of the brief, with its text, to answer from. */
export interface AnswerSource {
  readonly id: string;
  readonly title: string;
  readonly url: string;
  readonly text: string;
}

export interface AnswerOptions {
  readonly llm?: {
    readonly apiKey: string;
    readonly baseURL?: string;
    readonly model: string;
    readonly timeoutMs?: number;
    /** SDK retries (429, 5xx, timeouts); default 2. */
    readonly maxRetries?: number;
    /** Stream the reply (some local servers only answer well streamed). */
    readonly stream?: boolean;
  };
  readonly cache?: CacheRepo;
  readonly logger?: Logger;
  /** Tests and the bench inject a client; otherwise one is made from `llm`. */
  readonly chat?: JsonChat;
  readonly prompts?: PromptRegistry;
  /** Passages sent to the model (default: ANSWER_DEFAULTS). */
  readonly passages?: number;
  /** Passages quoted offline. */
  readonly quotes?: number;
  /** Minimum IDF-weighted share of the question the retrieved passages must cover. */
  readonly minCoverage?: number;
}

/** How answers are found when the options say nothing. */
export const ANSWER_DEFAULTS = {
  passages: 6,
  quotes: 3,
  minCoverage: 0.5,
} as const satisfies Required<Pick<AnswerOptions, 'passages' | 'quotes' | 'minCoverage'>>;

export type AnswerResult = Answer & { readonly usage: Usage };

const MAX_QUESTION_CHARS = 500;
const CACHE_NAMESPACE = 'answer';
const CACHE_TTL_SECONDS = 7 * 24 * 3600;

function notAnswered(question: string): AnswerResult {
  const q = oneLine(question).slice(0, 200);
  return {
    text: `The sources of this brief don't say. None of its articles answers “${q}”.`,
    sources: [],
    answered: false,
    usage: ZERO_USAGE,
  };
}

/** Numbers sources in order of first citation; `cite(id)` gives a source's number. */
function citationBook(sources: readonly AnswerSource[]) {
  const byId = new Map(sources.map((s) => [s.id, s]));
  const order: string[] = [];
  return {
    cite(id: string): number {
      let n = order.indexOf(id);
      if (n < 0) n = order.push(id) - 1;
      return n + 1;
    },
    cited(): Answer['sources'] {
      return order.flatMap((id) => {
        const s = byId.get(id);
        return s ? [{ id: s.id, title: s.title, url: s.url }] : [];
      });
    },
  };
}

/** The offline answer: the best passages, quoted, each citing its source. */
function quoted(passages: readonly Passage[], sources: readonly AnswerSource[], count: number, usage: Usage = ZERO_USAGE): AnswerResult {
  const book = citationBook(sources);
  const lines = passages.slice(0, count).map((p) => `“${p.text}” [${book.cite(p.sourceId)}]`);
  return { text: lines.join('\n'), sources: book.cited(), answered: true, usage };
}

/**
 * The model's answer, verified (verify.ts) and with its passage citations rewritten as source
 * citations numbered like `sources`. Undefined when nothing it cites survives.
 */
function citeSources(
  output: AnswerOutput,
  passages: readonly Passage[],
  sources: readonly AnswerSource[],
  logger: Logger,
): Answer | undefined {
  const book = citationBook(sources);
  const verified = verifyAnswer(unescapeFromFence(output.text), passages, (id) => book.cite(id));
  if (verified.cut > 0 || verified.badCitations > 0) {
    logger.info(
      { cut: verified.cut, badCitations: verified.badCitations, reasons: verified.reasons },
      'answer verification cut unsupported statements',
    );
  }
  if (verified.text === '') return undefined;
  const left =
    verified.cut > 0
      ? `\n(${verified.cut} statement${verified.cut === 1 ? '' : 's'} the cited passages do not support ${verified.cut === 1 ? 'was' : 'were'} left out.)`
      : '';
  return { text: `${verified.text}${left}`, sources: book.cited(), answered: true };
}

/**
 * Answers a follow-up question from the given sources. Never throws because of the model:
 * a failed or uncited LLM answer falls back to quoted passages.
 */
export async function answerQuestion(
  question: string,
  rawSources: readonly AnswerSource[],
  options: AnswerOptions = {},
): Promise<AnswerResult> {
  const logger = options.logger ?? silentLogger;
  const q = question.slice(0, MAX_QUESTION_CHARS);
  // Planted instructions are never passages: not quoted, not shown to the model, not evidence.
  const sources = rawSources.map((s) => {
    const { text, removed } = screenInstructions(s.text);
    return removed === 0 ? s : { ...s, text };
  });
  const settings = { ...ANSWER_DEFAULTS, ...options };
  const { passages, coverage } = retrievePassages(q, sources, { limit: settings.passages });
  if (passages.length === 0 || coverage < settings.minCoverage) return notAnswered(q);

  const chat = options.chat ?? (options.llm ? new OpenAiJsonChat({ ...options.llm, logger }) : undefined);
  const quotes = settings.quotes;
  if (!chat) return quoted(passages, sources, quotes);

  const titles = new Map(sources.map((s) => [s.id, s.title]));
  const prompt = (options.prompts ?? defaultPrompts()).render('followup-answer', {
    question: escapeForFence(oneLine(q)),
    passages: passages
      .map(
        (p, i) =>
          `<passage n="${i + 1}" source="${escapeForFence(titles.get(p.sourceId) ?? '').replace(/"/g, '&quot;')}">\n${escapeForFence(p.text)}\n</passage>`,
      )
      .join('\n\n'),
  });
  const cache = new ReplyCache(options.cache, CACHE_NAMESPACE, CACHE_TTL_SECONDS, answerOutputSchema);
  const key = replyCacheKey(prompt, chat.model);
  let output = await cache.get(key);
  let usage: Usage = ZERO_USAGE;
  if (!output) {
    try {
      const result = await chat.json({ system: prompt.system, user: prompt.user, schema: answerOutputSchema, schemaName: 'answer' });
      output = result.value;
      usage = result.usage;
      await cache.set(key, output);
    } catch (error) {
      if (error instanceof LlmCallError) usage = error.usage;
      logger.warn(
        { reason: error instanceof LlmCallError ? error.reason : 'error', error: oneLine(error) },
        'LLM answer failed; quoting passages',
      );
      return quoted(passages, sources, quotes, usage);
    }
  }
  if (!output.answered) return { ...notAnswered(q), usage };
  const answer = citeSources(output, passages, sources, logger);
  if (!answer) {
    logger.warn({ model: chat.model }, 'LLM answer had no verified, cited statement; quoting passages');
    return quoted(passages, sources, quotes, usage);
  }
  return { ...answer, usage };
}
