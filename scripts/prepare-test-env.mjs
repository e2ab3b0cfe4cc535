// What the tests need from the machine, installed when missing and possible (root with apt-get),
// otherwise a stop with the exact command to run. Debian package names.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** [what, how to tell it is there, Debian package] */
export const REQUIREMENTS = [
  ['Chromium', () => existsSync(process.env.CARDINAL_CHROMIUM ?? '/usr/bin/chromium'), 'chromium'],
  // CJK glyphs, so the screenshots and layout tests show Chinese names rather than empty boxes.
  // Real CardDAV servers for the integration tests.
  ['Radicale', () => existsSync('/usr/bin/radicale'), 'radicale'],
  ['Xandikos', () => existsSync('/usr/bin/xandikos'), 'xandikos'],
  ['Noto CJK fonts', () => existsSync('/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc'), 'fonts-noto-cjk'],
];

function canApt() {
  return process.platform === 'linux' && typeof process.getuid === 'function' && process.getuid() === 0 && spawnSync('apt-get', ['--version']).status === 0;
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
