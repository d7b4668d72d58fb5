/** `briefbot` from the TypeScript sources (node --import tsx): what tests spawn as a separate process, no build needed. */
import { main } from '../../src/cli/main.ts';

process.exitCode = await main(process.argv.slice(2));
