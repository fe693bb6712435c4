import { startHub } from '@mlperf/hub';
import { FspiopDriver } from '../test/support/fspiop-driver.js';
const rate = Number(process.env.RATE ?? 1000);
const hub = await startHub({ isolation: (process.env.ISO as 'process') ?? 'process', profile: 'healthy' });
const driver = new FspiopDriver(hub.url, hub.adminUrl);
await driver.start(Array.from({ length: 8 }, (_, i) => `perffsp-${i + 1}`));
const start = performance.now();
let sent = 0;
let done = 0;
const timer = setInterval(() => {
  const due = Math.floor(((performance.now() - start) / 1000) * rate);
  for (; sent < due; sent++)
    void driver.transfer(`perffsp-${(sent % 4) + 1}`, `perffsp-${(sent % 4) + 5}`, '1').then(() => done++);
}, 5);
for (let i = 0; i < 6; i++) {
  await new Promise((r) => setTimeout(r, 1000));
  const m = await (await fetch(hub.metricsUrl)).text();
  const lag: Record<string, number> = {};
  for (const line of m.split('\n')) {
    const mm = /^kafka_consumergroup_lag\{.*topic="([^"]+)".*\} (\d+)/.exec(line);
    if (mm) lag[mm[1]!] = (lag[mm[1]!] ?? 0) + Number(mm[2]);
  }
  const cpu = /process_cpu_seconds_total (\d\S*)/.exec(m)?.[1];
  const pend = /moja_db_pool_pending (\d\S*)/.exec(m)?.[1];
  console.log(
    `t=${i + 1}s sent=${sent} done=${done} lag=${JSON.stringify(lag)} hubcpu=${cpu} poolPending=${pend} mainCpu=${(process.cpuUsage().user / 1e6).toFixed(2)}`,
  );
}
clearInterval(timer);
await driver.stop();
await hub.stop();
