import type { CodegenConfig } from '@graphql-codegen/cli';

// Types the operations tests send: `graphql(...)` from test/gql returns typed documents.
const config: CodegenConfig = {
  schema: 'schema/schema.graphql',
  documents: ['test/**/*.ts', '!test/gql/**'],
  ignoreNoDocuments: true,
  generates: {
    'test/gql/': {
      preset: 'client',
      config: {
        useTypeImports: true,
        emitLegacyCommonJSImports: false,
        enumsAsTypes: true,
        scalars: { DateTime: 'string', DateBound: 'string', JSON: 'unknown', Decimal: 'string', Upload: 'File' },
      },
      presetConfig: { fragmentMasking: false },
    },
  },
};
export default config;
