/**
 * What every CLI command gets from the composition root (cli/main.ts): settings parsed once,
 * the open store, the brief service, a logger and the output streams.
 */
import type { BriefService } from '../core/service.ts';
import type { Settings } from '../config/load.ts';
import type { Logger } from '../core/log.ts';
import type { HttpClient } from '../collect/http/client.ts';
import type { Store } from '../store/port.ts';
import type { ProgressLine } from './progress.ts';

export interface CliContext {
  readonly settings: Settings;
  readonly store: Store;
  readonly service: BriefService;
  readonly logger: Logger;
  /** The guarded HTTP client; absent when the command runs --offline. */
  readonly http?: HttpClient;
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  /** Aborted on SIGINT/SIGTERM. */
  readonly signal: AbortSignal;
  /** The progress line on stderr (does nothing unless stderr is a terminal). */
  readonly progress: ProgressLine;
}
