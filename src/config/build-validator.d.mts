/** The standalone validator module source for schemas/deploy.schema.json. */
export function generate(): string;
