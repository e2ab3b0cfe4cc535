/**
 * Electronegativity over the sources (electron/, shared/, renderer/), with the accepted findings of
 * `electronegativity.json`: anything new fails, and so does an accepted finding that no longer
 * occurs (the list stays true). Run offline it waits for its update checks to time out (~15 s).
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

interface Accepted {
  check: string;
  file: string;
  sample: string;
  reason: string;
}
interface Finding {
  check: string;
  file: string;
  line: string;
  level: string;
  message: string;
}

describe('Electronegativity security gate', () => {
  let work: string;
  let findings: Finding[];
  const config = JSON.parse(readFileSync(join(root, 'electronegativity.json'), 'utf8')) as { electronVersion: string; accepted: Accepted[] };

  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'cardinal-eneg-'));
    const src = join(work, 'src');
    for (const dir of ['electron', 'shared', 'renderer']) cpSync(join(root, dir), join(src, dir), { recursive: true, filter: (p) => !p.includes('node_modules') });
    cpSync(join(root, 'package.json'), join(src, 'package.json'));
    const out = join(work, 'findings.sarif');
    const run = spawnSync(join(root, 'node_modules/.bin/electronegativity'), ['-i', src, '-r', '-v', 'false', '-e', config.electronVersion, '-o', out], { encoding: 'utf8', timeout: 240_000 });
    if (run.status !== 0) throw new Error(`electronegativity failed (${run.status}): ${run.stderr}${run.stdout}`);
    const sarif = JSON.parse(readFileSync(out, 'utf8')) as {
      runs: { results: { ruleId: string; level: string; message: { text: string }; locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[] }[] }[];
    };
    findings = sarif.runs[0]!.results.map((r) => {
      const loc = r.locations[0]!.physicalLocation;
      const file = loc.artifactLocation.uri;
      const line = file === 'N/A' ? '' : (readFileSync(join(src, file), 'utf8').split('\n')[loc.region.startLine - 1] ?? '').trim();
      return { check: r.ruleId, file, line, level: r.level, message: r.message.text };
    });
  }, 300_000);
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  const accepts = (a: Accepted, f: Finding) => a.check === f.check && a.file === f.file && f.line.includes(a.sample);

  it('every finding is one the config accepts, with its reason', () => {
    const unexplained = findings.filter((f) => !config.accepted.some((a) => accepts(a, f)));
    expect(unexplained, `new findings; fix them or accept each with a reason in electronegativity.json:\n${JSON.stringify(unexplained, null, 2)}`).toEqual([]);
  });

  it('every accepted finding still occurs (no stale exceptions) and has a reason', () => {
    const stale = config.accepted.filter((a) => !findings.some((f) => accepts(a, f)));
    expect(stale).toEqual([]);
    for (const a of config.accepted) expect(a.reason.length).toBeGreaterThan(20);
  });

  it('runs against the Electron version the app ships (package.json pins it exactly)', () => {
    const pinned = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> }).devDependencies.electron;
    expect(pinned).toMatch(/^\d+\.\d+\.\d+$/);
    expect(config.electronVersion).toBe(pinned);
  });

  it('the checks that matter for this shell find nothing (node integration, context isolation, sandbox, web security, navigation)', () => {
    const hard = ['NODE_INTEGRATION_HTML_CHECK', 'NODE_INTEGRATION_JS_CHECK', 'CONTEXT_ISOLATION_JS_CHECK', 'SANDBOX_JS_CHECK', 'WEB_SECURITY_JS_CHECK', 'INSECURE_CONTENT_JS_CHECK', 'ALLOWPOPUPS_HTML_CHECK', 'AUXCLICK_JS_CHECK', 'REMOTE_MODULE_JS_CHECK'];
    expect(findings.filter((f) => hard.includes(f.check))).toEqual([]);
  });
});
