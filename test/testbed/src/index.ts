// The test bed's public surface. Test-side vitest helpers live in "@flotilla/testbed/vitest" so that the demo
// and benchmarks can start clusters without loading vitest.
export {
  type BinaryName,
  locateBinaries,
  MissingBinariesError,
  pinnedVersions,
  requireBinaries,
  type TestbedBinaries,
} from "./binaries.ts";
export { isMissingRuntime, runningInCi } from "./ci.ts";
export { trackProcess, untrackProcess } from "./cleanup.ts";
export { Cluster, type ClusterInfo, pauseCluster, resumeCluster } from "./cluster.ts";
export { type ClusterSet, clusterNames, type StartClustersOptions, startClusters } from "./clusters.ts";
export { ContainerRuntimeUnavailableError } from "./container-runtime.ts";
export { eventually } from "./eventually.ts";
export { TestGitRepo } from "./git-repo.ts";
export { type ApiEndpoint, type ApiRequestOptions, type ApiResponse, apiRequest } from "./kube-http.ts";
export { freePort } from "./ports.ts";
export { defaultRedisImage, type RedisInfo, type StartedRedis, type StartRedisOptions, startRedis } from "./redis.ts";
export { type StartedSentinel, type StartSentinelOptions, startSentinel } from "./sentinel.ts";
export { type ProbeAnswer, probeHttp, redisRetryLines, untilStatus } from "./service-probe.ts";
export {
  type LogLine,
  type ServiceProcess,
  type ServiceProcessOptions,
  startServiceProcess,
} from "./service-process.ts";
export { forwardTcp, type TcpForward, type TcpForwardOptions } from "./tcp-forward.ts";
export { StartupError } from "./wait.ts";
export { kwokNodeName } from "./workloads.ts";
