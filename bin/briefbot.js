#!/usr/bin/env node
// The package's bin: runs the compiled CLI (npm run build). Kept as plain JS so that
// `npm link` / `npx briefbot` work without a TypeScript loader.
import { main } from '../dist/cli/main.js';

process.exitCode = await main(process.argv.slice(2));
