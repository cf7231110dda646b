// Bundles the server into dist/main.js for `npm start`: plain `node` then runs it,
// without a TypeScript loader in memory. Dependencies stay in node_modules.
import { build } from 'esbuild';

await build({
  entryPoints: ['src/main.ts'],
  outfile: 'dist/main.js',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  jsx: 'automatic',
  jsxImportSource: 'hono/jsx',
  sourcemap: true,
  // Stack traces need only the mappings; the sources are in the repository (less memory).
  sourcesContent: false,
  logLevel: 'warning',
});
