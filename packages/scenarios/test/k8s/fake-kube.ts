import { EventEmitter } from 'node:events';
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SUMMARY_BEGIN, SUMMARY_END } from '../../src/k6/script.js';

/**
 * A FAKE Kubernetes API server with a simulated k6-operator, for testing the executor where no
 * cluster can run. It implements only the endpoints mlperf calls (TestRuns, ConfigMaps, pods and
 * their logs, the simulator's Deployment and Service) and plays k6-operator's stages:
 * initialization -> initialized (initializer pod) -> created (runner pods) -> started -> finished.
 */
export interface FakeKubeOptions {
  /** false: the k6.io API group does not exist (k6-operator not installed). */
  crdInstalled?: boolean;
  /** Requests `METHOD /path` matching this are refused with 403 Forbidden. */
  forbid?: RegExp;
  /** Namespaces that exist (default: any). */
  namespaces?: string[];
  /** Runner pods cannot pull their image. */
  imagePullFails?: boolean;
  /** The runners finish only once this resolves (after the test's own traffic). */
  holdFinish?: () => Promise<void>;
  /** The DFSP simulator's image cannot be pulled. */
  simImagePullFails?: boolean;
  /** Runner 1 stops mid-test with this exit code (137 + OOMKilled, 107 script error...). */
  runnerCrash?: { exitCode: number; reason?: string };
  /** Runner 1 is deleted mid-test (evicted). */
  runnerVanishes?: boolean;
  /** The initializer fails with this log; the TestRun goes to stage error. */
  initializerFails?: string;
  /** Runner pods stay Pending, unschedulable. */
  unschedulable?: boolean;
  /** The handleSummary object runner `i` (0-based) prints; undefined: prints none. */
  summary?: (runner: number) => object | undefined;
  /** Where `services/<name>:<port>/proxy/...` goes (the DFSP simulator): base URL by `name:port`. */
  serviceProxy?: Record<string, string>;
  /** k6 exit code of the runners (99 = thresholds crossed). */
  exitCode?: number;
  stepMs?: number;
  runMs?: number;
}

interface FakePod {
  obj: {
    metadata: { name: string; labels: Record<string, string> };
    spec: { containers: { name: string; image: string }[] };
    status: Record<string, unknown>;
  };
  log: string;
  events: EventEmitter;
  ended: boolean;
}

type Obj = {
  metadata: { name: string; labels?: Record<string, string> };
  status?: Record<string, unknown>;
  spec?: Record<string, unknown>;
};

export class FakeKube {
  readonly requests: string[] = [];
  readonly authorizations = new Set<string>();
  readonly store = {
    configmaps: new Map<string, Obj>(),
    testruns: new Map<string, Obj>(),
    deployments: new Map<string, Obj>(),
    services: new Map<string, Obj>(),
  };
  readonly pods = new Map<string, FakePod>();
  private readonly timers = new Map<string, NodeJS.Timeout[]>();
  private readonly server = createServer((req, res) => this.handle(req, res));
  url = '';

  constructor(readonly options: FakeKubeOptions = {}) {}

