// Types for the one export of rolldown.config.mjs that TypeScript code reads (test/vendor/aws-sdk.test.ts).
export declare const AWS_SDK_EXPORTS: Record<string, string[]>;
declare const configs: unknown[];
export default configs;
