export { createFleetRepo } from "./fleet-repo.ts";
export { type Service, startService, stopService } from "./processes.ts";
export { converged, progressLine, statusTable } from "./status-table.ts";
