import { writeFileSync } from 'node:fs';
import { startHub } from '@mlperf/hub';
const hub = await startHub({ profile: 'healthy' });
writeFileSync(
  '/tmp/hubdiag/urls.json',
  JSON.stringify({ url: hub.url, adminUrl: hub.adminUrl, metricsUrl: hub.metricsUrl }),
);
process.on('SIGTERM', () => void hub.stop().then(() => process.exit(0)));
process.on('SIGINT', () => void hub.stop().then(() => process.exit(0)));
