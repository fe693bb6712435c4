// A callback server alone in its own process, for engine-callback-server.bench.ts. argv[2]: the
// module that exports CallbackServer (this checkout's, or another checkout's for a comparison).
// Answers IPC 'cpu' with its CPU time so far (µs).
const mod = (await import(process.argv[2] as string)) as typeof import('../src/engine/callback-server.js');
// the body is the last argument (older checkouts passed the request headers before it)
const handler = {
  prepare: () => 202,
  transferPut: (...args: unknown[]) => (String(args[args.length - 1]).length > 0 ? 200 : 400),
  transferError: () => 200,
  other: () => 404,
  metrics: async () => ({ contentType: 'text/plain', text: '' }),
};
const server = new mod.CallbackServer(handler);
const { port } = await server.listen(0, '127.0.0.1');
process.on('message', () => {
  const u = process.cpuUsage();
  process.send?.({ cpuUs: u.user + u.system, sysUs: u.system });
});
process.on('SIGINT', () => process.exit(0));
process.send?.({ port });
