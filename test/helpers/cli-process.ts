/** The CLI as a process of its own, on the TypeScript sources (spawn with `--import tsx`). */
import { main } from '../../src/cli/main.ts';

process.exitCode = await main(process.argv.slice(2));
