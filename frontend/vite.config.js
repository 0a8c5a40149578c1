import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';

// dist/ is embedded into the Go binary (frontend/embed.go); vite empties it
// on every build, so put back the .gitkeep that lets a fresh clone compile.
const keepGitkeep = {
  name: 'onemap-keep-gitkeep',
  closeBundle() {
    writeFileSync(resolve(import.meta.dirname, 'dist/.gitkeep'), '');
  },
};

export default defineConfig({
  base: '/',
  plugins: [vue(), keepGitkeep],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 2000,
    // No inline data: URLs for scripts; assets stay files served by onemap.
    assetsInlineLimit: 0,
    sourcemap: false,
  },
  server: {
    // `npm run dev` against a running onemap: API, tiles, fonts and the style
    // are proxied; the page itself comes from vite.
    proxy: {
      '/style.json': 'http://localhost:8080',
      '/tiles': 'http://localhost:8080',
      '/fonts': 'http://localhost:8080',
      '/api': 'http://localhost:8080',
    },
  },
});
