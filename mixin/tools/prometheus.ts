import { spawnServer, type SpawnedServer } from './process.js';

export { freePort, untilReady } from './process.js';

export interface PrometheusLaunch {
  /** The `prometheus` binary. */
  readonly binary: string;
  readonly configFile: string;
  readonly dataDir: string;
  /** Port on 127.0.0.1, e.g. from `freePort()`. */
  readonly port: number;
  /** Further flags (retention, log level, lifecycle, …). */
  readonly flags: readonly string[];
}

/** Spawns Prometheus with stdout and stderr piped; pair with `untilReady` before querying it. */
export function spawnPrometheus(launch: PrometheusLaunch): SpawnedServer {
  return spawnServer(launch.binary, launch.port, [`--config.file=${launch.configFile}`, `--storage.tsdb.path=${launch.dataDir}`, ...launch.flags]);
}
