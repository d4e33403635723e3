// Wall time and peak memory of a command and of every process it starts.
// /usr/bin/time reports the largest peak RSS among the command and the
// children it waited for (getrusage keeps the maximum, not the sum); with
// `tree: true` the whole tree's RSS is also sampled from /proc every 20 ms,
// for the peak of the sum of the processes alive at once.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';

export const MiB = 1024 * 1024;
export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
export const secs = (ms) => `${(ms / 1000).toFixed(2)} s`;
export const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
export const machine = () => `${cpus().length} cores, ${cpus()[0]?.model.trim()}, Node ${process.version}`;

/**
 * RSS (KiB) of `pid` and all its descendants, summed, and each one's peak
 * (VmHWM) recorded in `peaks` by command name (the largest of that name).
 */
function sampleTree(root, peaks) {
  const children = new Map();
  const info = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const status = readFileSync(`/proc/${entry}/status`, 'utf8');
      const field = (name) => new RegExp(`^${name}:\\s+(\\S+)`, 'm').exec(status)?.[1];
      const ppid = Number(field('PPid'));
      info.set(Number(entry), { name: field('Name'), rss: Number(field('VmRSS') || 0), hwm: Number(field('VmHWM') || 0) });
      if (!children.has(ppid)) children.set(ppid, []);
      children.get(ppid).push(Number(entry));
    } catch {} // gone meanwhile
  }
  let sum = 0;
  const walk = (pid, depth) => {
    const p = info.get(pid);
    if (p) {
      sum += p.rss;
      if (depth > 0) peaks.set(p.name, Math.max(peaks.get(p.name) ?? 0, p.hwm));
    }
    for (const c of children.get(pid) ?? []) walk(c, depth + 1);
  };
  walk(root, 0);
  return sum;
}

/**
 * Run `file args`; resolve { ms, cpuMs (user + system time of it and the
 * children it waited for: less moved by other load than ms), peakMiB (largest single process), treeMiB
 * (peak of the sampled sum, with `tree`), byName (each process's sampled
 * peak, with `tree`), stderr }. Rejects on a non-zero exit.
 */
export function measure(file, args, { env = process.env, cwd, tree = false } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'ionflow-bench-time-'));
  const out = join(dir, 'rss');
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn('/usr/bin/time', ['-f', '%M %U %S', '-o', out, file, ...args], { env, cwd, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    let treeKiB = 0;
    const peaks = new Map();
    const timer = tree ? setInterval(() => (treeKiB = Math.max(treeKiB, sampleTree(child.pid, peaks))), 20) : undefined;
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = performance.now() - started;
      clearInterval(timer);
      let [peakKiB, user, sys] = [Number.NaN, Number.NaN, Number.NaN];
      try {
        [peakKiB, user, sys] = readFileSync(out, 'utf8').trim().split('\n').at(-1).split(' ').map(Number);
      } catch {}
      rmSync(dir, { recursive: true, force: true });
      if (code !== 0) {
        reject(new Error(`${file} ${args.join(' ')} exited ${code}: ${stderr.trim().split('\n').slice(-3).join(' | ')}`));
        return;
      }
      const tool = file === process.execPath ? 'ionflow' : file;
      console.error(`  ${secs(ms)}  ${(peakKiB / 1024).toFixed(0)} MiB  ${tool} ${args.slice(-3).join(' ')}`);
      const byName = [...peaks].map(([name, kib]) => `${name} ${(kib / 1024).toFixed(0)} MiB`).join(', ');
      resolve({ ms, cpuMs: (user + sys) * 1000, peakMiB: peakKiB / 1024, treeMiB: treeKiB / 1024, byName, stderr });
    });
  });
}
