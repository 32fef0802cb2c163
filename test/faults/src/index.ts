// The fault suite's helpers, for anyone adding a fault elsewhere: a running fleet and the report it writes to.
export { configMapPath, deploymentPath, type LiveObject, liveObject, secondsSince } from "./cluster-objects.ts";
export { FaultFleet, type FaultFleetOptions } from "./fleet.ts";
export { type FaultReport, type FaultRow, renderFaultTable, withRow } from "./report/fault-row.ts";
export { type FaultResult, type FaultSpec, recordFault, reportJson, reportTable } from "./report/record.ts";
