import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
/** `shared/` beside the clone (or beside its parent, for a git worktree under wt/). */
const shared = (p: string) =>
  [resolve(REPO, '../shared', p), resolve(REPO, '../../shared', p)].find((c) => existsSync(c)) ??
  resolve(REPO, '../shared', p);
export const SCRIPTS = process.env.MLPERF_REAL_MOJALOOP ?? shared('real-mojaloop');
export const K6 = process.env.MLPERF_K6 ?? shared('bin/k6');
export const FSPIOP = 'http://127.0.0.1:3000';
export const ADMIN = 'http://127.0.0.1:3001';
/** Every service's /metrics: the API processes and the handler processes. */
export const METRICS = [
  `ml-api-adapter=${FSPIOP}/metrics`,
  `central-ledger=${ADMIN}/metrics`,
  'central-ledger-handlers=http://127.0.0.1:3101/metrics',
  'ml-api-adapter-notification=http://127.0.0.1:3100/metrics',
].join(',');
const HEALTH = [3000, 3001, 3100, 3101].map((p) => `http://127.0.0.1:${p}/health`);

export async function switchHealthy(): Promise<boolean> {
  const ok = await Promise.all(
    HEALTH.map((u) =>
      fetch(u, { signal: AbortSignal.timeout(3000) })
        .then(async (r) => r.ok && (await r.text()).includes('"status":"OK"'))
        .catch(() => false),
    ),
  );
  return ok.every(Boolean);
}

export function scriptsPresent(): boolean {
  return existsSync(join(SCRIPTS, 'up.sh')) && existsSync(join(SCRIPTS, 'down.sh'));
}

/** Runs a shared script (up.sh / down.sh) to the end; its output goes to the test log. */
export function script(name: 'up.sh' | 'down.sh'): Promise<number> {
  return new Promise((res) => {
    const p = spawn('bash', [join(SCRIPTS, name)], { stdio: ['ignore', 'inherit', 'inherit'] });
    p.on('exit', (code) => res(code ?? 1));
  });
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** The built CLI, as a user runs it. */
export function cli(
  args: string[],
  env: Record<string, string> = {},
  timeoutMs = 600_000,
): Promise<CliResult> {
  return new Promise((res) => {
    execFile(
      process.execPath,
      [join(REPO, 'apps/runner/dist/cli.js'), ...args],
      { cwd: REPO, env: { ...process.env, ...env }, timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
        res({ code, stdout, stderr });
      },
    );
  });
}

/** One query against central-ledger's MariaDB (the switch README's credentials), rows as tab-separated fields. */
export function sql(query: string): Promise<string[][]> {
  return new Promise((res, rej) => {
    execFile(
      'mariadb',
      ['-h127.0.0.1', '-P3306', '-ucentral_ledger', '-ppassword', 'central_ledger', '-N', '-B', '-e', query],
      { timeout: 30_000 },
      (err, stdout) => {
        if (err) rej(err);
        else
          res(
            stdout
              .split('\n')
              .filter(Boolean)
              .map((l) => l.split('\t')),
          );
      },
    );
  });
}

/** Final state of every transfer created since `since` (DB time), by state. */
export async function ledgerStatesSince(since: string): Promise<Record<string, number>> {
  const rows = await sql(`SELECT tsc.transferStateId, COUNT(*) FROM transfer t
    JOIN transferStateChange tsc ON tsc.transferStateChangeId =
      (SELECT MAX(transferStateChangeId) FROM transferStateChange WHERE transferId = t.transferId)
    WHERE t.createdDate >= '${since}' GROUP BY tsc.transferStateId`);
  return Object.fromEntries(rows.map(([s, n]) => [s as string, Number(n)]));
}

/** How many transfers created since `since` the switch has not finished (prepared, reserved or fulfilling). */
export async function unfinishedSince(since: string): Promise<number> {
  const s = await ledgerStatesSince(since);
  return (s.RECEIVED_PREPARE ?? 0) + (s.RESERVED ?? 0) + (s.RECEIVED_FULFIL ?? 0);
}

/** Committed amount per payer DFSP since `since`. */
export async function committedByPayer(since: string): Promise<Record<string, number>> {
  const rows = await sql(`SELECT p.name, SUM(tp.amount) FROM transfer t
    JOIN transferStateChange tsc ON tsc.transferStateChangeId =
      (SELECT MAX(transferStateChangeId) FROM transferStateChange WHERE transferId = t.transferId)
    JOIN transferParticipant tp ON tp.transferId = t.transferId AND tp.transferParticipantRoleTypeId =
      (SELECT transferParticipantRoleTypeId FROM transferParticipantRoleType WHERE name = 'PAYER_DFSP')
    JOIN participantCurrency pc ON pc.participantCurrencyId = tp.participantCurrencyId
    JOIN participant p ON p.participantId = pc.participantId
    WHERE t.createdDate >= '${since}' AND tsc.transferStateId = 'COMMITTED' GROUP BY p.name`);
  return Object.fromEntries(rows.map(([n, a]) => [n as string, Number(a)]));
}

export async function dbNow(): Promise<string> {
  const [[now]] = (await sql('SELECT NOW()')) as [[string]];
  // createdDate has whole seconds: start in the next one, so nothing earlier is counted
  await new Promise((r) => setTimeout(r, 1100));
  return now;
}

/** POSITION account value per DFSP (central-ledger admin API). */
export async function positions(dfsps: string[]): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const d of dfsps) {
    const list = (await fetch(`${ADMIN}/participants/${d}/positions`).then((r) => r.json())) as {
      value: number;
    }[];
    out[d] = Number(list[0]?.value ?? 0);
  }
  return out;
}
