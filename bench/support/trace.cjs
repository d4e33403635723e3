// Preloaded into ionflow by the push bench (NODE_OPTIONS=--require) to show
// where a push's milliseconds go: every child process (git) and every HTTP
// request (S3, CodeDeploy) with its start and end, in ms since the process
// started, written as JSON lines to $IONFLOW_BENCH_TRACE at exit.
const childProcess = require('node:child_process');
const http = require('node:http');
const { appendFileSync } = require('node:fs');
const { syncBuiltinESMExports } = require('node:module');

const file = process.env.IONFLOW_BENCH_TRACE;
const now = () => performance.now();
// Node has started and is about to load ionflow: how long its own start took.
const events = [{ kind: 'boot', start: now(), end: now() }];

for (const name of ['spawn', 'execFile']) {
  const original = childProcess[name];
  childProcess[name] = function traced(command, args, ...rest) {
    const event = { kind: 'process', what: [command, ...(Array.isArray(args) ? args : [])].join(' '), start: now() };
    events.push(event);
    const child = original.call(this, command, args, ...rest);
    child.once('close', () => {
      event.end = now();
    });
    return child;
  };
}

const originalRequest = http.request;
http.request = function traced(...args) {
  const options = typeof args[0] === 'object' && !(args[0] instanceof URL) ? args[0] : {};
  const event = { kind: 'http', what: `${options.method ?? 'GET'} ${options.port ?? ''} ${options.path ?? ''}`, port: Number(options.port), start: now() };
  events.push(event);
  const req = originalRequest.apply(this, args);
  req.once('response', (res) => {
    res.once('end', () => {
      event.end = now();
    });
  });
  req.once('close', () => {
    event.end ??= now();
  });
  return req;
};
syncBuiltinESMExports();

process.once('exit', () => {
  if (!file) return;
  const lines = events.map((e) => JSON.stringify(e));
  lines.push(JSON.stringify({ kind: 'exit', start: now(), end: now() }));
  appendFileSync(file, `${lines.join('\n')}\n`);
});
