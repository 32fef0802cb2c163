export {
  type ArgoApplication,
  type ArgoCdComponent,
  type ManagementCluster,
  type RunningArgoCd,
  type StartArgoCdOptions,
  startArgoCd,
} from "./argocd.ts";
export { type ArgoCdBinary, ArgoCdMissingError, locateArgoCd, pinnedArgoCdVersion, requireArgoCd } from "./binary.ts";
export { type GitHttpServer, serveGitOverHttp } from "./git-http.ts";
export { applyObjects, deletePath, getObject, listItems } from "./kube.ts";
export { type ArgoCdCluster, argoCdSettings, clusterSecret, type KubeObject, objectPath } from "./manifests.ts";
export { type ProcessUsage, parseUsage, processUsage } from "./proc.ts";
export { flushRedisDb, type RedisTarget, redisDbSize } from "./redis-db.ts";
export { type ArgoCdTuning, defaultTuning, documentedTuning, tuningArguments } from "./tuning.ts";
