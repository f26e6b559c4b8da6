// Builds the Preact dashboard into ui/dist, which the Worker serves as static assets.
import { cp } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import preact from "@preact/preset-vite";
import { defineConfig, type Plugin } from "vite";

const here = dirname(fileURLToPath(import.meta.url));

// Serves the interactive API reference at /docs from local files (no CDN: local runs are offline).
function swaggerUiAssets(): Plugin {
  return {
    name: "verifyid-swagger-ui-assets",
    apply: "build",
    async writeBundle() {
      const from = resolve(here, "../node_modules/swagger-ui-dist");
      const to = resolve(here, "dist/vendor/swagger-ui");
      for (const file of ["swagger-ui.css", "swagger-ui-bundle.js"]) await cp(`${from}/${file}`, `${to}/${file}`);
    },
  };
}

export default defineConfig({
  root: here,
  plugins: [preact(), swaggerUiAssets()],
  // Source maps are written for local debugging ("hidden": no sourceMappingURL comment in the
  // bundles) and never served or deployed: ui/public/.assetsignore keeps *.map out of the assets.
  build: { outDir: resolve(here, "dist"), emptyOutDir: true, sourcemap: "hidden" },
  server: { proxy: { "/api": { target: "http://127.0.0.1:8787", ws: true } } },
});
