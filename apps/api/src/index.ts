export { type ApiConfig, ApiConfigError, loadApiConfig } from "./config.ts";
export type { ApiDeps } from "./deps.ts";
export { ApiError } from "./errors.ts";
export { API_PREFIX, type ApiServerOptions, buildApiServer } from "./server.ts";
export { type ApiService, startApiService } from "./service.ts";
