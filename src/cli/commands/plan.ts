// Placeholder until the owning issue lands: fails loudly rather than pretending.
import type { CliContext } from '../context.js';
import { IonflowError } from '../../errors.js';

export default async function plan(_ctx: CliContext, _options: Record<string, unknown>, ..._args: string[]): Promise<number> {
  throw new IonflowError('usage', 'plan is not implemented yet');
}
