export { createFleetRepo } from "./fleet-repo.ts";
export { converged, progressLine, statusTable } from "./status-table.ts";
