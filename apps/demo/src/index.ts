export { createFleetRepo } from "./fleet-repo.ts";
export { type PoolWorkerOptions, type Service, startPoolWorker, startService, stopService } from "./processes.ts";
export { converged, progressLine, statusTable } from "./status-table.ts";
