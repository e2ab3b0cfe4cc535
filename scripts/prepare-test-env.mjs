// What the tests need from the machine, installed when missing and possible (root with apt-get),
// otherwise a stop with the exact command to run. Debian package names.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';

/** A PHP extension of the CLI is there (Debian lists each in /etc/php/<version>/cli/conf.d). */
const phpModule = (name) => {
  try {
    return readdirSync('/etc/php').some((v) => existsSync(`/etc/php/${v}/cli/conf.d`) && readdirSync(`/etc/php/${v}/cli/conf.d`).some((f) => f.endsWith(`-${name}.ini`)));
  } catch {
    return false;
  }
};
const postgres = () => existsSync('/usr/lib/postgresql') && readdirSync('/usr/lib/postgresql').some((v) => existsSync(`/usr/lib/postgresql/${v}/bin/initdb`));
const modPhp = () => existsSync('/usr/lib/apache2/modules') && readdirSync('/usr/lib/apache2/modules').some((f) => /^libphp[\d.]*\.so$/.test(f));

/** [what, how to tell it is there, Debian package] */
export const REQUIREMENTS = [
  ['Chromium', () => existsSync(process.env.CARDINAL_CHROMIUM ?? '/usr/bin/chromium'), 'chromium'],
  // CJK glyphs, so the screenshots and layout tests show Chinese names rather than empty boxes.
  // Real CardDAV servers for the integration tests.
  ['Radicale', () => existsSync('/usr/bin/radicale'), 'radicale'],
  ['Xandikos', () => existsSync('/usr/bin/xandikos'), 'xandikos'],
  // SabreDAV under PHP's built-in server, with SQLite.
  ['SabreDAV', () => existsSync('/usr/share/php/Sabre/autoload.php'), 'php-sabre-dav'],
  ['PHP', () => existsSync('/usr/bin/php'), 'php-cli'],
  ['PHP SQLite', () => phpModule('pdo_sqlite'), 'php-sqlite3'],
  // DAViCal on an Apache and a PostgreSQL cluster of the tests' own.
  ['DAViCal', () => existsSync('/usr/share/davical/htdocs/caldav.php'), 'davical'],
  ['PostgreSQL', postgres, 'postgresql'],
  ['Apache', () => existsSync('/usr/sbin/apache2'), 'apache2'],
  ['Apache mod_php', modPhp, 'libapache2-mod-php'],
  // The print test renders the PDF Chromium made to a picture.
  ['pdftoppm', () => existsSync('/usr/bin/pdftoppm'), 'poppler-utils'],
  // A peer in `npm run bench -- sync` (not needed by the tests; installed with them where apt-get can).
  ['vdirsyncer', () => existsSync('/usr/bin/vdirsyncer'), 'vdirsyncer'],
  ['Noto CJK fonts', () => existsSync('/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc'), 'fonts-noto-cjk'],
];

function canApt() {
  return process.platform === 'linux' && typeof process.getuid === 'function' && process.getuid() === 0 && spawnSync('apt-get', ['--version']).status === 0;
}

/**
 * Install what `names` (REQUIREMENTS' first column) lack, where this process can (root with
 * apt-get); never exits. Returns what is still missing, each with its Debian package, so a caller
 * (the sync bench) can say exactly what a column lacks instead of leaving it empty.
 */
export function ensureRequirements(names, purpose) {
  const wanted = REQUIREMENTS.filter(([what]) => names.includes(what));
  const missing = wanted.filter(([, present]) => !present());
  if (missing.length === 0) return [];
  const packages = missing.map(([, , pkg]) => pkg);
  if (canApt()) {
    console.log(`Installing ${packages.join(', ')} from Debian's packages for ${purpose}…`);
    try {
      execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
      execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...packages], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    } catch (e) {
      console.error(`apt-get failed: ${e.message}`);
    }
  }
  const still = missing.filter(([, present]) => !present());
  if (still.length > 0) {
    const why = canApt() ? 'apt-get did not install them' : 'this process cannot install them (not root, or no apt-get)';
    console.error(`Missing for ${purpose}: ${still.map(([what]) => what).join(', ')}; ${why}. Install with:\n\n  sudo apt-get update && sudo apt-get install -y ${still.map(([, , pkg]) => pkg).join(' ')}\n`);
  }
  return still.map(([what, , pkg]) => ({ what, pkg }));
}

export function prepareTestEnvironment() {
  const missing = REQUIREMENTS.filter(([, present]) => !present());
  if (missing.length === 0) return;
  const packages = missing.map(([, , pkg]) => pkg);
  if (!canApt()) {
    console.error(`Missing for the tests: ${missing.map(([what]) => what).join(', ')}.\nInstall with:\n\n  sudo apt-get update && sudo apt-get install -y ${packages.join(' ')}\n`);
    process.exit(2);
  }
  console.log(`Installing ${packages.join(', ')} from Debian's packages…`);
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
  execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...packages], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  const still = missing.filter(([, present]) => !present());
  if (still.length > 0) {
    console.error(`Still missing after apt-get: ${still.map(([what]) => what).join(', ')}`);
    process.exit(2);
  }
}
