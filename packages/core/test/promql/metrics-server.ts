import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A real HTTP /metrics endpoint whose counters the test controls: every 100 ms it records
 * `tps / 10` transfers (a `successRatio` share successful), in engine names, moja_ names,
 * cAdvisor, kafka_exporter, mysqld_exporter and prom-client names.
 */
export interface MetricsServer {
  url: string;
  counts(): { success: number; failed: number; prepares: number };
  /** Successful transfers recorded at or before unix-ms `t`. */
  successAt(t: number): number;
  /** Freezes the counters (the load stops) or resumes them. */
  pause(paused: boolean): void;
  stop(): Promise<void>;
}

const BUCKETS = [0.05, 0.1, 0.25, 0.5, 1];

export async function startMetricsServer(options: {
  tps: number;
  successRatio: number;
  latencyS?: number;
}): Promise<MetricsServer> {
  let success = 0;
  let failed = 0;
  let carry = 0;
  let paused = false;
  let lag = 0;
  const history: [number, number][] = [];
  const latency = options.latencyS ?? 0.2;
  const timer = setInterval(() => {
    if (paused) return;
    carry += options.tps / 10;
    const n = Math.floor(carry);
    carry -= n;
    const ok = Math.round(n * options.successRatio);
    success += ok;
    failed += n - ok;
    lag += 3;
    history.push([Date.now(), success]);
    if (history.length > 2000) history.shift();
  }, 100);
  const histogram = (name: string, count: number, labels = '') => {
    const sep = labels ? `${labels},` : '';
    const lines = [`# HELP ${name} Duration in seconds.`, `# TYPE ${name} histogram`];
    for (const b of BUCKETS) lines.push(`${name}_bucket{${sep}le="${b}"} ${b >= latency ? count : 0}`);
    lines.push(
      `${name}_bucket{${sep}le="+Inf"} ${count}`,
      `${name}_sum{${labels}} ${count * latency}`,
      `${name}_count{${labels}} ${count}`,
    );
    return lines.join('\n');
  };
  const body = () => {
    const total = success + failed;
    const cpu = total / 1000;
    return [
      '# HELP mlperf_transfers_total Finished transfers.',
      '# TYPE mlperf_transfers_total counter',
      `mlperf_transfers_total{outcome="success",error_type=""} ${success}`,
      `mlperf_transfers_total{outcome="fspiop-error",error_type="fspiop:4001"} ${failed}`,
      '# HELP mlperf_offered_iterations_total Arrivals.',
      '# TYPE mlperf_offered_iterations_total counter',
      `mlperf_offered_iterations_total ${total}`,
      '# HELP mlperf_inflight_transfers In flight.',
      '# TYPE mlperf_inflight_transfers gauge',
      'mlperf_inflight_transfers 7',
      histogram('mlperf_transfer_duration_seconds', total),
      histogram('moja_cl_transfer_prepare', total, 'success="true",fspId="perffsp-1"'),
      histogram('moja_cl_transfer_fulfil', success, 'success="true",fspId="perffsp-5"'),
      histogram('moja_cl_transfer_fulfil', failed, 'success="false",fspId="perffsp-5"'),
      histogram('moja_ml_tx_transfer', success, 'success="true"'),
      '# HELP container_cpu_usage_seconds_total CPU.',
      '# TYPE container_cpu_usage_seconds_total counter',
      `container_cpu_usage_seconds_total{namespace="mojaloop",pod="central-ledger-0",container="central-ledger"} ${cpu}`,
      '# TYPE container_spec_cpu_quota gauge',
      'container_spec_cpu_quota{namespace="mojaloop",pod="central-ledger-0",container="central-ledger"} 200000',
      '# TYPE container_spec_cpu_period gauge',
      'container_spec_cpu_period{namespace="mojaloop",pod="central-ledger-0",container="central-ledger"} 100000',
      '# TYPE container_memory_working_set_bytes gauge',
      'container_memory_working_set_bytes{namespace="mojaloop",pod="central-ledger-0",container="central-ledger"} 536870912',
      '# TYPE container_spec_memory_limit_bytes gauge',
      'container_spec_memory_limit_bytes{namespace="mojaloop",pod="central-ledger-0",container="central-ledger"} 1073741824',
      '# TYPE container_cpu_cfs_periods_total counter',
      `container_cpu_cfs_periods_total{namespace="mojaloop",pod="central-ledger-0",container="central-ledger"} ${total * 4}`,
      '# TYPE container_cpu_cfs_throttled_periods_total counter',
      `container_cpu_cfs_throttled_periods_total{namespace="mojaloop",pod="central-ledger-0",container="central-ledger"} ${total}`,
      '# HELP kafka_consumergroup_lag Lag.',
      '# TYPE kafka_consumergroup_lag gauge',
      `kafka_consumergroup_lag{consumergroup="cl-prepare",topic="topic-transfer-prepare",partition="0"} ${lag}`,
      '# TYPE mysql_global_status_threads_connected gauge',
      'mysql_global_status_threads_connected 45',
      '# TYPE mysql_global_variables_max_connections gauge',
      'mysql_global_variables_max_connections 150',
      '# TYPE nodejs_eventloop_lag_p99_seconds gauge',
      'nodejs_eventloop_lag_p99_seconds 0.012',
      '',
    ].join('\n');
  };
  const server: Server = createServer((req, res) => {
    if (req.url !== '/metrics') {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4' }).end(body());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/metrics`,
    counts: () => ({ success, failed, prepares: success + failed }),
    successAt: (t) => {
      let value = 0;
      for (const [at, v] of history) if (at <= t) value = v;
      return value;
    },
    pause: (p) => {
      paused = p;
    },
    stop: async () => {
      clearInterval(timer);
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
