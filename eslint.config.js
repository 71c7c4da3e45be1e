// @ts-check
import * as effect from "@effect/eslint-plugin/plugin"
import js from "@eslint/js"
import tseslint from "typescript-eslint"

export default tseslint.config(
  {
    ignores: [
      "**/dist/**",
      "**/build/**",
      "**/node_modules/**",
      "docs/api/**",
      "bench-results/**",
      "examples/.doc-examples/**",
      "packages/vitest4/.doc-examples/**",
      ".tools/**"
    ]
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    plugins: { "@effect": effect },
    languageOptions: {
      globals: {
        process: "readonly",
        console: "readonly",
        Buffer: "readonly",
        URL: "readonly",
        TextEncoder: "readonly",
        TextDecoder: "readonly",
        setTimeout: "readonly",
        clearTimeout: "readonly"
      }
    },
    rules: {
      // the formatter the Effect repositories use (dprint, through @effect/eslint-plugin), their settings
      "@effect/dprint": ["error", {
        config: {
          indentWidth: 2,
          lineWidth: 120,
          semiColons: "asi",
          quoteStyle: "alwaysDouble",
          trailingCommas: "never",
          operatorPosition: "maintain",
          "arrowFunction.useParentheses": "force"
        }
      }],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": "error",
      "@typescript-eslint/no-explicit-any": "error",
      // `export declare namespace Tag { interface Service }`: the service shape of a Tag class, as Effect writes it
      "@typescript-eslint/no-namespace": ["error", { allowDeclarations: true }],
      "no-restricted-syntax": [
        "error",
        {
          selector: "CallExpression[callee.object.name='Command'][callee.property.name='string']",
          message: "Command.string neither checks the exit code nor drains stderr: go through the argv runner"
        }
      ]
    }
  }
)
