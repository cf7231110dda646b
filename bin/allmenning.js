#!/usr/bin/env node
// The `allmenning` command. Runs the TypeScript sources directly (no build step): tsx,
// a dependency, compiles them on the fly with the package's own tsconfig.
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { register } from 'tsx/esm/api';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
register({ tsconfig: join(root, 'tsconfig.json') });
await import(pathToFileURL(join(root, 'src', 'cli', 'index.ts')).href);
