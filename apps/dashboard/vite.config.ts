import preact from "@preact/preset-vite";
import { defineConfig } from "vite";

// The API serves dist/ at `/`: index.html is never cached, everything under assets/ is named by its hash.
export default defineConfig({
  plugins: [preact()],
  base: "/",
  build: { outDir: "dist", emptyOutDir: true, assetsDir: "assets", sourcemap: true },
});
