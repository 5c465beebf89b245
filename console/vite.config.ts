import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The back-office console: built into console/dist and served by `consign serve` at `/`.
// In development, `npx vite console` proxies the API to a running server on port 3000.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, manifest: true, sourcemap: false, target: 'es2022' },
  server: {
    proxy: Object.fromEntries(
      ['/v1', '/docs', '/openapi.json', '/health'].map((path) => [path, 'http://localhost:3000']),
    ),
  },
});
