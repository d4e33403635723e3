// Where deploy.yaml's JSON Schema is: <package>/schemas/deploy.schema.json.
// This file sits one folder below the package's dist/ (or src/), as every
// bundle of the CLI does (dist/lazy/), so the relative path holds either way.

import { fileURLToPath } from 'node:url';

export const SCHEMA_FILE = fileURLToPath(new URL('../../schemas/deploy.schema.json', import.meta.url));