  async start(): Promise<this> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    for (const ts of this.timers.values()) for (const t of ts) clearTimeout(t);
    for (const p of this.pods.values()) this.endPod(p);
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }

  /** A kubeconfig (YAML) pointing at this server, as a user would have one. */
  kubeconfig(namespace = 'perf', token = 'fake-secret-token'): string {
    return [
      'apiVersion: v1',
      'kind: Config',
      'clusters:',
      '- name: fake',
      '  cluster:',
      `    server: ${this.url}`,
      '    insecure-skip-tls-verify: true',
      'users:',
      '- name: fake-user',
      '  user:',
      `    token: ${token}`,
      'contexts:',
      '- name: fake',
      '  context:',
      '    cluster: fake',
      '    user: fake-user',
      `    namespace: ${namespace}`,
      'current-context: fake',
      '',
    ].join('\n');
  }

  private status(res: ServerResponse, code: number, reason: string, message: string): undefined {
    res.writeHead(code, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', message, reason, code }));
  }

  private json(res: ServerResponse, code: number, body: unknown): undefined {
    res.writeHead(code, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<undefined> {
    const url = new URL(req.url ?? '/', 'http://x');
    const line = `${req.method} ${url.pathname}`;
    this.requests.push(line);
    if (req.headers.authorization) this.authorizations.add(req.headers.authorization);
    let body = '';
    for await (const chunk of req) body += chunk;
    if (this.options.forbid?.test(line)) {
      return this.status(
        res,
        403,
        'Forbidden',
        `${url.pathname} is forbidden: User "fake-user" cannot ${req.method?.toLowerCase()} this resource`,
      );
    }
    const proxy = /^\/api\/v1\/namespaces\/[^/]+\/services\/([^/]+)\/proxy\/(.+)$/.exec(url.pathname);
    if (proxy) {
      const base = this.options.serviceProxy?.[decodeURIComponent(proxy[1] ?? '')];
      if (!base)
        return this.status(
          res,
          503,
          'ServiceUnavailable',
          `no endpoints available for service "${proxy[1]}"`,
        );
      const r = await fetch(`${base}/${decodeURIComponent(proxy[2] ?? '')}`);
      res.writeHead(r.status, { 'content-type': r.headers.get('content-type') ?? 'text/plain' });
      return void res.end(await r.text());
    }
    const m =
      /^\/(?:api\/v1|apis\/([^/]+)\/([^/]+))\/namespaces\/([^/]+)\/([^/]+)(?:\/([^/]+))?(?:\/(log))?$/.exec(
        url.pathname,
      );
    if (!m) return this.status(res, 404, 'NotFound', 'the server could not find the requested resource');
    const [, group, , ns, plural = '', name, sub] = m;
    if (group === 'k6.io' && this.options.crdInstalled === false) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      return void res.end('404 page not found\n');
    }
    if (this.options.namespaces && !this.options.namespaces.includes(ns ?? '')) {
      return this.status(res, 404, 'NotFound', `namespaces "${ns}" not found`);
    }
    if (plural === 'pods') return this.pod(res, url, name, sub);
    const store = this.store[plural as keyof FakeKube['store']];
    if (!store) return this.status(res, 404, 'NotFound', `no resource ${plural}`);
    if (req.method === 'GET' && !name)
      return this.json(res, 200, { kind: 'List', metadata: {}, items: [...store.values()] });
    if (req.method === 'POST') {
      const obj = JSON.parse(body) as Obj;
      if (store.has(obj.metadata.name))
        return this.status(res, 409, 'AlreadyExists', `${plural} "${obj.metadata.name}" already exists`);
      store.set(obj.metadata.name, obj);
      if (plural === 'testruns') this.operate(obj);
      if (plural === 'deployments' && this.options.simImagePullFails) {
        const labels =
          (obj as { spec?: { template?: { metadata?: { labels?: Record<string, string> } } } }).spec?.template
            ?.metadata?.labels ?? {};
        const pod = this.addPod(
          '',
          `${obj.metadata.name}-7d9f-abcde`,
          labels,
          {
            waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image "mlperf/mlperf:0.1.0"' },
          },
          'Pending',
        );
        delete pod.obj.metadata.labels.k6_cr;
        delete pod.obj.metadata.labels.app;
        (pod.obj.status.containerStatuses as { image: string }[])[0]!.image = 'mlperf/mlperf:0.1.0';
      }
      return this.json(res, 201, obj);
    }
    const existing = name === undefined ? undefined : store.get(name);
    if (!existing || name === undefined)
      return this.status(res, 404, 'NotFound', `${plural} "${name}" not found`);
    if (req.method === 'GET') return this.json(res, 200, existing);
    if (req.method === 'PUT') {
      store.set(name, JSON.parse(body) as Obj);
      return this.json(res, 200, store.get(name));
    }
    if (req.method === 'DELETE') {
      store.delete(name);
      if (plural === 'testruns') this.teardown(name);
      return this.json(res, 200, { kind: 'Status', status: 'Success' });
    }
    return this.status(res, 405, 'MethodNotAllowed', `${req.method} not allowed`);
  }

  private pod(res: ServerResponse, url: URL, name?: string, sub?: string): undefined {
    if (!name) {
      const [k, v] = (url.searchParams.get('labelSelector') ?? '').split('=');
      const items = [...this.pods.values()].map((p) => p.obj).filter((p) => !k || p.metadata.labels[k] === v);
      return this.json(res, 200, { kind: 'PodList', metadata: {}, items });
    }
    const pod = this.pods.get(name);
    if (!pod) return this.status(res, 404, 'NotFound', `pods "${name}" not found`);
    if (sub !== 'log') return this.json(res, 200, pod.obj);
    const state =
      (pod.obj.status.containerStatuses as { state: Record<string, unknown> }[] | undefined)?.[0]?.state ??
      {};
    if (state.waiting)
      return this.status(res, 400, 'BadRequest', `container "k6" in pod "${name}" is waiting to start`);
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.write(pod.log);
    if (url.searchParams.get('follow') !== 'true' || pod.ended) return void res.end();
    const onLine = (l: string) => res.write(l);
    const onEnd = () => res.end();
    pod.events.on('line', onLine);
    pod.events.once('end', onEnd);
    res.on('close', () => {
      pod.events.off('line', onLine);
      pod.events.off('end', onEnd);
    });
  }

  private addPod(
    tr: string,
    podName: string,
    labels: Record<string, string>,
    state: Record<string, unknown>,
    phase: string,
  ): FakePod {
    const image =
      (this.store.testruns.get(tr)?.spec?.runner as { image?: string } | undefined)?.image ?? 'grafana/k6';
    const pod: FakePod = {
      obj: {
        metadata: { name: podName, labels: { app: 'k6', k6_cr: tr, ...labels } },
        spec: { containers: [{ name: 'k6', image }] },
        status: {
          phase,
          containerStatuses: [
            { name: 'k6', image, ready: phase === 'Running', restartCount: 0, imageID: '', state },
          ],
        },
      },
      log: '',
      events: new EventEmitter(),
      ended: false,
    };
    this.pods.set(podName, pod);
    return pod;
  }

  private write(pod: FakePod, text: string): void {
    pod.log += text;
    pod.events.emit('line', text);
  }

  private endPod(pod: FakePod, exitCode = 0, reason = 'Completed'): void {
    if (pod.ended) return;
    pod.ended = true;
    pod.obj.status.phase = exitCode === 0 || exitCode === 99 ? 'Succeeded' : 'Failed';
    (pod.obj.status.containerStatuses as { state: unknown }[])[0] = {
      ...(pod.obj.status.containerStatuses as object[])[0],
      state: { terminated: { exitCode, reason } },
    } as never;
    pod.events.emit('end');
  }

  private setStage(tr: string, stage: string): void {
    const obj = this.store.testruns.get(tr);
    if (obj) obj.status = { ...obj.status, stage };
  }

  private at(tr: string, ms: number, f: () => void): void {
    const list = this.timers.get(tr) ?? [];
    list.push(setTimeout(() => this.store.testruns.has(tr) && f(), ms));
    this.timers.set(tr, list);
  }

  /** Plays k6-operator for one TestRun. */
  private operate(obj: Obj): void {
    const tr = obj.metadata.name;
    const o = this.options;
    const step = o.stepMs ?? 40;
    const runMs = o.runMs ?? 200;
    const n = Number((obj.spec as { parallelism: number }).parallelism);
    obj.status = { stage: 'initialization' };
    this.at(tr, step, () => {
      const init = this.addPod(tr, `${tr}-initializer-abcde`, {}, { running: {} }, 'Running');
      if (o.initializerFails) {
        this.write(init, `${o.initializerFails}\n`);
        this.endPod(init, 107, 'Error');
        this.at(tr, step, () => this.setStage(tr, 'error'));
        return;
      }
      this.write(init, '{"totalDuration":"1h5m30s","maxVUs":1200}\n');
      this.endPod(init);
      this.setStage(tr, 'initialized');
    });
    if (o.initializerFails) return;
    this.at(tr, 2 * step, () => {
      for (let i = 1; i <= n; i++) {
        const waiting = o.imagePullFails
          ? { waiting: { reason: 'ErrImagePull', message: 'pull access denied, repository does not exist' } }
          : { waiting: { reason: 'ContainerCreating' } };
        const pod = this.addPod(tr, `${tr}-${i}-x${i}yz`, { runner: 'true' }, waiting, 'Pending');
        if (o.unschedulable) {
          pod.obj.status.conditions = [
            {
              type: 'PodScheduled',
              status: 'False',
              reason: 'Unschedulable',
              message: '0/3 nodes are available: 3 Insufficient cpu.',
            },
          ];
        }
      }
      this.setStage(tr, 'created');
    });
    if (o.imagePullFails || o.unschedulable) return;
    this.at(tr, 3 * step, () => {
      for (const p of this.runners(tr)) {
        p.obj.status.phase = 'Running';
        (p.obj.status.containerStatuses as { state: unknown }[])[0]!.state = {
          running: { startedAt: new Date().toISOString() },
        };
        this.write(p, 'time="2026-11-27T08:00:00Z" level=info msg="test started"\n');
      }
      this.addPod(tr, `${tr}-starter-qwert`, {}, { terminated: { exitCode: 0 } }, 'Succeeded');
      this.setStage(tr, 'started');
    });
    this.at(tr, 3 * step + runMs / 2, () => {
      const first = this.runners(tr)[0];
      if (!first) return;
      this.write(first, 'running (30.0s), 0120/1200 VUs, 30000 complete and 0 interrupted iterations\n');
      if (o.runnerCrash) this.endPod(first, o.runnerCrash.exitCode, o.runnerCrash.reason ?? 'Error');
      if (o.runnerVanishes) {
        this.endPod(first);
        this.pods.delete(first.obj.metadata.name);
      }
    });
    const finish = () => {
      if (!this.store.testruns.has(tr)) return;
      this.runners(tr).forEach((p, i) => {
        const s = o.summary?.(i);
        if (s) this.write(p, `\n${SUMMARY_BEGIN}\n${JSON.stringify(s)}\n${SUMMARY_END}\n`);
        this.endPod(p, o.exitCode ?? 0);
      });
      this.setStage(tr, 'finished');
    };
    this.at(tr, 3 * step + runMs, () => {
      if (o.holdFinish) void o.holdFinish().then(finish);
      else finish();
    });
  }

  private runners(tr: string): FakePod[] {
    return [...this.pods.values()].filter(
      (p) => p.obj.metadata.labels.k6_cr === tr && p.obj.metadata.labels.runner === 'true',
    );
  }

  private teardown(tr: string): void {
    for (const t of this.timers.get(tr) ?? []) clearTimeout(t);
    this.timers.delete(tr);
    for (const [name, p] of this.pods) {
      if (p.obj.metadata.labels.k6_cr === tr) {
        this.endPod(p, 143, 'Terminated');
        this.pods.delete(name);
      }
    }
  }
}
