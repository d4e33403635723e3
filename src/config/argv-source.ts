// A `run` argv is what a shell user would type: `[seq, 1, 20]`, `[echo, true]`
// and `[printf, '%s', 0x10]` pass each item as written, not as the number or
// boolean YAML reads it as (1.0 stays "1.0", 0x10 stays "0x10", ~ stays "~").
// The schema already refused maps and lists inside an argv.

import { isScalar, isSeq } from '../lazy/yaml.js';
import { isRecord } from './steps.js';
import type { YamlSource } from './yaml-source.js';

/** Replace each run argv in `value` (the parsed deploy.yaml) by its items' source text. */
export function argvAsWritten(src: YamlSource, value: Record<string, unknown>): void {
  const pipelines = isRecord(value.pipelines) ? value.pipelines : {};
  for (const [key, pipeline] of Object.entries(pipelines)) {
    const steps = isRecord(pipeline) && Array.isArray(pipeline.steps) ? pipeline.steps : [];
    steps.forEach((step: unknown, i) => {
      if (!isRecord(step) || !Array.isArray(step.run)) return;
      const node = src.doc.getIn(['pipelines', key, 'steps', i, 'run'], true);
      if (!isSeq(node)) return;
      const written = step.run.map((item: unknown, j) => {
        if (typeof item === 'string') return item;
        const scalar = node.items[j];
        return isScalar(scalar) && scalar.source !== undefined ? scalar.source : String(item);
      });
      step.run = written;
    });
  }
}
