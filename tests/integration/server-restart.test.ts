/**
 * The harness's hard restart (`restartHard`, `TestServer.restart`), which the sync bench uses
 * after it stopped a peer: a server still at work on that peer's request is killed with its whole
 * process tree, its port seen closed, and started again on the same data and port, answering. A
 * SIGTERM is not enough: a server whose event loop is busy on one request (Xandikos on a multiget
 * of thousands of hrefs) handles it only when that request is done, minutes later.
 */
import { type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CardDavClient } from '../../electron/dav/client';
import { DavHttp } from '../../electron/dav/http';
import { generateCard } from '../bench/corpus';
import { freePort, launch, portOpen, restartHard, waitForPort } from '../servers/process';
import { SERVERS, type TestServer } from '../servers/servers';
import { startXandikos } from '../servers/xandikos';

/** Whether a process runs (a zombie counts as gone). */
function runs(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !['Z', 'X'].includes(stat.slice(stat.lastIndexOf(')') + 2)[0]!);
  } catch {
    return false;
  }
}

// A server as stubborn as a busy Xandikos: its SIGTERM handler closes it gracefully, but a request
// to /busy keeps its event loop for two minutes, so the handler waits for that; it has a child in
// a process group of its own (which a kill of the server's group alone would leave behind).
const STUBBORN = `
const { spawn } = require('node:child_process');
const { writeFileSync } = require('node:fs');
const http = require('node:http');
const [port, pidFile] = process.argv.slice(2);
const kid = spawn('sleep', ['600'], { detached: true, stdio: 'ignore' });
const server = http.createServer((req, res) => {
  if (req.url === '/busy') {
    writeFileSync(pidFile + '.busy', '1');
    const end = Date.now() + 120000;
    while (Date.now() < end) {}
  }
  res.end(String(process.pid));
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
server.listen(Number(port), '127.0.0.1', () => writeFileSync(pidFile, JSON.stringify({ pid: process.pid, kid: kid.pid })));
`;

describe('restartHard', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cardinal-restart-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('kills a server busy on a request with its whole tree, and has it answering again on the same port', { timeout: 30_000 }, async () => {
    const script = join(dir, 'stubborn.cjs');
    writeFileSync(script, STUBBORN);
    const port = await freePort();
    const pidFile = join(dir, 'pids.json');
    let proc: ChildProcess;
    const start = async () => {
      rmSync(pidFile, { force: true });
      rmSync(`${pidFile}.busy`, { force: true });
      proc = launch(process.execPath, [script, String(port), pidFile]);
      await waitForPort(port, proc, 'stubborn');
    };
    await start();
    const first = JSON.parse(readFileSync(pidFile, 'utf8')) as { pid: number; kid: number };
    // A client asks, and is gone: the server goes on with its request.
    const ask = new AbortController();
    void fetch(`http://127.0.0.1:${port}/busy`, { signal: ask.signal }).catch(() => undefined);
    while (!existsSync(`${pidFile}.busy`)) await new Promise((r) => setTimeout(r, 20));
    ask.abort();

    await restartHard(proc!, port, start);

    expect(runs(first.pid)).toBe(false);
    expect(runs(first.kid)).toBe(false);
    const second = JSON.parse(readFileSync(pidFile, 'utf8')) as { pid: number; kid: number };
    expect(second.pid).not.toBe(first.pid);
    expect(await (await fetch(`http://127.0.0.1:${port}/`)).text()).toBe(String(second.pid));
    await restartHard(proc!, port, async () => undefined);
    expect(await portOpen(port)).toBe(false);
    expect(runs(second.kid)).toBe(false);
  });
});

describe('Xandikos restarted while it works on a stopped client’s multiget', () => {
  // A multiget of every href costs Xandikos about the book times its hrefs (it reads them one by
  // one): 3,000 keep it busy for minutes.
  const N = 3_000;
  let server: Awaited<ReturnType<typeof startXandikos>> | undefined;
  afterAll(() => server?.stop());

  it('answers again, every card in place, without waiting for the multiget', { timeout: 60_000 }, async () => {
    server = await startXandikos();
    const book = server.addressBookUrl;
    await server.seed(Array.from({ length: N }, (_, i) => ({ file: `seed-${i}.vcf`, vcard: generateCard(i) })));
    const hrefs = Array.from({ length: N }, (_, i) => `<d:href>${new URL(`seed-${i}.vcf`, book).pathname}</d:href>`).join('');
    const ask = new AbortController();
    void fetch(book, {
      method: 'REPORT',
      headers: { Depth: '1', 'Content-Type': 'application/xml' },
      body: `<?xml version="1.0"?><card:addressbook-multiget xmlns:d="DAV:" xmlns:card="urn:ietf:params:xml:ns:carddav"><d:prop><d:getetag/><card:address-data/></d:prop>${hrefs}</card:addressbook-multiget>`,
      signal: ask.signal,
    }).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 1_000));
    ask.abort();

    await server.restart();

    const res = await fetch(book, {
      method: 'REPORT',
      headers: { Depth: '1', 'Content-Type': 'application/xml' },
      body: '<?xml version="1.0"?><card:addressbook-query xmlns:d="DAV:" xmlns:card="urn:ietf:params:xml:ns:carddav"><d:prop><d:getetag/><card:address-data/></d:prop></card:addressbook-query>',
    });
    expect(res.status).toBe(207);
    expect((await res.text()).split('BEGIN:VCARD').length - 1).toBe(N);
  });
});

for (const [name, start] of SERVERS) {
  describe(`${name} restarted hard`, () => {
    let server: TestServer | undefined;
    afterAll(() => server?.stop());

    it('keeps its data and answers again on the same address', async () => {
      server = await start();
      await server.seed([{ file: 'kept.vcf', vcard: generateCard(1) }]);
      const client = new CardDavClient(new DavHttp({ auth: server.password === '' ? { kind: 'none' } : { kind: 'basic', user: server.user, password: server.password } }));
      const before = await client.listEtags(server.addressBookUrl);
      await server.restart();
      expect(await client.listEtags(server.addressBookUrl)).toEqual(before);
      expect(before.map((m) => m.href.split('/').pop())).toEqual(['kept.vcf']);
    });
  });
}
