/**
 * The shared vocabulary of the pipeline: what each stage takes and gives.
 * Every stage is a plain module over these types; nothing here knows about chat SDKs,
 * HTTP or SQL.
 */

/** An ISO-8601 timestamp in UTC, e.g. "2026-11-23T09:00:00.000Z". */
export type IsoTime = string;

/** How a source is read. `auto` decides from the content (feed vs page) or the path. */
export type SourceKind = 'auto' | 'feed' | 'page' | 'folder' | 'file';

/** One place articles come from: a feed or page URL, or a local file or folder. */
export interface SourceSpec {
  /** Stable identity of the source: the URL as configured, or `file://` + absolute path. */
  readonly id: string;
  /** `http(s)://…` or `file:///abs/path`. */
  readonly url: string;
  readonly kind: SourceKind;
  /** Human name for logs and health footers, when the config gives one. */
  readonly title?: string;
}

/** A term or regular expression an article's title+text must (not) match. */
export interface TextMatcher {
  /** As written in the config, for messages. */
  readonly source: string;
  readonly test: (text: string) => boolean;
}

export interface ScheduleSpec {
  /** Five- or six-field cron expression, e.g. "0 9 * * *". */
  readonly cron: string;
  /** IANA time zone, e.g. "Asia/Shanghai". */
  readonly timezone: string;
}

export interface SummarizerSettings {
  /** `auto`: the LLM when OPENAI_API_KEY is set, else extractive. */
  readonly kind: 'auto' | 'extractive' | 'llm';
  readonly model?: string;
  /** Upper bound of prompt+completion tokens spent on one brief. */
  readonly maxTokensPerBrief?: number;
  readonly maxStories: number;
  /** Stream LLM replies (server-sent events) instead of one response. */
  readonly stream?: boolean;
}

/** A topic a team watches (one entry of the config file, or an ad-hoc one from `--source`). */
export interface Topic {
  readonly id: string;
  readonly title: string;
  readonly sources: readonly SourceSpec[];
  readonly include: readonly TextMatcher[];
  readonly exclude: readonly TextMatcher[];
  /** Default look-back, as written: "24h", "7d", "all". */
  readonly window: string;
  readonly schedule?: ScheduleSpec;
  /** `slack:C…` / `discord:…` channels that get the scheduled brief. */
  readonly channels: readonly string[];
  readonly summarizer: SummarizerSettings;
  /** True for topics made up on the command line from `--source`. */
  readonly adHoc?: boolean;
}

/**
 * What reading an article gives, whatever it was read from (a web page, a feed item, a text,
 * Markdown or JSON file): its text and what it says about itself.
 */
export interface ArticleContent {
  readonly title: string;
  /** Clean readable text: paragraphs separated by a blank line, no page furniture. */
  readonly text: string;
  readonly publisher?: string;
  readonly author?: string;
  /** When the article says it was published; absent when nothing trustworthy says so. */
  readonly publishedAt?: IsoTime;
  /** BCP-47 language tag when known ("en", "zh-CN"). */
  readonly lang?: string;
  /**
   * Planted instructions (text addressed to AI systems, hidden or visible) that extraction
   * took out of `text`; absent = none. The brief notes an article that carried one.
   */
  readonly instructions?: number;
  /**
   * The screen for planted instructions that `text` went through at collect
   * (text/instructions.ts SCREEN_REVISION); absent = not screened. A brief screens again any
   * article not screened by its own.
   */
  readonly screenRevision?: string;
}

/** An article as a source produced it, before dedupe and storage. */
export interface ArticleDraft extends ArticleContent {
  /** The article's own URL: `http(s)://…`, or `file://…` for a local file. */
  readonly url: string;
  /** The feed item's guid/id, when it came from a feed. */
  readonly guid?: string;
  readonly sourceId: string;
}

/** An article as stored: a draft plus identity and bookkeeping. */
export interface Article extends ArticleDraft {
  /** Stable store id ("art_" + hash of the canonical URL). */
  readonly id: string;
  readonly canonicalUrl: string;
  /** Hash of the normalised text, for exact-duplicate detection. */
  readonly contentHash: string;
  readonly firstSeenAt: IsoTime;
  /** Set when this article is a copy (same text, syndicated) of another stored article. */
  readonly duplicateOf?: string;
}

