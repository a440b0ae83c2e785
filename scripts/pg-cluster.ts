// A throwaway PostgreSQL cluster for tests and benchmarks: initdb into a temp folder, start it on a free
// loopback port with durability turned off (the data dies with the run, so fsync only costs time), and
// stop and delete it afterwards. Nothing here touches a system cluster. The bench may instead keep the
// data folder between runs (`dataDir`) to keep its generated worlds: same settings, only the folder stays.
import { execFile, spawn, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, closeSync, existsSync, mkdirSync, openSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

const INSTALL_HINT = 'Install it with `apt-get install postgresql` (npm test does this on Debian), or set CONVOY_PG_BIN to a folder holding initdb and pg_ctl.';

export type PgCluster = {
  /** Superuser URL of the `postgres` database, for CREATE/DROP DATABASE. */
  adminUrl: string;
  port: number;
  dir: string;
  /** Stops the server and deletes its folder (a kept data folder stays, shut down cleanly); safe to call twice. */
  stop: () => Promise<void>;
};

export type PgClusterOptions = {
  /**
   * A data folder kept after the run: made by initdb when it holds no cluster of this PostgreSQL's major
   * version, reused as it is otherwise. With fsync off, what it holds survives a clean stop and a crash of
   * the server, not one of the machine: only for data that can be made again (the bench's worlds).
   */
  dataDir?: string;
};

/** The bin folder of the newest PostgreSQL under /usr/lib/postgresql (Debian's layout), or CONVOY_PG_BIN. */
export function findPostgresBin(): string {
  const override = process.env.CONVOY_PG_BIN;
  if (override) {
    if (!existsSync(join(override, 'initdb'))) throw new Error(`CONVOY_PG_BIN=${override} holds no initdb. ${INSTALL_HINT}`);
    return override;
  }
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((v) => /^\d+(\.\d+)?$/.test(v) && existsSync(join(root, v, 'bin', 'initdb')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (versions.length === 0) throw new Error(`PostgreSQL server binaries not found under ${root}/*/bin. ${INSTALL_HINT}`);
  return join(root, versions[0]!, 'bin');
}

// initdb and postgres refuse to run as root, so as root every PostgreSQL command runs as the `postgres`
// OS user (created by the Debian package); as anyone else it runs as that user directly.
function asPostgres(command: string, args: string[]): [string, string[]] {
  if (process.getuid?.() !== 0) return [command, args];
  return ['runuser', ['-u', 'postgres', '--', command, ...args]];
}

function postgresOwner(): { uid: number; gid: number } | null {
  if (process.getuid?.() !== 0) return null;
  const id = (flag: string) => spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' });
  const uid = id('-u');
  const gid = id('-g');
  if (uid.status !== 0 || gid.status !== 0) throw new Error(`Running as root needs the \`postgres\` OS user to run PostgreSQL. ${INSTALL_HINT}`);
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

async function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function tail(file: string, lines = 20): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

function describeFailure(error: unknown): string {
  const e = error as { stderr?: string; stdout?: string; message?: string };
  return [e.message, e.stderr, e.stdout].filter(Boolean).join('\n').trim();
}

type RunningServer = { exited: Promise<void> };

// The server runs as our child (not daemonized by `pg_ctl start`), so when it stops this process reaps
// it: no zombie is left for init, and `pgrep postgres` is empty right after the run.
async function startServer(bin: string, data: string, port: number, log: string, socketDir: string): Promise<RunningServer> {
  const logFd = openSync(log, 'a');
  const child = spawn(...asPostgres(join(bin, 'postgres'), ['-D', data, '-p', String(port), '-k', socketDir]), { stdio: ['ignore', logFd, logFd] });
  closeSync(logFd);
  let exitCode: number | null | undefined;
  const exited = new Promise<void>((resolve) => {
    child.once('exit', (code) => {
      exitCode = code;
      resolve();
    });
  });
  child.once('error', () => undefined);
  const deadline = Date.now() + 60_000;
  while (exitCode === undefined) {
    const ready = spawnSync(join(bin, 'pg_isready'), ['-q', '-h', '127.0.0.1', '-p', String(port), '-U', 'postgres']);
    if (ready.status === 0) return { exited };
    if (Date.now() > deadline) throw new Error('PostgreSQL did not accept connections within 60 s');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`PostgreSQL exited during start-up (status ${exitCode})`);
}

// The major version a data folder was made by, or null when it holds no cluster.
function clusterVersion(data: string): string | null {
  try {
    return readFileSync(join(data, 'PG_VERSION'), 'utf8').trim();
  } catch {
    return null;
  }
}

// The pid in a data folder's postmaster.pid if that process is alive (a crashed server leaves a stale file).
function livePostmaster(data: string): number | null {
  let pid: number;
  try {
    pid = Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
  } catch {
    return null;
  }
  if (!Number.isInteger(pid) || pid <= 0) return null;
  try {
    process.kill(pid, 0);
    return pid;
  } catch (error) {
    // EPERM: alive, and someone else's (we are not root here).
    return (error as NodeJS.ErrnoException).code === 'EPERM' ? pid : null;
  }
}

// "postgres (PostgreSQL) 15.14 (Debian 15.14-0+deb12u1)" → "15" (before 10: "9.6"), as PG_VERSION spells it.
function majorVersion(bin: string): string | null {
  const version = /\(PostgreSQL\) (\d+)(\.\d+)?/.exec(spawnSync(join(bin, 'postgres'), ['--version'], { encoding: 'utf8' }).stdout ?? '');
  if (!version) return null;
  return Number(version[1]) >= 10 ? version[1]! : `${version[1]}${version[2] ?? ''}`;
}

export async function startPgCluster(options: PgClusterOptions = {}): Promise<PgCluster> {
  const bin = findPostgresBin();
  const owner = postgresOwner();
  const { dataDir } = options;
  const keptCluster = dataDir !== undefined && clusterVersion(dataDir) === majorVersion(bin);
  // A kept folder may be another run's right now: starting (or stopping, on failure) a server there would end it.
  const holder = keptCluster ? livePostmaster(dataDir) : null;
  if (holder !== null) throw new Error(`The PostgreSQL cluster in ${dataDir} is in use by another process (postmaster pid ${holder}): one run at a time uses it.`);
  const dir = mkdtempSync(join(tmpdir(), 'convoy-pg-'));
  chmodSync(dir, 0o700);
  if (owner) chownSync(dir, owner.uid, owner.gid);
  const data = options.dataDir ?? join(dir, 'data');
  const log = join(dir, 'postgres.log');
  if (options.dataDir !== undefined && !keptCluster) {
    // Nothing kept, or a cluster another major version made (it cannot start on these binaries): a new one.
    rmSync(data, { recursive: true, force: true });
    mkdirSync(data, { recursive: true, mode: 0o700 });
    if (owner) chownSync(data, owner.uid, owner.gid);
  }
  const pgCtl = join(bin, 'pg_ctl');

  let server: RunningServer | undefined;
  // Immediate shutdown skips the checkpoint: for a half-started server, or when the process exits
  // without teardown. The pid file, not `server`, says whether a postmaster may be running.
  const killServer = () => {
    if (existsSync(join(data, 'postmaster.pid'))) spawnSync(...asPostgres(pgCtl, ['-D', data, '-m', 'immediate', '-w', 'stop']), { stdio: 'ignore' });
  };
  const stopSync = () => {
    killServer();
    server = undefined;
    rmSync(dir, { recursive: true, force: true });
  };
  // A kept folder whose start failed is left for the next start to recover or replace; a new one goes.
  const removeNewData = () => {
    if (options.dataDir !== undefined && !keptCluster) rmSync(data, { recursive: true, force: true });
  };
  // Vitest runs teardown on SIGINT and SIGTERM; a hang-up (closed terminal) would kill it outright and
  // orphan the server, so stop it first and then exit as the signal would have.
  const onHangup = () => {
    stopSync();
    process.exit(129);
  };
  const forget = () => {
    process.removeListener('exit', stopSync);
    process.removeListener('SIGHUP', onHangup);
  };
  process.once('exit', stopSync);
  process.once('SIGHUP', onHangup);

  try {
    if (!keptCluster) {
      await run(
        ...asPostgres(join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--locale=C.UTF-8', '--no-sync', '--no-instructions']),
      );
      // Appended last, so these win over initdb's defaults. Trust auth (from --auth) is fine: the server
      // listens on loopback and a socket folder only its owner can enter. The socket folder is named on
      // the command line (startServer), since a kept cluster gets a new one each run.
      const settings = {
        listen_addresses: "'127.0.0.1'",
        max_connections: '200',
        fsync: 'off',
        synchronous_commit: 'off',
        full_page_writes: 'off',
        jit: 'off',
      };
      const conf = join(data, 'postgresql.conf');
      const lines = Object.entries(settings).map(([key, value]) => `${key} = ${value}`);
      writeFileSync(conf, `${readFileSync(conf, 'utf8')}\n# convoy test cluster\n${lines.join('\n')}\n`);
    }

    // Another process may take the port between probing and binding it; a fresh port fixes that.
    let port = 0;
    for (let attempt = 1; ; attempt += 1) {
      port = await freeLoopbackPort();
      try {
        server = await startServer(bin, data, port, log, dir);
        break;
      } catch (error) {
        killServer();
        if (attempt >= 3) throw new Error(`${describeFailure(error)}\n${tail(log)}`);
      }
    }

    const adminUrl = `postgres://postgres@127.0.0.1:${port}/postgres`;
    const stop = async () => {
      forget();
      const running = server;
      server = undefined;
      if (running) {
        try {
          await run(...asPostgres(pgCtl, ['-D', data, '-m', 'fast', '-w', '-t', '60', 'stop']));
        } catch {
          killServer();
        }
        await running.exited;
      }
      rmSync(dir, { recursive: true, force: true });
    };
    return { adminUrl, port, dir, stop };
  } catch (error) {
    forget();
    stopSync();
    removeNewData();
    throw new Error(`Could not start ${options.dataDir === undefined ? 'a throwaway PostgreSQL cluster' : `the PostgreSQL cluster kept in ${data}`} (${bin}):\n${describeFailure(error)}`);
  }
}
