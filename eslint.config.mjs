import js from "@eslint/js";
import tseslint from "typescript-eslint";
import reactHooks from "eslint-plugin-react-hooks";

export default tseslint.config(
  { ignores: [".next/**", "node_modules/**", "lib/generated/**", "test-results/**", "playwright-report/**", "next-env.d.ts", "**/*.mjs"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    plugins: { "react-hooks": reactHooks },
    rules: {
      "react-hooks/rules-of-hooks": "error",
      "react-hooks/exhaustive-deps": "warn",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/no-non-null-assertion": "off",
    },
  },
  {
    // lib/domain is pure: no database, queue, SSH, Next, filesystem or network (style.md "Rooms").
    files: ["lib/domain/**/*.ts"],
    rules: {
      "no-restricted-imports": ["error", {
        patterns: [
          { group: ["@prisma/*", "prisma", "ssh2", "bullmq", "ioredis", "next", "next/*", "pg", "openpgp"], message: "lib/domain is pure: no I/O libraries." },
          { group: ["node:*", "fs", "net", "child_process", "http", "https", "crypto"], message: "lib/domain is pure: no Node I/O modules." },
          { group: ["@/lib/generated/*", "@/lib/db/*", "@/lib/appliance/*", "@/lib/queue/*"], message: "lib/domain may not reach the database, queue or appliances." },
        ],
      }],
    },
  },
);
