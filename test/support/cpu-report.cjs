// Preloaded into a spawned ionflow (NODE_OPTIONS=--require …) to write the CPU
// time it used to $IONFLOW_TEST_CPU_FILE: a measure that load on the machine
// barely changes, unlike wall time.
const { writeFileSync } = require('node:fs');

const file = process.env.IONFLOW_TEST_CPU_FILE;
if (file) {
  process.on('exit', () => {
    const { user, system } = process.cpuUsage();
    writeFileSync(file, String((user + system) / 1e6));
  });
}
