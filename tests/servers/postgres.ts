/**
 * A PostgreSQL cluster of the tests' own (never the system's): made by initdb in a temporary folder,
 * listening only on a unix socket in that folder, run as `postgres` when the tests run as root
 * (PostgreSQL refuses root). Several test runs on one machine each have their own.
 *
 * Building a database takes seconds (DAViCal's script loads its whole schema), so a cluster is
 * prepared once per machine as a template (`prepared`) and each server copies it.
 */
import { execFileSync, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launch } from './process';

const BIN = (() => {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'initdb'))) : [];
  const newest = versions.sort((a, b) => Number(b) - Number(a))[0];
  return newest === undefined ? null : join(root, newest, 'bin');
})();

export function postgresBin(tool: string): string {
  if (BIN === null) throw new Error('PostgreSQL is not installed (apt-get install postgresql)');
  return join(BIN, tool);
}

/** Who runs the cluster: `postgres` for root, else whoever runs the tests. */
export function clusterOwner(): { uid: number; gid: number } | null {
  if (process.getuid?.() !== 0) return null;
  const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
  return { uid, gid };
}

/** The socket's port number: only the socket file's name, in a folder of our own, so never a clash. */
export const SOCKET_PORT = 5432;

export interface Cluster {
  /** The folder of the socket (PGHOST). */
  readonly socketDir: string;
  readonly port: number;
  /** psql as the cluster's superuser. */
  psql(database: string, sql: string): string;
  stop(): Promise<void>;
}

function ownTo(path: string, owner: { uid: number; gid: number } | null): void {
  if (owner !== null) chownSync(path, owner.uid, owner.gid);
}

/** Start a cluster on a data folder (made by initdb, or a copy of a template). */
export async function startCluster(dataDir: string, socketDir: string): Promise<Cluster> {
  const owner = clusterOwner();
  mkdirSync(socketDir, { recursive: true });
  chmodSync(socketDir, 0o755);
  ownTo(socketDir, owner);
  const proc: ChildProcess = launch(
    postgresBin('postgres'),
    ['-D', dataDir, '-p', String(SOCKET_PORT), '-k', socketDir, '-c', "listen_addresses=", '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'],
    owner === null ? {} : { uid: owner.uid, gid: owner.gid },
  );
  const env = { ...process.env, PGHOST: socketDir, PGPORT: String(SOCKET_PORT) };
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`postgres exited with ${proc.exitCode}`);
    try {
      execFileSync(postgresBin('pg_isready'), ['-q'], { env, stdio: 'ignore' });
      break;
    } catch {
      if (Date.now() > deadline) throw new Error('postgres did not start');
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  const asOwner = owner === null ? {} : { uid: owner.uid, gid: owner.gid };
  return {
    socketDir,
    port: SOCKET_PORT,
    psql: (database, sql) => execFileSync(postgresBin('psql'), ['-qXAt', '-U', 'postgres', '-v', 'ON_ERROR_STOP=1', '-c', sql, database], { env, encoding: 'utf8', ...asOwner }),
    stop: () =>
      new Promise((resolve) => {
        if (proc.exitCode !== null) return resolve();
        proc.once('exit', () => resolve());
        proc.kill('SIGINT'); // fast shutdown: no waiting for clients
      }),
  };
}

/**
 * A copy of the machine's template cluster for `name`, made by `build` the first time (into a
 * folder of its own, then renamed into place, so two runs building at once both end with one).
 */
export async function preparedCluster(name: string, build: (cluster: Cluster) => Promise<void> | void): Promise<{ dir: string; cluster: Cluster }> {
  const owner = clusterOwner();
  const template = join(tmpdir(), `cardinal-${name}-template`);
  if (!existsSync(join(template, 'PG_VERSION'))) {
    rmSync(template, { recursive: true, force: true }); // a build that was cut short
    const work = mkdtempSync(join(tmpdir(), `cardinal-${name}-build-`));
    chmodSync(work, 0o755);
    ownTo(work, owner);
    const data = join(work, 'pg');
    execFileSync(postgresBin('initdb'), ['-D', data, '--auth=trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8', '--locale=C.UTF-8'], {
      stdio: 'ignore',
      ...(owner === null ? {} : { uid: owner.uid, gid: owner.gid }),
    });
    const cluster = await startCluster(data, join(work, 'sock'));
    try {
      await build(cluster);
    } finally {
      await cluster.stop();
    }
    try {
      renameSync(data, template);
    } catch {
      // Another run put its template in place first: use that one.
    }
    rmSync(work, { recursive: true, force: true });
  }
  const dir = mkdtempSync(join(tmpdir(), `cardinal-${name}-`));
  chmodSync(dir, 0o755);
  ownTo(dir, owner);
  const data = join(dir, 'pg');
  cpSync(template, data, { recursive: true, preserveTimestamps: true });
  if (owner !== null) execFileSync('chown', ['-R', `${owner.uid}:${owner.gid}`, data]);
  chmodSync(data, 0o700);
  return { dir, cluster: await startCluster(data, join(dir, 'sock')) };
}
