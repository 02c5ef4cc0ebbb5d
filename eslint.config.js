// Lint encodes the rules in ../shared/STYLE.md that the compiler does not.
import tseslint from 'typescript-eslint';

const FRAMEWORKS = ['@nestjs/*', 'typeorm', 'bullmq', 'ioredis', 'pg', 'express', 'nestjs-pino'];
const DEEP_IMPORTS = {
  group: ['@joinedup/*/*', '**/libs/*/src/*', '../../libs/**', '../../../libs/**'],
  message: 'Import other libs through their @joinedup/<lib> entry point.',
};

const NO_HTTP = {
  name: '@nestjs/common',
  importNames: ['HttpException', 'HttpStatus'],
  message: 'Throw BrokerError; the api maps codes to statuses.',
};

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.artifacts/**', '**/*.mjs', 'eslint.config.js', 'jest.config.mjs'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-unsafe-function-type': 'off',
      'no-restricted-imports': ['error', { patterns: [DEEP_IMPORTS] }],
      'no-restricted-syntax': [
        'error',
        { selector: "MemberExpression[object.name='process'][property.name='env']", message: 'Read configuration through @joinedup/config.' },
        { selector: "CallExpression[callee.property.name='only']", message: 'No .only in committed tests.' },
        { selector: "CallExpression[callee.property.name='skip']", message: 'No skipped tests.' },
      ],
    },
  },
  {
    // Nothing outside apps/api chooses HTTP statuses.
    files: ['libs/**/*.ts', 'apps/worker/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [DEEP_IMPORTS],
          paths: [NO_HTTP],
        },
      ],
    },
  },
  {
    // Pure engines: no framework, database, queue or HTTP, so they stay testable and portable.
    files: ['libs/{core,linkage,governance,coordination,place}/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [DEEP_IMPORTS, { group: FRAMEWORKS, message: 'Pure engines import no framework, database or queue.' }], paths: [NO_HTTP] },
      ],
    },
  },
  {
    // The config lib reads the environment; tests and scripts set up their own.
    files: ['libs/config/src/**/*.ts', 'libs/testing/src/**/*.ts', '**/*.spec.ts', '**/*.int-spec.ts', '**/*.e2e-spec.ts', 'test/**/*.ts', 'scripts/**/*.ts', '**/cli.ts', '**/*.cli.ts'],
    rules: { 'no-restricted-syntax': ['error', { selector: "CallExpression[callee.property.name='only']", message: 'No .only in committed tests.' }] },
  },
);
