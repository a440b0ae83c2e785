import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The API server listens here in development; `npm run dev:web` proxies to it so cookies stay same-origin.
const apiServer = 'http://127.0.0.1:3000';

export default defineConfig({
  root: 'web',
  plugins: [react()],
  build: {
    // Relative to root: the bundle lands in web/dist, which the server serves at / with SPA fallback.
    outDir: 'dist',
    emptyOutDir: true,
    // antd alone is ~900 kB minified (~300 kB gzip) even tree-shaken; it sits in its own cacheable chunk.
    chunkSizeWarningLimit: 1000,
    rollupOptions: {
      output: {
        // Vendor code changes rarely; separate chunks keep our own chunk small and cacheable.
        manualChunks(id) {
          if (!id.includes('node_modules')) return undefined;
          if (/node_modules\/(react|react-dom|scheduler|react-router|react-router-dom)\//.test(id)) return 'react';
          if (/node_modules\/(antd|@ant-design|rc-[^/]+|@rc-component)\//.test(id)) return 'antd';
          if (/node_modules\/(i18next|react-i18next|@tanstack)\//.test(id)) return 'libs';
          return undefined;
        },
      },
    },
  },
  server: {
    proxy: {
      '/api': apiServer,
      '/docs': apiServer,
      '/healthz': apiServer,
    },
  },
});
