import { fileURLToPath } from "node:url";

/** Where `pnpm --filter @flotilla/dashboard build` writes the dashboard; the API serves it from here. */
export const DASHBOARD_DIST_DIR = fileURLToPath(new URL("../dist", import.meta.url));

/** The command that builds it, for the page the API shows when it is missing. */
export const DASHBOARD_BUILD_COMMAND = "pnpm --filter @flotilla/dashboard build";

export { PAGE_PREFIXES } from "./shell/routes.ts";
