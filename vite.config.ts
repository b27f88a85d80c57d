// The web app: a React single-page app under web/, built into dist/web and served by the Fastify
// process (src/server/app.ts). `npx vite --config vite.config.ts` runs it in development against a
// server on :3000 (the proxy forwards /api, including the live-event stream).
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  root: 'web',
  plugins: [react()],
  build: {
    outDir: '../dist/web',
    emptyOutDir: true,
    sourcemap: true,
    // the shared zod schemas and Luxon make one chunk a little over the default warning size
    chunkSizeWarningLimit: 900,
  },
  server: {
    proxy: { '/api': { target: 'http://localhost:3000', changeOrigin: false } },
  },
});
