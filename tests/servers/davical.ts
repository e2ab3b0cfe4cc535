/**
 * DAViCal (Debian's `davical`, PHP on Apache with mod_php, PostgreSQL) on 127.0.0.1: a cluster of
 * its own (`postgres.ts`, DAViCal's database made by its own `create-database.sh` once per machine),
 * and an Apache of its own on a free port laid out as Debian's `sites-available/davical.conf`
 * (`/davical/` aliased to the htdocs, `/.well-known/` rewritten to caldav.php). The package's
 * `/etc/davical/config.php` names the database without a host: libpq finds our cluster through
 * PGHOST and PGPORT, which Apache's children inherit.
 */
import { execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { preparedCluster, clusterOwner } from './postgres';
import { BULK_SEED, basicHeader, freePort, launch, mkAddressBook, putCards, restartHard, stopProcess, waitForPort } from './process';
import type { TestServer } from './servers';

const HTDOCS = '/usr/share/davical/htdocs';
// Beside this file; from the bundled benchmarks (dist/bench), in the checkout they run from.
const SEEDER = [join(dirname(fileURLToPath(import.meta.url)), 'davical-seed.php'), join(process.cwd(), 'tests', 'servers', 'davical-seed.php')].find((f) => existsSync(f));
const MODULES = '/usr/lib/apache2/modules';

function apacheConfig(dir: string, port: number): string {
  const php = ['libphp8.4.so', 'libphp8.3.so', 'libphp8.2.so'].find((m) => existsSync(join(MODULES, m)));
  if (php === undefined) throw new Error('mod_php is not installed (apt-get install libapache2-mod-php)');
  const module = (name: string, file: string) => `LoadModule ${name}_module ${MODULES}/${file}`;
  return [
    `ServerRoot "${dir}"`,
    'ServerName 127.0.0.1',
    `Listen 127.0.0.1:${port}`,
    `PidFile ${dir}/httpd.pid`,
    `ErrorLog ${dir}/error.log`,
    'LogLevel warn',
    `Mutex file:${dir} default`,
    ...(process.getuid?.() === 0 ? ['User www-data', 'Group www-data'] : []),
    module('mpm_prefork', 'mod_mpm_prefork.so'),
    module('authz_core', 'mod_authz_core.so'),
    module('dir', 'mod_dir.so'),
    module('mime', 'mod_mime.so'),
    module('alias', 'mod_alias.so'),
    module('rewrite', 'mod_rewrite.so'),
    module('php', php),
    'TypesConfig /etc/mime.types',
    // A few children: the engine has up to four requests in flight.
    'StartServers 2',
    'MinSpareServers 2',
    'MaxSpareServers 4',
    'MaxRequestWorkers 6',
    `DocumentRoot ${HTDOCS}`,
    `Alias /davical ${HTDOCS}`,
    `<Directory ${HTDOCS}>`,
    '  DirectoryIndex index.php',
    '  AllowOverride None',
    '  Require all granted',
    '  AcceptPathInfo On',
    '</Directory>',
    '<FilesMatch "\\.php$">',
    '  SetHandler application/x-httpd-php',
    '</FilesMatch>',
    'php_flag display_errors off',
    'RewriteEngine On',
    'RewriteRule ^/\\.well-known/(.*)$ /davical/caldav.php/.well-known/$1 [NC,PT]',
    '',
  ].join('\n');
}

/** DAViCal's database and the test user, made once into the machine's template cluster. */
function buildDatabase(cluster: { socketDir: string; port: number; psql(db: string, sql: string): string }, user: string, password: string): void {
  const owner = clusterOwner();
  execFileSync('./create-database.sh', ['davical', 'admin-never-used'], {
    cwd: '/usr/share/davical/dba',
    env: { ...process.env, PGHOST: cluster.socketDir, PGPORT: String(cluster.port), PGUSER: 'postgres' },
    stdio: 'ignore',
    ...(owner === null ? {} : { uid: owner.uid, gid: owner.gid }),
  });
  // `**` marks a plain-text password in DAViCal's usr table.
  cluster.psql(
    'davical',
    `INSERT INTO usr (user_no, active, email_ok, updated, username, password, fullname, email) VALUES (1001, TRUE, current_date, current_date, '${user}', '**${password}', 'Alice', '${user}@example.org');` +
      `INSERT INTO principal (type_id, user_no, displayname, default_privileges) VALUES (1, 1001, 'Alice', 0::BIT(24));`,
  );
}

function hasPhpCli(): boolean {
  try {
    execFileSync('php', ['-r', 'exit(extension_loaded("pgsql") ? 0 : 1);'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export async function startDavical(): Promise<TestServer> {
  if (!existsSync(HTDOCS)) throw new Error('DAViCal is not installed (apt-get install davical postgresql apache2 libapache2-mod-php)');
  const user = 'alice';
  const password = 'secret';
  const { dir, cluster } = await preparedCluster('davical', (c) => buildDatabase(c, user, password));
  const apacheDir = join(dir, 'apache');
  mkdirSync(apacheDir, { recursive: true });
  const port = await freePort();
  writeFileSync(join(apacheDir, 'httpd.conf'), apacheConfig(apacheDir, port));
  let proc: ChildProcess;
  const start = async () => {
    proc = launch('/usr/sbin/apache2', ['-f', join(apacheDir, 'httpd.conf'), '-DFOREGROUND'], {
      env: { ...process.env, PGHOST: cluster.socketDir, PGPORT: String(cluster.port) },
      ownGroup: true,
    });
    await waitForPort(port, proc, 'davical (apache)');
  };
  await start();
  const base = `http://127.0.0.1:${port}`;
  const home = `${base}/davical/caldav.php/${user}/`;
  const auth = { Authorization: basicHeader(user, password) };
  let books = 0;
  const newBook = async () => {
    const url = `${home}book${++books}/`;
    await mkAddressBook(url, `Book ${books}`, auth);
    return url;
  };
  const addressBookUrl = await newBook();
  return {
    name: 'davical',
    baseUrl: `${base}/davical/`,
    addressBookUrl,
    user,
    password,
    newBook,
    // A few cards by PUT, as another client's; many by DAViCal's own PUT code in one transaction
    // (`davical-seed.php`), where 10,000 PUTs took 11 minutes. PUTs where PHP's CLI is missing.
    seed: async (cards, book = addressBookUrl) => {
      if (cards.length >= BULK_SEED && SEEDER !== undefined && process.env.CARDINAL_SEED !== 'put' && hasPhpCli()) {
        const path = decodeURIComponent(new URL(book).pathname).replace(/^\/davical\/caldav\.php/, '');
        execFileSync('php', [SEEDER, user, path], {
          input: JSON.stringify(cards),
          env: { ...process.env, PGHOST: cluster.socketDir, PGPORT: String(cluster.port) },
          stdio: ['pipe', 'ignore', 'inherit'],
        });
        return;
      }
      await putCards(book, cards, auth);
    },
    pause: () => stopProcess(proc),
    resume: start,
    restart: () => restartHard(proc, port, start),
    stop: async () => {
      await stopProcess(proc);
      await cluster.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
