// The minimal stub hub in its own process, for the engine benchmark: prints its URL, runs until killed.
import { startStubHub } from '../test/support/stub-hub.js';

const hub = await startStubHub();
process.stdout.write(`${JSON.stringify({ url: hub.url, adminUrl: hub.adminUrl })}\n`);
process.on('SIGTERM', () => {
  void hub.close().then(() => process.exit(0));
});
