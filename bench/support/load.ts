/** One load-generator run (autocannon) against a server, with the server's CPU per request. */
import autocannon from 'autocannon';
import type { ServerProcess } from './server-process.js';

export interface LoadRun {
  requests: number;
  reqPerSecond: number;
  p50: number;
  p99: number;
  /** server CPU (whole process tree) per request, ms */
  cpuMsPerRequest: number;
  failures: number;
}

export interface Target {
  url: string;
  headers: Record<string, string>;
  body: string;
}

export async function load(server: ServerProcess, target: Target, connections: number, seconds: number): Promise<LoadRun> {
  const cpu0 = server.cpuSeconds();
  const r = await autocannon({
    url: target.url,
    connections,
    duration: seconds,
    method: 'POST',
    headers: { 'content-type': 'application/json', ...target.headers },
    body: target.body,
  });
  const cpu = server.cpuSeconds() - cpu0;
  return {
    requests: r.requests.total,
    reqPerSecond: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    cpuMsPerRequest: r.requests.total ? (cpu * 1000) / r.requests.total : NaN,
    failures: r.non2xx + r.errors + r.timeouts,
  };
}
