/**
 * @module
 * Build of the web UI: `npx vite build --config src/ui/vite.config.ts` from the repository root
 * writes `dist/ui/` (index.html plus content-hashed files under `assets/`), which the server
 * serves at `/`. Paths are resolved from this file, not the working directory, so the command
 * works from anywhere.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  // Absolute asset URLs: the server answers deep links like /status with index.html, and a
  // relative `assets/…` would then resolve against the deep link's directory.
  base: '/',
  publicDir: false,
  // Vite's built-in oxc transform compiles TSX with React's automatic runtime, which is what
  // tsconfig's `jsx: react-jsx` type-checks against; no React plugin is needed for a build.
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    outDir: fileURLToPath(new URL('../../dist/ui', import.meta.url)),
    emptyOutDir: true,
  },
});
