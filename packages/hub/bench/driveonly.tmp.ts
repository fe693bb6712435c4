import { readFileSync } from 'node:fs';
import { FspiopDriver } from '../test/support/fspiop-driver.js';
const { url, adminUrl, metricsUrl } = JSON.parse(readFileSync('/tmp/hubdiag/urls.json', 'utf8'));
const rate = Number(process.env.RATE ?? 1000);
const driver = new FspiopDriver(url, adminUrl);
await driver.start(Array.from({ length: 8 }, (_, i) => `perffsp-${i + 1}`));
const start = performance.now();
let sent = 0;
let done = 0;
const timer = setInterval(() => {
  const due = Math.floor(((performance.now() - start) / 1000) * rate);
  for (; sent < due; sent++)
    void driver.transfer(`perffsp-${(sent % 4) + 1}`, `perffsp-${(sent % 4) + 5}`, '1').then(() => done++);
}, 5);
for (let i = 0; i < Number(process.env.SECS ?? 8); i++) {
  await new Promise((r) => setTimeout(r, 1000));
  const m = await (await fetch(metricsUrl)).text();
  const cpu = /process_cpu_seconds_total (\d\S*)/.exec(m)?.[1];
  console.log(
    `t=${((performance.now() - start) / 1000).toFixed(1)}s sent=${sent} done=${done} hubcpu=${cpu} driverCpu=${((process.cpuUsage().user + process.cpuUsage().system) / 1e6).toFixed(2)}`,
  );
}
clearInterval(timer);
await driver.stop();
