/** What a person pastes into another terminal to work with the running demo. */
export interface DemoConnection {
  /** The API's base URL. */
  server: string;
  /** An admin token made for the demo (it lives as long as the demo's Redis). */
  token: string;
  /** Each cluster's kubeconfig file, in the order the clusters were started. */
  kubeconfigs: readonly { cluster: string; file: string }[];
  /**
   * Folders another terminal needs first on its PATH: the set-up may have installed Node 24 and pnpm into a cache
   * the machine's PATH does not name, and `flotilla` is the workspace's bin.
   */
  binDirs: readonly string[];
}

/**
 * `export` lines for a POSIX shell: PATH for `flotilla` (and the Node and pnpm it runs on), the API and its token, one KUBECONFIG_<CLUSTER> per cluster, and
 * KUBECONFIG with every file joined by ":" — kubectl merges them; the contexts are named after the clusters, the
 * first file's current context (the first cluster) is the default, and `--context NAME` picks another.
 */
export function exportLines(connection: DemoConnection): string[] {
  const perCluster = connection.kubeconfigs.map((k) => `${envName(k.cluster)}=${shellWord(k.file)}`);
  return [
    `export PATH=${shellWord(connection.binDirs.join(":"))}:"$PATH"`,
    `export FLOTILLA_SERVER=${shellWord(connection.server)}`,
    `export FLOTILLA_TOKEN=${shellWord(connection.token)}`,
    `export ${perCluster.join(" ")}`,
    `export KUBECONFIG=${shellWord(connection.kubeconfigs.map((k) => k.file).join(":"))}`,
  ];
}

/** `KUBECONFIG_DEV` for the cluster `dev`; a name's dots and dashes become underscores. */
export function envName(cluster: string): string {
  return `KUBECONFIG_${cluster.toUpperCase().replace(/[^A-Z0-9]/g, "_")}`;
}

/** A word the shell reads back as it is: bare when safe, single-quoted otherwise. */
export function shellWord(text: string): string {
  return /^[A-Za-z0-9@%+=:,./_-]+$/.test(text) ? text : `'${text.replaceAll("'", `'\\''`)}'`;
}
