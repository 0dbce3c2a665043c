import { StdioServer, engramCommand, freshDir } from './lib/stdio-server.mjs';
const FILLER = 'The quick brown fox jumps over the lazy dog while the build server compiles modules.';
const flags = process.argv.slice(2);
const dir = await freshDir('prof');
const server = new StdioServer(engramCommand(dir, flags), '/tmp/prof/stderr.log');
await server.initialize(); await server.request('tools/list', {});
async function overlapped(tag, count, inFlight) {
  let next = 0; const t0 = performance.now();
  await Promise.all(Array.from({ length: inFlight }, async () => {
    for (let i = next++; i < count; i = next++) {
      const { result } = await server.callTool('memory_add', { content: `Storage benchmark note ${tag}${i}. ${FILLER}`, layer_hint: 'LTM' });
      if (!result.structuredContent?.id) throw new Error(JSON.stringify(result));
    }
  }));
  return count / ((performance.now() - t0) / 1000);
}
await overlapped('warm', 3000, 64);
import { readFileSync, readdirSync } from 'node:fs';
const javaPid = readdirSync('/proc').filter((d) => /^\d+$/.test(d)).find((d) => { try { return readFileSync(`/proc/${d}/cmdline`, 'utf8').includes(dir); } catch { return false; } });
const javaCpu = () => { const f = readFileSync(`/proc/${javaPid}/stat`, 'utf8').split(') ')[1].split(' '); return (Number(f[11]) + Number(f[12])) / 100; };
for (let r = 0; r < Number(process.env.ROUNDS ?? 3); r++) {
  const n0 = process.cpuUsage(); const j0 = javaCpu(); const t0 = performance.now();
  const rate = Math.round(await overlapped('r' + r, 10000, 64));
  const wall = (performance.now() - t0) / 1000; const n = process.cpuUsage(n0); const j = javaCpu() - j0;
  console.log('calls/s', rate, 'node cores', ((n.user + n.system) / 1e6 / wall).toFixed(2), 'java cores', (j / wall).toFixed(2), 'java µs/add', Math.round(j * 1e6 / 10000));
}
const threads = {};
for (const t of readdirSync(`/proc/${javaPid}/task`)) { try { const st = readFileSync(`/proc/${javaPid}/task/${t}/stat`, 'utf8'); const name = st.slice(st.indexOf('(') + 1, st.lastIndexOf(')')).replace(/[0-9]+/g, '#'); const f = st.split(') ')[1].split(' '); threads[name] = (threads[name] ?? 0) + (Number(f[11]) + Number(f[12])) / 100; } catch {} }
console.log(Object.entries(threads).sort((a, b) => b[1] - a[1]).slice(0, 12).map(([n, c]) => `${n}: ${c.toFixed(2)} s`).join('\n'));
await server.close();