/** Per-source health, kept so a brief can say that a source has gone quiet. */
export interface SourceHealth {
  readonly sourceId: string;
  readonly url: string;
  readonly lastSuccessAt?: IsoTime;
  readonly lastErrorAt?: IsoTime;
  readonly lastError?: string;
  /** Consecutive failed collections; 0 after a success. */
  readonly failureStreak: number;
  /** When the current failure streak began. */
  readonly failingSince?: IsoTime;
}

// ---------------------------------------------------------------------------------------
// The brief: the JSON contract of docs/contracts.md (`--format json`). Extend compatibly only.
// ---------------------------------------------------------------------------------------

/** An article as a brief lists it; `id` is brief-local ("a1", "a2", …). */
export interface BriefArticle {
  readonly id: string;
  readonly title: string;
  readonly url: string;
  readonly publisher?: string;
  readonly publishedAt?: IsoTime;
}

export interface Claim {
  readonly text: string;
  readonly articleIds: readonly string[];
}

export interface Figure {
  /** As written in the source: "€3.1 billion", "20%", "3 months". */
  readonly value: string;
  /** The sentence that gives the value its context. */
  readonly text: string;
  readonly articleIds: readonly string[];
}

export interface Position {
  readonly text: string;
  readonly articleIds: readonly string[];
}

export interface Disagreement {
  /** What the positions disagree about: "Size of the US–China gap". */
  readonly about: string;
  readonly positions: readonly Position[];
}

export interface Story {
  readonly id: string;
  readonly headline: string;
  readonly summary: string;
  readonly articleIds: readonly string[];
  readonly claims: readonly Claim[];
  readonly figures: readonly Figure[];
  readonly disagreements: readonly Disagreement[];
}

export interface Usage {
  readonly llmCalls: number;
  readonly promptTokens: number;
  readonly completionTokens: number;
}

/** A story the brief found but did not show (past `maxStories`): its articles, its best title. */
export interface LeftOutStory {
  readonly headline: string;
  readonly articleIds: readonly string[];
}

export interface Brief {
  readonly topic: string;
  readonly generatedAt: IsoTime;
  readonly window: { readonly since: IsoTime; readonly until: IsoTime };
  /** "extractive" or "llm:<model>". */
  readonly summarizer: string;
  readonly articles: readonly BriefArticle[];
  readonly stories: readonly Story[];
  readonly usage: Usage;
  /** Extension: plain-language notes for readers (e.g. "story s2 fell back to extractive"). */
  readonly notes?: readonly string[];
  /** Extension: sources that have been failing, for the brief's footer. */
  readonly failingSources?: readonly SourceHealth[];
  /**
   * Extension: the smaller stories found but not shown, smallest last, so that no article of
   * the window is silently lost ("12 more articles in 5 smaller stories"). Absent when every
   * story found is shown.
   */
  readonly leftOut?: readonly LeftOutStory[];
}

// ---------------------------------------------------------------------------------------
// Stage inputs and outputs.
// ---------------------------------------------------------------------------------------

/** An article handed to the summarizer: brief-local id plus its clean text. */
export interface StoryArticle {
  /** Brief-local id ("a3"): the id claims must cite. */
  readonly id: string;
  readonly title: string;
  readonly text: string;
  readonly url: string;
  readonly publisher?: string;
  readonly publishedAt?: IsoTime;
}

/** One story to summarize: its articles, most relevant first. */
export interface StoryInput {
  /** Brief-local id ("s1"). */
  readonly id: string;
  readonly articles: readonly StoryArticle[];
}

/** What a summarizer returns for one story, before verification. */
export type StoryDraft = Story;

/** A summarizer turns one story into a cited draft. Verification happens after. */
export interface Summarizer {
  /** "extractive" or "llm:<model>". */
  readonly name: string;
  summarize(story: StoryInput, options?: { readonly signal?: AbortSignal }): Promise<SummarizeResult>;
}

export interface SummarizeResult {
  readonly story: StoryDraft;
  readonly usage: Usage;
  /** Set when this story was not written by the summarizer named (e.g. LLM fell back). */
  readonly note?: string;
}

export const ZERO_USAGE: Usage = Object.freeze({ llmCalls: 0, promptTokens: 0, completionTokens: 0 });

/** A stored brief plus what it was built from. */
export interface StoredBrief {
  readonly id: string;
  readonly topicId: string;
  readonly brief: Brief;
  /** Brief-local article id ("a1") → store article id. */
  readonly articleMap: Readonly<Record<string, string>>;
  /** Hash of (article ids, summarizer, window): the same request reuses the brief. */
  readonly contentKey: string;
  readonly createdAt: IsoTime;
}
