import { defineConfig } from 'vite';

// The game is served by the backend from web/dist: hashed files under /assets/, index.html at /.
export default defineConfig({
  root: import.meta.dirname,
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsDir: 'assets',
    // No inlined assets: the Content-Security-Policy allows scripts, styles and images from 'self' only.
    assetsInlineLimit: 0,
    target: 'es2022',
  },
});
