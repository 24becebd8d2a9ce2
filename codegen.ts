/**
 * npm run codegen: the SDK's typed documents (sdk/src/generated/) from schema.graphql and
 * the operations in sdk/src/operations/. Run after `npm run schema:emit`;
 * `npm run check:schema` fails when the generated files are stale.
 */
import type { CodegenConfig } from '@graphql-codegen/cli';

export const SDK_GENERATED_DIR = 'sdk/src/generated/';

const config: CodegenConfig = {
  schema: 'schema.graphql',
  documents: 'sdk/src/operations/**/*.graphql',
  ignoreNoDocuments: false,
  emitLegacyCommonJSImports: false, // NodeNext: imports need their .js (else TS2835)
  generates: {
    [SDK_GENERATED_DIR]: {
      preset: 'client',
      presetConfig: {
        fragmentMasking: false,
        gqlTagName: 'graphql',
      },
      config: {
        documentMode: 'string', // TypedDocumentString: plain strings, no graphql-js at runtime
        useTypeImports: true,
        enumType: 'string-literal', // enums as union types (v6's name for enumsAsTypes)
        strictScalars: true,
        scalars: {
          DateTime: 'string', // ISO-8601, UTC
          Date: 'string', // YYYY-MM-DD
          TimeZone: 'string', // IANA name
        },
      },
    },
  },
};

export default config;
